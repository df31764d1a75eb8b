from django import forms
from django.utils.translation import gettext_lazy as _

from modig.competence.models import Competence
from modig.learning.models import LearningResource, Technology
from modig.organisation.models import Occupation, Unit


class TechnologyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           error_messages={"required": _("Write the name of the technology.")})
    category = forms.ChoiceField(label=_("Category"), choices=Technology.Category.choices)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences it calls for"), required=False,
        queryset=Competence.objects.filter(framework__is_default=True),
        widget=forms.CheckboxSelectMultiple)


class IntroductionForm(forms.Form):
    technology = forms.ModelChoiceField(
        label=_("Technology"), queryset=Technology.objects.all(),
        error_messages={"required": _("Choose the technology."),
                        "invalid_choice": _("Choose a technology from the list.")})
    scope = forms.ChoiceField(
        label=_("Where"), help_text=_("A unit includes the units below it."),
        error_messages={"required": _("Choose the municipality or unit."),
                        "invalid_choice": _("Choose a municipality or unit from the list.")})
    go_live_on = forms.DateField(
        label=_("Go-live date"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Write the go-live date."),
                        "invalid": _("Write the date as YYYY-MM-DD, e.g. 2026-09-01.")})
    occupations = forms.ModelMultipleChoiceField(
        label=_("Occupations"), required=False, queryset=Occupation.objects.all(),
        help_text=_("Leave all unticked to include every occupation."),
        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.municipalities = {m.code: m for m in municipalities}
        choices = [("", "---------")]
        choices += [(f"m:{code}", _("All of %(name)s") % {"name": m.name})
                    for code, m in self.municipalities.items()]
        choices += [(f"u:{pk}", f"{u.municipality.name}: {u.name}")
                    for pk, u in self.units.items()]
        self.fields["scope"].choices = choices

    def clean_scope(self):
        value = self.cleaned_data["scope"]
        kind, _sep, key = value.partition(":")
        if kind == "m" and key in self.municipalities:
            return self.municipalities[key], None
        if kind == "u" and key in self.units:
            unit = self.units[key]
            return unit.municipality, unit
        raise forms.ValidationError(_("Choose a municipality or unit from the list."))


def unit_choices(queryset) -> list[Unit]:
    return list(queryset.select_related("municipality").order_by("municipality__name", "path"))


class ResourceFilterForm(forms.Form):
    kompetens = forms.ModelChoiceField(
        label=_("Competence"), required=False,
        queryset=Competence.objects.filter(framework__is_default=True))
    teknik = forms.ModelChoiceField(label=_("Technology"), required=False,
                                    queryset=Technology.objects.all(), to_field_name="code")
    typ = forms.ChoiceField(label=_("Kind"), required=False,
                            choices=[("", _("All kinds")), *LearningResource.Kind.choices])


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Write a title.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=LearningResource.Kind.choices)
    url = forms.URLField(label=_("Link"), required=False, max_length=500,
                         error_messages={"invalid": _(
                             "Write a whole web address, starting with https://.")})
    body = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    technologies = forms.ModelMultipleChoiceField(
        label=_("Technologies"), required=False, queryset=Technology.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"), required=False,
        queryset=Competence.objects.filter(framework__is_default=True),
        widget=forms.CheckboxSelectMultiple)


class NeedsMetForm(forms.Form):
    """The date of "met" (today by default); the ticked needs come as `need` values."""

    met_on = forms.DateField(
        label=_("Met on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Write the date the need was met."),
                        "invalid": _("Write the date as YYYY-MM-DD, e.g. 2026-09-01.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            from django.utils import timezone

            self.initial.setdefault("met_on", timezone.localdate())
