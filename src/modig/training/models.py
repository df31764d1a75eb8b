"""Training: courses, sessions with their meetings, enrolments, attendance (issue 5).

The glossary (DESIGN.md): utbildningsinsats = `Course`, tillfälle = `Session`; a session has one
or more `Meeting`s (date, start, end). A person signs up for a session (`Enrolment`, with a
waiting list), is marked present, absent or partly present at each meeting (`Attendance`),
completes self-paced courses (`DistanceCompletion`) and confirms their own attended time
(`AttendanceCertification`, as ESF reporting requires).

Training hours are never stored as totals: `ledger.py` derives them from these rows.
Writes go through `services.py`; the rules about who may see what are in `access.py`.

Names chosen beyond the brief's schema:
- `Attendance.minutes` is stored for every status (present: the meeting's length when it was
  recorded; partial: what was entered; absent: 0), so the ledger sums one column. Changing a
  meeting's times through `services.update_session` rewrites the present rows' minutes.
- `Session.check_in_secret` is excluded from admin, forms and `__repr__`; it is only read by
  the QR check-in code.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_check_in_secret() -> str:
    """A random secret for a session's QR check-in codes (256 bits)."""
    return secrets.token_urlsafe(32)


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        return self.filter(is_published=True)

    def visible_to(self, user) -> "CourseQuerySet":
        """Courses the user may see in the catalogue (rules in training/access.py)."""
        from modig.training import access

        return self.filter(access.course_condition(user))

    def search(self, text: str) -> "CourseQuerySet":
        """Courses whose code, title or description contain every word of the text."""
        courses = self
        for word in (text or "").split():
            courses = courses.filter(
                Q(title__icontains=word) | Q(description__icontains=word)
                | Q(code__icontains=word)
            )
        return courses

    def with_format(self, format_: str) -> "CourseQuerySet":
        return self.filter(format=format_) if format_ else self

    def for_target_group(self, target_group) -> "CourseQuerySet":
        if not target_group:
            return self
        return self.filter(pk__in=Course.target_groups.through.objects.filter(
            targetgroup=target_group).values("course_id"))

    def for_competence(self, competence) -> "CourseQuerySet":
        if not competence:
            return self
        return self.filter(pk__in=Course.competences.through.objects.filter(
            competence=competence).values("course_id"))

    def for_municipality(self, municipality) -> "CourseQuerySet":
        """Programme-wide courses and the municipality's own local courses."""
        if not municipality:
            return self
        return self.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


