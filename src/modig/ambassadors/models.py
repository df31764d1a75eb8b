"""Digital ambassadors (digitaliseringsombud): appointments and the coaching log (issue 6)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Coaching longer than a working day is a typing mistake, not coaching.
MAX_COACHING_MINUTES = 8 * 60


class AppointmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "AppointmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Appointment(models.Model):
    """A person appointed ambassador in one municipality for the units they cover."""

    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="ambassador_appointments",
                               verbose_name=_("person"))
    municipality = models.ForeignKey("organisation.Municipality", on_delete=models.PROTECT,
                                     related_name="ambassador_appointments",
                                     verbose_name=_("municipality"))
    units = models.ManyToManyField("organisation.Unit", related_name="ambassador_appointments",
                                   verbose_name=_("units covered"))
    time_percent = models.PositiveSmallIntegerField(
        _("time for the assignment (per cent of a full-time post)"), default=10)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "person__last_name", "person__first_name", "pk"]
        verbose_name = _("ambassador appointment")
        verbose_name_plural = _("ambassador appointments")
        constraints = [
            models.CheckConstraint(condition=Q(time_percent__gte=1, time_percent__lte=100),
                                   name="appointment_percent_range"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="appointment_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.municipality})"

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class CoachingActivity(models.Model):
    """One coaching occasion logged by an ambassador, usually on a phone."""

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One to one")
        SMALL_GROUP = "small_group", _("Small group")
        DROP_IN = "drop_in", _("Drop-in")
        WORKPLACE_MEETING = "workplace_meeting", _("Workplace meeting")

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT,
                                    related_name="activities", verbose_name=_("ambassador"))
    date = models.DateField(_("date"))
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT,
                             related_name="coaching_activities", verbose_name=_("unit"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    topic_competence = models.ForeignKey("competence.Competence", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("competence"))
    # A welfare technology from the learning app's catalogue: coaching on it counts in the
    # coverage of its introductions (learning.queries.coverage) for the named participants.
    topic_technology = models.ForeignKey("learning.Technology", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("technology"))
    topic_text = models.CharField(_("topic"), max_length=200, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    # People who took part but are not named: shown in the log, never training hours.
    counted_participants = models.PositiveIntegerField(_("participants not named"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Issued with the form (or made by the phone when offline): a resend finds this entry.
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("coaching activity")
        verbose_name_plural = _("coaching activities")
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=MAX_COACHING_MINUTES),
                                   name="coaching_minutes_range"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.unit} ({self.topic})"

    @property
    def topic(self) -> str:
        if self.topic_text:
            return self.topic_text
        if self.topic_technology_id:
            return str(self.topic_technology)
        return str(self.topic_competence) if self.topic_competence_id else ""


class CoachingParticipant(models.Model):
    """A named person at a coaching activity: they get its minutes as training time."""

    activity = models.ForeignKey(CoachingActivity, on_delete=models.CASCADE,
                                 related_name="participants")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="coaching_participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "person"],
                                               name="one_participation_per_activity")]

    def __str__(self) -> str:
        return f"{self.person} ({self.activity_id})"


class NetworkMeeting(models.Model):
    """A meeting of the ambassadors' network across municipalities.

    The meeting itself is a session (with one meeting) of the programme's network course in
    the training app, so invitations are enrolments, attendance is the training roll call and
    the time counts in the hours ledger like any attended session. This record adds what the
    training app does not know: the topic, the invited municipalities and who hosts it."""

    session = models.OneToOneField("training.Session", on_delete=models.PROTECT,
                                   related_name="network_meeting")
    topic = models.CharField(_("topic"), max_length=200)
    invited = models.ManyToManyField("organisation.Municipality", related_name="+",
                                     verbose_name=_("invited municipalities"))
    # The coordinator's municipality that hosts it; empty: the programme office.
    host = models.ForeignKey("organisation.Municipality", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("host"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Issued with the form: a double tap on Save schedules one meeting.
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")

    def __str__(self) -> str:
        return self.topic
