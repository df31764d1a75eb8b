import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.ambassadors.micro_templates import TEMPLATES
from modig.ambassadors.models import MAX_COACHING_MINUTES, Appointment, CoachingActivity
from modig.ambassadors.services import MICRO_MAX_MINUTES, MICRO_MIN_MINUTES
from modig.competence.models import Competence
from modig.learning.models import Technology
from modig.organisation.models import Municipality, Person, Unit
from modig.training.attendance_forms import RollCallForm
from modig.training.models import Attendance
from modig.training.services import RollCallRow

QUICK_MINUTES = (10, 15, 30, 45, 60)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AppointmentForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    units = forms.ModelMultipleChoiceField(label=_("Units covered"),
                                           queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _(
                                               "Choose at least one unit the ambassador "
                                               "covers.")})
    time_percent = forms.IntegerField(label=_("Time for the assignment, per cent of a full-time "
                                              "post"), min_value=1, max_value=100, initial=10)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput(),
                              help_text=_("Leave empty if the assignment runs until further "
                                          "notice."))

    def __init__(self, *args, municipality, appointment: Appointment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(
            municipality=municipality, is_active=True,
            kind__in=(Unit.Kind.UNIT, Unit.Kind.WORK_GROUP)).order_by("path")
        if appointment is None:
            self.fields["person"].queryset = Person.objects.filter(
                employments__municipality=municipality,
                employments__is_active=True).distinct()
            self.fields["starts_on"].initial = timezone.localdate()
        else:
            del self.fields["person"]


class CoachingForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(),
                                  widget=forms.RadioSelect, empty_label=None,
                                  error_messages={"invalid_choice": _(
                                      "You do not cover that unit. Choose one of your units.")})
    format = forms.ChoiceField(label=_("How"), choices=CoachingActivity.Format.choices,
                               widget=forms.RadioSelect)
    topic_text = forms.CharField(label=_("Topic"), max_length=200, required=False,
                                 help_text=_("For example: the medication app, Teams, "
                                             "digital night checks."))
    topic_technology = forms.ModelChoiceField(
        label=_("Welfare technology (if it was about one)"), queryset=Technology.objects.none(),
        required=False, help_text=_("Coaching on a technology counts for its introduction at "
                                    "the unit."),
        error_messages={"invalid_choice": _("Choose a technology from the list.")})
    topic_competence = forms.ModelChoiceField(label=_("Competence (if it fits)"),
                                              queryset=Competence.objects.none(),
                                              required=False)
    # Rendered by the template as checkboxes grouped by unit; the service checks the unit.
    participants = forms.ModelMultipleChoiceField(label=_("Who took part"),
                                                  queryset=Person.objects.all(), required=False)
    counted_participants = forms.IntegerField(
        label=_("Or only the number who took part"), required=False, min_value=0,
        help_text=_("For a drop-in or a meeting where you did not write names. Counted people "
                    "give no training hours."),
        error_messages={"min_value": _("The number of participants cannot be negative.")})
    minutes = forms.TypedChoiceField(label=_("Minutes"), coerce=int, required=False,
                                     choices=[(m, str(m)) for m in QUICK_MINUTES],
                                     widget=forms.RadioSelect)
    minutes_other = forms.IntegerField(label=_("Other number of minutes"), required=False)
    note = forms.CharField(label=_("Short note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["topic_technology"].queryset = Technology.objects.order_by("name")
        self.fields["topic_competence"].queryset = Competence.objects.select_related(
            "framework").order_by("framework_id", "position", "pk")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("date", timezone.localdate())
            if len(units) == 1:
                self.initial.setdefault("unit", units[0].pk)

    def clean(self):
        data = super().clean()
        other, quick = data.get("minutes_other"), data.get("minutes")
        value = other if other is not None else quick
        if value in (None, ""):
            self.add_error("minutes_other", _("Choose how many minutes, or write the number."))
        elif value < 1 or value > MAX_COACHING_MINUTES:
            self.add_error("minutes_other", ValidationError(
                _("Write between 1 and %(max)d minutes (at most 8 hours) per entry."),
                params={"max": MAX_COACHING_MINUTES}))
        else:
            data["total_minutes"] = value
        return data


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MicroTrainingForm(forms.Form):
    """A micro-training from a template; the service checks the rules again."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    template = forms.ChoiceField(
        label=_("Template"), widget=forms.RadioSelect,
        choices=[(t.key, t.title) for t in TEMPLATES],
        error_messages={"required": _("Choose a template."),
                        "invalid_choice": _("Choose one of the templates.")})
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the template's title."))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(),
                                  widget=forms.RadioSelect, empty_label=None,
                                  error_messages={
                                      "required": _("Choose one of your units."),
                                      "invalid_choice": _(
                                          "You do not cover that unit. Choose one of your "
                                          "units.")})
    date = forms.DateField(label=_("Date"), widget=DateInput(),
                           error_messages={"required": _("Choose a date.")})
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput(),
                                error_messages={"required": _("Write when it starts, for "
                                                              "example 14:00.")})
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=MICRO_MIN_MINUTES, max_value=MICRO_MAX_MINUTES,
        required=False, help_text=_("Between 15 and 120. Leave empty to use the template's "
                                    "length."),
        error_messages={
            "min_value": _("Write between 15 and 120 minutes."),
            "max_value": _("Write between 15 and 120 minutes.")})
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=200, initial=8,
        error_messages={"required": _("Give the number of places, at least 1."),
                        "min_value": _("Give the number of places, at least 1."),
                        "max_value": _("Give at most 200 places.")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("date", timezone.localdate())
            if len(units) == 1:
                self.initial.setdefault("unit", units[0].pk)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise ValidationError(_("The date has passed. Choose today or a later day."))
        return date


class NetworkMeetingForm(forms.Form):
    """Schedule a network meeting; the service (ambassadors/network.py) checks the rules."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    topic = forms.CharField(label=_("Topic"), max_length=200,
                            help_text=_("For example: digital locks in home care, what we "
                                        "learnt."),
                            error_messages={"required": _("Write the topic of the meeting.")})
    date = forms.DateField(label=_("Date"), widget=DateInput(),
                           error_messages={"required": _("Choose a date."),
                                           "invalid": _("Write the date as YYYY-MM-DD, e.g. "
                                                        "2026-09-01.")})
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput(),
                                error_messages={"required": _("Write when it starts, for "
                                                              "example 13:00.")})
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput(),
                              error_messages={"required": _("Write when it ends, for "
                                                            "example 15:00.")})
    place = forms.CharField(label=_("Place"), max_length=300, required=False,
                            help_text=_("Address and room. Leave empty for an online meeting."))
    video_url = forms.URLField(label=_("Link to the online meeting"), max_length=500,
                               required=False,
                               error_messages={"invalid": _(
                                   "Write a whole web address, starting with https://.")})
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Whose ambassadors are invited"), queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Every active ambassador of the chosen municipalities is invited."))
    host = forms.ModelChoiceField(label=_("Host"), queryset=Municipality.objects.none(),
                                  required=False,
                                  error_messages={"invalid_choice": _(
                                      "Choose your own municipality as host.")})

    def __init__(self, *args, municipalities, hosts, host_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        self.fields["host"].queryset = hosts
        if host_required:
            self.fields["host"].empty_label = None
        else:
            self.fields["host"].empty_label = _("The programme office")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if host_required and len(hosts) == 1:
                self.initial.setdefault("host", hosts[0].pk)
                self.initial.setdefault("municipalities", [hosts[0].pk])


class NetworkRollCallForm(RollCallForm):
    """Training's roll call (one row per invited ambassador: present by default, absent or
    partly present), which also passes on people sent with a status who are not on the list
    (a tampered or stale form), so the network service refuses them by name."""

    def extra_people(self) -> list[int]:
        known = {e.person_id for e in self.enrolments}
        extra = []
        for key in (self.data or {}):
            if key.startswith("status-") and key[7:].isdigit() and int(key[7:]) not in known:
                extra.append(int(key[7:]))
        return extra

    def roll_call_rows(self) -> list[RollCallRow]:
        rows = super().roll_call_rows()
        for pk in self.extra_people():
            status = self.data.get(f"status-{pk}", "")
            rows.append(RollCallRow(pk, status or Attendance.Status.PRESENT, None))
        return rows
