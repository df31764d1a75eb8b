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
        WALK_IN = "walk_in", _("Came without signing up")

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


class TrainingMessage(models.Model):
    """One message about an enrolment, written before it is sent: the unique constraint is the
    claim, so a job that runs twice (or two workers at once) never sends the same message
    twice. `meeting` is set for reminders (one per meeting), empty otherwise."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        WAITING = "waiting", _("Waiting list")
        PLACE_OFFERED = "place_offered", _("Place offered")
        REMINDER = "reminder", _("Reminder")
        CANCELLED = "cancelled", _("Session cancelled")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")
        NONE = "none", _("No address")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="messages")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("training message")
        verbose_name_plural = _("training messages")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], condition=Q(meeting__isnull=True),
                                    name="one_training_message_per_kind"),
            models.UniqueConstraint(fields=["enrolment", "kind", "meeting"],
                                    condition=Q(meeting__isnull=False),
                                    name="one_reminder_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.enrolment}"


class CalendarFeed(models.Model):
    """A secret calendar address: a person's own sessions, or a trainer's sessions.

    The token in the address is derived from `salt` and SECRET_KEY (training/calendar.py), so
    it can be shown again to its owner but not recovered from a copy of the database; only
    its digest is looked up. A new salt makes the old address stop working.
    """

    person = models.OneToOneField("organisation.Person", on_delete=models.CASCADE, null=True,
                                  blank=True, related_name="calendar_feed")
    trainer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="calendar_feed")
    salt = models.CharField(max_length=64)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, trainer__isnull=True)
                | Q(person__isnull=True, trainer__isnull=False),
                name="calendar_feed_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.trainer}"


class AttendanceImportQuerySet(models.QuerySet):
    def pending(self) -> "AttendanceImportQuerySet":
        return self.filter(status=AttendanceImport.Status.PENDING)


class AttendanceImport(models.Model):
    """An uploaded attendance report for one meeting (Teams, Zoom), read into `report` (an
    `attendance_files.AttendanceReport.to_dict()`), waiting for review, then committed as
    Attendance rows (source import). Kept after the commit as the record behind those rows,
    with the reviewer's choices in `decisions` ({row index: person id or "ignore"}) and what
    the commit changed. The file itself is not stored, only its SHA-256."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        COMMITTED = "committed", _("Saved")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="attendance_imports")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    shape = models.CharField(_("file type"), max_length=20)
    report = models.JSONField()
    decisions = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    objects = AttendanceImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self) -> str:
        return f"{self.file_name} – {self.meeting}"

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED


class GroupProposal(models.Model):
    """A proposal of training groups for a course (group formation, training/grouping.py).

    Stored so that the coordinator's adjustments survive a reload; nothing is enrolled until
    it is confirmed (`confirmed_at`), and it cannot change after that. The population is one
    municipality, narrowed to units (with the units below), occupations and target groups.
    No score is stored: only each member's band (`ProposalMember.band`).
    """

    class SupportRule(models.TextChoices):
        SHARE = "share", _("The lowest share")
        THRESHOLD = "threshold", _("A score at or below a limit")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="group_proposals",
                               verbose_name=_("course"))
    municipality = models.ForeignKey("organisation.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipality"))
    survey_round = models.ForeignKey("surveys.Round", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("baseline round"))
    units = models.ManyToManyField("organisation.Unit", blank=True, related_name="+",
                                   verbose_name=_("units"))
    occupations = models.ManyToManyField("organisation.Occupation", blank=True,
                                         related_name="+", verbose_name=_("occupations"))
    target_groups = models.ManyToManyField("organisation.TargetGroup", blank=True,
                                           related_name="+", verbose_name=_("target groups"))
    support_rule = models.CharField(_("who gets extra support"), max_length=20,
                                    choices=SupportRule.choices, default=SupportRule.SHARE)
    support_share = models.PositiveSmallIntegerField(_("share in per cent"), null=True,
                                                     blank=True)
    support_threshold = models.DecimalField(_("score limit"), max_digits=3, decimal_places=1,
                                            null=True, blank=True)
    small_group_size = models.PositiveSmallIntegerField(_("size of small groups"))
    regular_group_size = models.PositiveSmallIntegerField(_("size of regular groups"))
    no_baseline_in_small_groups = models.BooleanField(
        _("people without a baseline in small groups"), default=False)
    scored_on_all_items = models.BooleanField(default=False)
    already_enrolled = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group proposal")
        verbose_name_plural = _("group proposals")
        constraints = [
            models.CheckConstraint(condition=Q(small_group_size__gt=0, regular_group_size__gt=0),
                                   name="group_proposal_sizes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.municipality} ({self.created_at:%Y-%m-%d})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ProposalGroup(models.Model):
    """One proposed group: its level and the session it is placed in (none: needs one)."""

    proposal = models.ForeignKey(GroupProposal, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"))
    level = models.CharField(_("group level"), max_length=20, choices=Session.GroupLevel.choices)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("session"))

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposed group")
        verbose_name_plural = _("proposed groups")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"],
                                    name="one_number_per_proposed_group"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} #{self.number}"


class ProposalMember(models.Model):
    """A person in a proposal: their group (none: taken out by the coordinator), the unit they
    are grouped by, their band, and after confirmation what became of their enrolment."""

    class Band(models.TextChoices):
        EXTRA_SUPPORT = "extra_support", _("Extra support")
        REGULAR = "regular", _("Regular")
        NO_BASELINE = "no_baseline", _("No baseline")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not confirmed")
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("Waiting list")
        REFUSED = "refused", _("Not enrolled")

    proposal = models.ForeignKey(GroupProposal, on_delete=models.CASCADE,
                                 related_name="members")
    group = models.ForeignKey(ProposalGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="members")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    band = models.CharField(_("band"), max_length=20, choices=Band.choices)
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices, blank=True,
                               default=Outcome.PENDING)
    outcome_message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("proposal member")
        verbose_name_plural = _("proposal members")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"],
                                    name="one_place_per_person_in_proposal"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.proposal}"


