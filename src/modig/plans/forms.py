import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.competence.models import Competence
from modig.plans.models import Action, ActionPlan, RoutineChange


class RoutineChangeForm(forms.Form):
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=None,
                                     error_messages={"required": _("Choose the manager."),
                                                     "invalid_choice": _("Choose the manager.")})
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None,
                                  error_messages={"required": _("Choose the unit."),
                                                  "invalid_choice": _("Choose the unit.")})
    changed_on = forms.DateField(
        label=_("Date of the change"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date when the routine changed."),
                        "invalid": _("Write the date as year-month-day, e.g. 2026-03-15.")})
    routine = forms.CharField(label=_("Routine"), max_length=200,
                              help_text=_("For example: handover between shifts."),
                              error_messages={"required": _("Write which routine changed.")})
    way = forms.ChoiceField(label=_("New way of working"), choices=RoutineChange.Way.choices,
                            widget=forms.RadioSelect,
                            error_messages={"required": _("Choose a digital or a mobile way "
                                                          "of working.")})
    description = forms.CharField(label=_("What changed"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("For example: the handover is now written in "
                                              "the tablet instead of on paper."))
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, managers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.municipality.name})"
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
            self.initial.setdefault("changed_on", timezone.localdate())
            if len(managers) == 1:
                self.initial.setdefault("manager", managers[0].pk)
                # The manager's own workplace, so a phone user mostly only types the routine.
                own = units.filter(employments__person=managers[0],
                                   employments__is_active=True,
                                   employments__staff_category="management").first()
                if own is not None:
                    self.initial.setdefault("unit", own.pk)


DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "error_messages": {"required": _("Give a date."),
                           "invalid": _("Write the date as year-month-day, e.g. 2026-03-15.")}}


def _date_field(label):
    return forms.DateField(label=label, widget=DATE["widget"],
                           error_messages=DATE["error_messages"])


class OnceForm(forms.Form):
    """A form whose one-time key makes a double tap add its record once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class PlanForm(OnceForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None,
                                          error_messages={
                                              "required": _("Choose the municipality."),
                                              "invalid_choice": _("Choose the municipality.")})
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False,
                                  help_text=_("Leave empty for the whole municipality's plan."),
                                  error_messages={"invalid_choice": _("Choose the unit.")})
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give the plan a title.")})
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"))
    from_survey = forms.BooleanField(
        label=_("Propose goals from the latest baseline survey"), required=False,
        help_text=_("One goal for each of the competence areas with the lowest mean scores."))

    def __init__(self, *args, municipalities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.municipality.name})"


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give the plan a title.")})
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlan.Status.choices,
                               widget=forms.RadioSelect)


class CompetenceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title_sv}"


def _competences():
    return CompetenceChoices(label=_("Competences"), required=False,
                             queryset=Competence.objects.select_related("area").order_by(
                                 "area__position", "position"),
                             widget=forms.CheckboxSelectMultiple)


def _technologies():
    from modig.learning.models import Technology

    return forms.ModelMultipleChoiceField(
        label=_("Welfare technologies"), required=False,
        queryset=Technology.objects.order_by("name"), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose technologies from the list.")})


class GoalForm(OnceForm):
    text = forms.CharField(label=_("Goal"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write the goal.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competences"] = _competences()
        self.fields["technologies"] = _technologies()


class ActionForm(OnceForm):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=None,
                                  error_messages={"required": _("Choose one of the plan's goals."),
                                                  "invalid_choice": _("Choose one of the "
                                                                      "plan's goals.")})
    text = forms.CharField(label=_("What is to be done"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write what is to be done.")})
    owner_name = forms.CharField(label=_("Owner"), max_length=200, required=False,
                                 help_text=_("A name or a role, e.g. Enhetschef Nödinge."))
    owner = forms.ModelChoiceField(label=_("Owner in the staff register"), queryset=None,
                                   required=False,
                                   error_messages={"invalid_choice": _(
                                       "Choose an owner employed in the municipality, or "
                                       "write only a name.")})
    due_on = _date_field(_("Due date"))
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices,
                               widget=forms.RadioSelect, initial=Action.Status.NOT_STARTED)

    def __init__(self, *args, plan, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["goal"].label_from_instance = lambda g: g.text[:80]
        self.fields["owner"].queryset = owners
        self.fields["competences"] = _competences()
        self.fields["technologies"] = _technologies()


class NoteForm(OnceForm):
    noted_on = _date_field(_("Date"))
    text = forms.CharField(label=_("Follow-up"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write the follow-up.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("noted_on", timezone.localdate())
