import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.plans.models import RoutineChange


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