# The hours ledger's snapshot (training/ledger.py) ---------------------------------------------

class LedgerChanges(models.Model):
    """A counter per programme that every write of a ledger source bumps (ledger.mark_changed)
    in the writer's transaction. Its own table, so a rebuild that holds the snapshot's row
    never makes a roll call wait."""

    programme = models.OneToOneField("organisation.Programme", on_delete=models.CASCADE,
                                     primary_key=True, related_name="+")
    changes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger change counter")
        verbose_name_plural = _("ledger change counters")

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.changes}"


class LedgerSnapshot(models.Model):
    """When the programme's per-person minutes were built, and from which change count
    (`version`): the snapshot is current while the counter still equals it."""

    programme = models.OneToOneField("organisation.Programme", on_delete=models.CASCADE,
                                     primary_key=True, related_name="+")
    built_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(null=True, blank=True)
    # The people-and-groups counter (LedgerGroupChanges) the breakdown rows were built from.
    groups_version = models.PositiveBigIntegerField(null=True, blank=True)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ledger snapshot")
        verbose_name_plural = _("ledger snapshots")

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.version} at {self.built_at}"


class LedgerPersonMinutes(models.Model):
    """One trained person in a programme: their minutes and entries over all ledger sources."""

    programme = models.ForeignKey("organisation.Programme", on_delete=models.CASCADE,
                                  related_name="+")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="+")
    minutes = models.BigIntegerField()
    entries = models.PositiveIntegerField()
    first_on = models.DateField()
    last_on = models.DateField()

    class Meta:
        verbose_name = _("ledger minutes of a person")
        verbose_name_plural = _("ledger minutes of people")
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"],
                                    name="ledger_one_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.minutes} min"


class LedgerPersonPart(models.Model):
    """One trained person's minutes in one month ("YYYY-MM") and one course format ("" for
    entries without a course: coaching), rebuilt with LedgerPersonMinutes: what the trend per
    month and the breakdown by course format read, for any filter of people."""

    programme = models.ForeignKey("organisation.Programme", on_delete=models.CASCADE,
                                  related_name="+")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE,
                               related_name="+")
    month = models.CharField(max_length=7)
    format = models.CharField(max_length=20, blank=True)  # "": no course
    minutes = models.BigIntegerField()

    class Meta:
        verbose_name = _("ledger minutes of a person in a month and format")
        verbose_name_plural = _("ledger minutes of people by month and format")
        indexes = [models.Index(fields=["programme", "person"], name="ledger_part_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month} {self.format}: {self.minutes} min"


class LedgerAggregate(models.Model):
    """The whole programme's figures, rebuilt with LedgerPersonMinutes, so an unfiltered page
    reads a few rows. From the entries alone (current with the snapshot): "total" (people,
    minutes), "format" (per course format: people distinct, minutes), "month" (minutes per
    month of the entry) and "first" (people whose first entry is in the month). From the
    entries and the people's groups (current while LedgerGroupChanges is unchanged too):
    "g:<grouping>" (ledger.hours_by's rows; key "" for None) and "person" (per gender and age
    band, key "gender|band")."""

    programme = models.ForeignKey("organisation.Programme", on_delete=models.CASCADE,
                                  related_name="+")
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=40, blank=True)
    people = models.PositiveIntegerField()
    minutes = models.BigIntegerField()

    class Meta:
        verbose_name = _("ledger aggregate")
        verbose_name_plural = _("ledger aggregates")
        indexes = [models.Index(fields=["programme", "kind"], name="ledger_aggregate_kind")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.key}: {self.people}, {self.minutes}"


class LedgerGroupChanges(models.Model):
    """One counter (id 1) that database triggers (migration 0008) bump on every statement
    that changes a person's groups: employments (added, removed, or their person,
    municipality, staff category or occupation changed), their unit and target group links,
    and people's gender and birth year. Triggers, not signals, so bulk writes and other apps'
    updates count too. The programme's breakdown rows (LedgerAggregate kinds "g:…" and
    "person") are read only while it still equals the snapshot's groups_version."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    changes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger groups change counter")
        verbose_name_plural = _("ledger groups change counters")

    def __str__(self) -> str:
        return str(self.changes)

