"""Forms of the round pages. They only read input; the rules live in surveys/rounds.py."""

from django import forms
from django.db.models import Q
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from modig.organisation.models import Municipality, Occupation, TargetGroup, Unit
from modig.surveys.models import Questionnaire, Round
from modig.surveys.population import option_counts
from modig.surveys.rounds import EDITABLE_AFTER_PUBLISHING, RoundData, default_min_group_size


def _with_count(label, counts: dict, pk) -> str:
    n = counts.get(pk, 0)
    return ngettext("%(label)s (%(n)s person)", "%(label)s (%(n)s people)", n) % {
        "label": label, "n": n}


class CountedChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice whose labels say how many people each choice reaches."""

    counts: dict = {}

    def label_from_instance(self, obj):
        return _with_count(self.label_for(obj), self.counts, obj.pk)

    def label_for(self, obj) -> str:
        return str(obj)


class UnitChoiceField(CountedChoiceField):
    def label_for(self, unit):
        depth = max(unit.path.count("/") - 2, 0)
        return f"{unit.municipality.name}: {'– ' * depth}{unit.name}"


class OccupationChoiceField(CountedChoiceField):
    def label_for(self, occupation):
        return occupation.title_sv if get_language() == "sv" else occupation.title_en


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200,
                           help_text=_("For example “Baseline autumn 2026”."))
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none(),
        empty_label=_("Choose a questionnaire"))
    kind = forms.ChoiceField(label=_("Kind of round"), choices=Round.Kind.choices,
                             widget=forms.RadioSelect)
    baseline = forms.ModelChoiceField(
        label=_("Baseline round"), queryset=Round.objects.none(), required=False,
        empty_label=_("No baseline round"),
        help_text=_("Only for a follow-up: the round it is compared with."))
    anonymity = forms.ChoiceField(label=_("Anonymity"), choices=Round.Anonymity.choices,
                                  widget=forms.RadioSelect)
    opens_on = forms.DateField(label=_("First day to answer"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Last day to answer"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    reminder_days = forms.IntegerField(
        label=_("Days between reminders"), min_value=0, max_value=60, initial=7,
        help_text=_("People who have not answered get at most three reminders. 0 sends "
                    "none."))
    min_group_size = forms.IntegerField(
        label=_("Smallest group shown in results"), min_value=3,
        help_text=_("No figure about fewer people than this is shown. At least 3."))
    municipalities = CountedChoiceField(
        label=_("Municipalities"), queryset=Municipality.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every municipality in the programme."))
    units = UnitChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("A unit includes the units below it. None chosen: every unit. Hold "
                    "Ctrl (or Cmd) to choose more than one."))
    target_groups = CountedChoiceField(
        label=_("Target groups"), queryset=TargetGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None chosen: every group."))
    occupations = OccupationChoiceField(
        label=_("Occupations"), queryset=Occupation.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: every occupation. Hold Ctrl (or Cmd) to choose more "
                    "than one."))

    def __init__(self, *args, programme, instance: Round | None = None, **kwargs):
        self.programme, self.instance = programme, instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name) for name in (
                    "name", "questionnaire", "kind", "baseline", "anonymity", "opens_on",
                    "closes_on", "reminder_days", "min_group_size")
            } | {name: list(getattr(instance, name).all()) for name in (
                "municipalities", "units", "target_groups", "occupations")}
        kwargs.setdefault("initial", {}).setdefault(
            "min_group_size", default_min_group_size(programme))
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = self.fields["kind"].initial or Round.Kind.BASELINE
        self.fields["anonymity"].initial = Round.Anonymity.PSEUDONYMOUS
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            items__isnull=False).distinct().order_by("code", "-version")
        baselines = Round.objects.filter(programme=programme, published_at__isnull=False)
        if instance is not None:
            baselines = baselines.exclude(pk=instance.pk)
        self.fields["baseline"].queryset = baselines
        municipalities = programme.municipalities.all()
        self.fields["municipalities"].queryset = municipalities
        self.fields["units"].queryset = Unit.objects.filter(
            Q(is_active=True) | Q(pk__in=instance.units.values("pk") if instance else []),
            municipality__in=municipalities).select_related("municipality")
        counts = option_counts(programme, self.fields["units"].queryset)
        self.fields["municipalities"].counts = counts.municipalities
        self.fields["units"].counts = counts.units
        self.fields["target_groups"].counts = counts.target_groups
        self.fields["occupations"].counts = counts.occupations
        if instance is not None and instance.published_at is not None:
            for name, field in self.fields.items():
                if name not in EDITABLE_AFTER_PUBLISHING:
                    field.disabled = True
                    field.required = False

    def data_for_service(self) -> RoundData:
        data = self.cleaned_data
        return RoundData(
            name=data["name"], questionnaire=data["questionnaire"],
            opens_on=data["opens_on"], closes_on=data["closes_on"], kind=data["kind"],
            anonymity=data["anonymity"], min_group_size=data["min_group_size"],
            baseline=data.get("baseline"), reminder_days=data["reminder_days"],
            municipalities=list(data["municipalities"]), units=list(data["units"]),
            target_groups=list(data["target_groups"]),
            occupations=list(data["occupations"]),
        )


class LettersForm(forms.Form):
    """Which letters to print: a unit or a whole municipality, letter people or everyone."""

    everyone = forms.BooleanField(
        label=_("Print for everyone who has not answered, also those reached by e-mail or "
                "text message"), required=False)