class Course(models.Model):
    """A course in the catalogue (utbildningsinsats).

    `municipality` set: a local course of that municipality; empty: the whole programme.
    `nominal_minutes` is the length credited for a completed self-paced course; for a blended
    course it is the self-paced part only (its live meetings count through attendance).
    `prerequisite_level` is a DigComp proficiency level (1–8) the course assumes.
    """

    class Format(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE_LIVE = "remote_live", _("Remote, live")
        SELF_PACED = "self_paced", _("Distance, at your own pace")
        BLENDED = "blended", _("Blended")

    DISTANCE_FORMATS = (Format.SELF_PACED, Format.BLENDED)

    programme = models.ForeignKey(
        "organisation.Programme", on_delete=models.PROTECT, related_name="courses",
        verbose_name=_("programme"),
    )
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="courses", verbose_name=_("municipality"),
        help_text=_("Leave empty for a course open to the whole programme."),
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    nominal_minutes = models.PositiveIntegerField(_("length in minutes"))
    prerequisite_level = models.PositiveSmallIntegerField(
        _("prerequisite level"), null=True, blank=True,
        help_text=_("DigComp proficiency level 1–8 the course assumes."),
    )
    competences = models.ManyToManyField(
        "competence.Competence", blank=True, related_name="courses",
        verbose_name=_("competences"),
    )
    target_groups = models.ManyToManyField(
        "organisation.TargetGroup", blank=True, related_name="courses",
        verbose_name=_("target groups"),
    )
    materials = models.TextField(_("materials"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=Q(nominal_minutes__gt=0),
                                   name="course_nominal_minutes_positive"),
            models.CheckConstraint(
                condition=Q(prerequisite_level__isnull=True)
                | Q(prerequisite_level__gte=1, prerequisite_level__lte=8),
                name="course_prerequisite_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_distance(self) -> bool:
        """Self-paced and blended courses can be completed at a distance."""
        return self.format in self.DISTANCE_FORMATS

    @property
    def is_local(self) -> bool:
        return self.municipality_id is not None


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SessionQuerySet":
        """Sessions the user may see (rules in training/access.py)."""
        from modig.training import access

        return self.filter(access.session_condition(user))

    def planned(self) -> "SessionQuerySet":
        return self.filter(status=Session.Status.PLANNED)

    def upcoming(self) -> "SessionQuerySet":
        """Planned sessions with a meeting today or later."""
        return self.planned().filter(
            pk__in=Meeting.objects.filter(date__gte=timezone.localdate()).values("session_id")
        )

    def with_counts(self) -> "SessionQuerySet":
        """Annotate `enrolled_count` and `waiting_count` (SQL subqueries, no join fan-out)."""
        def count(status):
            return models.Subquery(
                Enrolment.objects.filter(session=models.OuterRef("pk"), status=status)
                .order_by().values("session").annotate(n=models.Count("pk")).values("n"),
                output_field=models.IntegerField(),
            )

        return self.annotate(
            enrolled_count=models.functions.Coalesce(count(Enrolment.Status.ENROLLED), 0),
            waiting_count=models.functions.Coalesce(count(Enrolment.Status.WAITING), 0),
        )


class Session(models.Model):
    """One run of a course (tillfälle), with one or more meetings.

    `municipality` set: the session is for staff employed in that municipality; empty: anyone
    in the programme. `group_level` small_group marks a session for those with the lowest
    prior knowledge (group formation places them there).
    """

    class GroupLevel(models.TextChoices):
        REGULAR = "regular", _("Regular group")
        SMALL_GROUP = "small_group", _("Small group")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("course"))
    label = models.CharField(_("name"), max_length=200, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="training_sessions", verbose_name=_("trainer"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    group_level = models.CharField(_("group level"), max_length=20, choices=GroupLevel.choices,
                                   default=GroupLevel.REGULAR)
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="training_sessions", verbose_name=_("municipality"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    check_in_secret = models.CharField(max_length=64, default=new_check_in_secret,
                                       editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["course__title", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.course)

    def __repr__(self) -> str:  # never show the check-in secret
        return f"<Session {self.pk}: {self}>"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Meeting(models.Model):
    """One meeting of a session: a date, a start and an end the same day (local time)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["date"], name="training_meeting_date")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> int:
        """The meeting's length in whole minutes."""
        start = datetime.datetime.combine(self.date, self.starts_at)
        end = datetime.datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)

    @property
    def start(self) -> datetime.datetime:
        """The start as an aware datetime in the project's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    @property
    def end(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends_at))


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> "EnrolmentQuerySet":
        """Enrolled or waiting (not cancelled)."""
        return self.exclude(status=Enrolment.Status.CANCELLED)

    def enrolled(self) -> "EnrolmentQuerySet":
        return self.filter(status=Enrolment.Status.ENROLLED)

    def waiting(self) -> "EnrolmentQuerySet":
        """The waiting list, first in line first."""
        return self.filter(status=Enrolment.Status.WAITING).order_by("created_at", "pk")


class Enrolment(models.Model):
    """A person's place (or place in line) on a session. `created_at` orders the waiting list."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        SELF = "self", _("The person themselves")
        MANAGER = "manager", _("Manager")
        COORDINATOR = "coordinator", _("Coordinator")
        GROUP_FORMATION = "group_formation", _("Group formation")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    source = models.CharField(_("enrolled by"), max_length=20, choices=Source.choices)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["person", "status"], name="training_enrolment_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=~Q(status="cancelled"),
                name="one_active_enrolment_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session} ({self.get_status_display()})"


class Attendance(models.Model):
    """A person's attendance at one meeting. One row per (meeting, person); recording again
    updates it. `minutes`: present = the meeting's length, partial = 1 … length − 1,
    absent = 0 (see the module docstring)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        PARTIAL = "partial", _("Partly present")

    class Source(models.TextChoices):
        ROLL_CALL = "roll_call", _("Roll call")
        CHECK_IN = "check_in", _("Check-in")
        IMPORT = "import", _("Import")
        MANUAL = "manual", _("Entered by hand")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="attendances")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "person"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        indexes = [models.Index(fields=["person", "meeting"], name="training_attendance_person")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"],
                                    name="one_attendance_per_meeting"),
            models.CheckConstraint(
                condition=Q(status="absent", minutes=0) | Q(status="present", minutes__gt=0)
                | Q(status="partial", minutes__gt=0),
                name="attendance_minutes_match_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}: {self.get_status_display()}"


class DistanceCompletion(models.Model):
    """A completed self-paced (or blended) course, confirmed by the person or their manager."""

    class ConfirmedAs(models.TextChoices):
        SELF = "self", _("The person themselves")
        MANAGER = "manager", _("Manager")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="distance_completions")
    completed_on = models.DateField(_("completed on"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    confirmed_as = models.CharField(_("confirmed by"), max_length=20,
                                    choices=ConfirmedAs.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["completed_on", "pk"]
        verbose_name = _("distance course completion")
        verbose_name_plural = _("distance course completions")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="one_completion_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.course} ({self.completed_on})"


class AttendanceCertification(models.Model):
    """A participant's confirmation of their own attended time on a session (ESF).

    `certified_minutes` is what the person confirmed; when attendance changes afterwards the
    certification is stale (`services.certification_is_stale`) and must be confirmed again.
    `certified_by_user` is the person's own account when they have one (else a check-in link).
    """

    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="attendance_certifications")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="certifications")
    certified_minutes = models.PositiveIntegerField(_("certified minutes"))
    certified_at = models.DateTimeField(default=timezone.now)
    certified_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["certified_at", "pk"]
        verbose_name = _("attendance certification")
        verbose_name_plural = _("attendance certifications")
        constraints = [
            models.UniqueConstraint(fields=["person", "session"],
                                    name="one_certification_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session}: {self.certified_minutes} min"
