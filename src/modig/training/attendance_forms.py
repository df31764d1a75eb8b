"""Forms for roll call, check-in, certification and distance course completion. They check the
shape of the input; the rules (who, when, how many minutes) are in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.training.models import Attendance, Course
from modig.training.services import RollCallRow


class RollCallForm(forms.Form):
    """One row per person on the list: present, absent or partly present, with minutes.

    A person without recorded attendance starts as present, so a meeting where everyone came
    takes one tap (Save); each absent person adds one tap, each partly present person two
    taps and the minutes. Rows already recorded show what is stored.
    """

    def __init__(self, *args, enrolments, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        self.recorded = recorded
        for enrolment in enrolments:
            pk = enrolment.person_id
            stored = recorded.get(pk)
            self.fields[f"status-{pk}"] = forms.ChoiceField(
                label=enrolment.person.full_name, choices=Attendance.Status.choices,
                widget=forms.RadioSelect, required=False,
                initial=stored.status if stored else Attendance.Status.PRESENT)
            self.fields[f"minutes-{pk}"] = forms.IntegerField(
                label=_("Minutes, if partly present"), required=False, min_value=1,
                max_value=24 * 60,
                initial=stored.minutes if stored and stored.status == Attendance.Status.PARTIAL
                else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}))

    def items(self):
        """For the template: each enrolment with its two bound fields."""
        return [{"enrolment": enrolment, "status": self[f"status-{enrolment.person_id}"],
                 "minutes": self[f"minutes-{enrolment.person_id}"],
                 "recorded": self.recorded.get(enrolment.person_id)}
                for enrolment in self.enrolments]

    def clean(self):
        cleaned = super().clean()
        for enrolment in self.enrolments:
            pk = enrolment.person_id
            if (cleaned.get(f"status-{pk}") == Attendance.Status.PARTIAL
                    and cleaned.get(f"minutes-{pk}") is None
                    and f"minutes-{pk}" not in self.errors):
                self.add_error(f"minutes-{pk}", _(
                    "Write how many minutes %(name)s was there.")
                    % {"name": enrolment.person.full_name})
        return cleaned

    def roll_call_rows(self) -> list[RollCallRow]:
        """The rows to save: every person whose status came with the form (someone signed up
        after the page was opened is not in it and is left as they are)."""
        rows = []
        for enrolment in self.enrolments:
            pk = enrolment.person_id
            status = self.cleaned_data.get(f"status-{pk}")
            if not status:
                continue
            minutes = self.cleaned_data.get(f"minutes-{pk}")
            rows.append(RollCallRow(pk, status,
                                    minutes if status == Attendance.Status.PARTIAL else None))
        return rows

    def add_service_errors(self, error: ValidationError) -> None:
        """A refusal from services.record_roll_call: row errors (keyed by person id) on the
        row's minutes, anything else on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            field = f"minutes-{key}"
            self.add_error(field if field in self.fields else None, messages)


class WalkInSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or employee number"), max_length=200,
                        required=False)


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20,
        help_text=_("The code on the trainer's screen, for example ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}))


class CertifyForm(forms.Form):
    """The minutes the person was shown (checked again when saving)."""

    minutes = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CompletionForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Date you finished"), widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate)

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class StaffCompletionForm(CompletionForm):
    """A manager confirms a distance course for one of their staff."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none(),
                                    empty_label=_("Choose a course"))
    field_order = ["course", "completed_on"]

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["completed_on"].label = _("Date they finished")


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False,
                                  empty_label=_("All units"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
