"""Training writes: courses, sessions and meetings, enrolment with a waiting list, attendance,
distance completions and participants' certification of their own time.

Every function runs in a transaction and changes nothing when it refuses (a ValidationError
whose message says what to do next). Messages to people are queued with
`transaction.on_commit`, so nothing is sent for a change that did not happen.

Capacity is guarded by a row lock on the session (`select_for_update`): enrolling, cancelling
and changing capacity take it first, so two requests at the same moment cannot both take the
last place or both promote the same waiting person.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.organisation.models import Employment, Person, Programme, Unit
from modig.training.models import (
    Attendance,
    AttendanceCertification,
    Course,
    DistanceCompletion,
    Enrolment,
    Meeting,
    Session,
)

ACTIVE_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITING)


def _user(by):
    """The acting user to store, or None for anonymous and system actions."""
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _after_commit(function, *args) -> None:
    """Queue a message job once the transaction commits (imports late: messages need views)."""
    def run():
        from modig.training import tasks

        getattr(tasks, function).enqueue(*args)

    transaction.on_commit(run)


# Courses --------------------------------------------------------------------------------------

COURSE_FIELDS = ("code", "title", "description", "format", "nominal_minutes",
                 "prerequisite_level", "materials", "is_published", "municipality")


def _ledger_changed(session_id: int) -> None:
    """For the bulk writes below, which send no signals (training/signals.py)."""
    from modig.training import ledger

    ledger.mark_changed(Course.objects.values_list("programme_id", flat=True)
                        .get(sessions=session_id))


def _check_course(course: Course) -> None:
    errors = {}
    if course.municipality_id and not course.programme.municipalities.filter(
            pk=course.municipality_id).exists():
        errors["municipality"] = _("Choose a municipality that takes part in the programme.")
    if not course.nominal_minutes or course.nominal_minutes <= 0:
        errors["nominal_minutes"] = _("Give the length in minutes, for example 90.")
    if course.prerequisite_level is not None and not 1 <= course.prerequisite_level <= 8:
        errors["prerequisite_level"] = _("Choose a level from 1 to 8, or leave it empty.")
    if Course.objects.filter(code=course.code).exclude(pk=course.pk).exists():
        errors["code"] = _("Another course already has this code. Choose another code.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_course(programme: Programme, *, by, competences=(), target_groups=(),
                  **fields) -> Course:
    """Add a course to the programme's catalogue."""
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown course fields: {sorted(unknown)}")
    course = Course(programme=programme, created_by=_user(by), **fields)
    _check_course(course)
    course.save()
    course.competences.set(competences)
    course.target_groups.set(target_groups)
    return course


@transaction.atomic
def update_course(course: Course, *, by, competences=None, target_groups=None,
                  **changes) -> Course:
    """Change a course's description, format, length, targeting or publication."""
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown course fields: {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    for name, value in changes.items():
        setattr(course, name, value)
    _check_course(course)
    if changes:
        course.save(update_fields=list(changes))
    if competences is not None:
        course.competences.set(competences)
    if target_groups is not None:
        course.target_groups.set(target_groups)
    return course


# Sessions and meetings ------------------------------------------------------------------------

@dataclass
class MeetingData:
    """A meeting as a form gives it: `pk` for an existing meeting, None for a new one."""

    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    pk: int | None = None


SESSION_FIELDS = ("label", "trainer", "place", "video_url", "capacity", "group_level",
                  "municipality")


def _check_meetings(meetings: list[MeetingData]) -> None:
    if not meetings:
        raise ValidationError({"meetings": _("Add at least one meeting with a date and times.")})
    for meeting in meetings:
        if meeting.ends_at <= meeting.starts_at:
            raise ValidationError({"meetings": _(
                "A meeting must end after it starts (%(date)s).") % {"date": meeting.date}})
    ordered = sorted(meetings, key=lambda m: (m.date, m.starts_at))
    for first, second in itertools.pairwise(ordered):
        if first.date == second.date and second.starts_at < first.ends_at:
            raise ValidationError({"meetings": _(
                "Two meetings on %(date)s overlap. Change the times.") % {"date": first.date}})


def _check_session(session: Session) -> None:
    errors = {}
    course = session.course
    if course.municipality_id and session.municipality_id != course.municipality_id:
        errors["municipality"] = _("A local course's sessions are in its own municipality.")
    elif session.municipality_id and not course.programme.municipalities.filter(
            pk=session.municipality_id).exists():
        errors["municipality"] = _("Choose a municipality that takes part in the programme.")
    if not session.capacity or session.capacity <= 0:
        errors["capacity"] = _("Give the number of places, at least 1.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_session(course: Course, *, by, meetings: list[MeetingData], capacity: int,
                   **fields) -> Session:
    """Schedule a session of a course with its meetings."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if course.municipality_id and "municipality" not in fields:
        fields["municipality"] = course.municipality
    session = Session(course=course, capacity=capacity, **fields)
    _check_session(session)
    _check_meetings(meetings)
    session.save()
    Meeting.objects.bulk_create(
        Meeting(session=session, date=m.date, starts_at=m.starts_at, ends_at=m.ends_at)
        for m in meetings
    )
    return session


def _replace_meetings(session: Session, meetings: list[MeetingData]) -> None:
    """Make the session's meetings match the list; present attendance follows new lengths."""
    _check_meetings(meetings)
    existing = {m.pk: m for m in session.meetings.all()}
    kept = {m.pk for m in meetings if m.pk is not None}
    if kept - set(existing):
        raise ValidationError({"meetings": _("A meeting belongs to another session.")})
    removed = set(existing) - kept
    if Attendance.objects.filter(meeting_id__in=removed).exists():
        raise ValidationError({"meetings": _(
            "A meeting with recorded attendance cannot be removed. Correct its times instead.")})
    Meeting.objects.filter(pk__in=removed).delete()
    for data in meetings:
        if data.pk is None:
            Meeting.objects.create(session=session, date=data.date, starts_at=data.starts_at,
                                   ends_at=data.ends_at)
            continue
        meeting = existing[data.pk]
        if (meeting.date, meeting.starts_at, meeting.ends_at) == (
                data.date, data.starts_at, data.ends_at):
            continue
        meeting.date, meeting.starts_at, meeting.ends_at = data.date, data.starts_at, data.ends_at
        length = meeting.minutes
        if meeting.attendances.filter(status=Attendance.Status.PARTIAL,
                                      minutes__gte=length).exists():
            raise ValidationError({"meetings": _(
                "The meeting on %(date)s has partial attendance as long as the new length. "
                "Correct the attendance first.") % {"date": data.date}})
        meeting.save(update_fields=["date", "starts_at", "ends_at"])
        if meeting.attendances.filter(status=Attendance.Status.PRESENT).update(minutes=length):
            _ledger_changed(session.pk)


@transaction.atomic
def update_session(session: Session, *, by, meetings: list[MeetingData] | None = None,
                   **changes) -> Session:
    """Change a session's details and meetings; more places move waiting people up."""
    unknown = set(changes) - {*SESSION_FIELDS, "capacity"}
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = Session.objects.select_for_update(of=("self",)).select_related(
        "course__programme").get(pk=session.pk)
    for name, value in changes.items():
        setattr(session, name, value)
    _check_session(session)
    enrolled = session.enrolments.enrolled().count()
    if session.capacity < enrolled:
        raise ValidationError({"capacity": _(
            "%(count)s people already have a place. Give at least %(count)s places, or cancel "
            "some enrolments first.") % {"count": enrolled}})
    if changes:
        session.save(update_fields=list(changes))
    if meetings is not None:
        _replace_meetings(session, meetings)
    _fill_places(session)
    return session


@transaction.atomic
def cancel_session(session: Session, *, by) -> Session:
    """Cancel a planned session; its participants are told."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        return session
    if Attendance.objects.filter(meeting__session=session).exclude(
            status=Attendance.Status.ABSENT).exists():
        raise ValidationError(_("People have attended this session, so it cannot be "
                                "cancelled. Remove the meetings that will not take place "
                                "instead."))
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    _after_commit("send_session_cancelled", session.pk)
    return session


# Enrolment ------------------------------------------------------------------------------------

def is_active_person(person: Person) -> bool:
    """A person can take part while they have an active employment."""
    return Employment.objects.active().filter(person=person).exists()


def overlapping_meetings(session: Session, person: Person, *, statuses=ACTIVE_STATUSES):
    """The person's meetings in other planned sessions that overlap this session's meetings."""
    overlap = Q(pk__in=[])
    for meeting in session.meetings.all():
        overlap |= Q(date=meeting.date, starts_at__lt=meeting.ends_at,
                     ends_at__gt=meeting.starts_at)
    return (Meeting.objects.filter(overlap)
            .filter(session__status=Session.Status.PLANNED,
                    session__enrolments__person=person,
                    session__enrolments__status__in=statuses)
            .exclude(session=session).select_related("session__course").distinct())


def _refusal(session: Session, person: Person) -> ValidationError | None:
    """Why the person cannot be signed up to the (locked) session, or None."""
    if session.is_cancelled:
        return ValidationError(_("This session is cancelled. Choose another session."),
                               code="cancelled")
    active = Employment.objects.active().filter(person=person)
    if not active.exists():
        return ValidationError(
            _("%(name)s has no active employment and cannot be enrolled.")
            % {"name": person.full_name}, code="inactive")
    if session.municipality_id and not active.filter(
            municipality_id=session.municipality_id).exists():
        return ValidationError(
            _("This session is for staff in %(municipality)s. Choose a session for "
              "%(name)s's municipality.")
            % {"municipality": session.municipality, "name": person.full_name},
            code="other_municipality")
    existing = session.enrolments.active().filter(person=person).first()
    if existing is not None:
        if existing.status == Enrolment.Status.WAITING:
            message = _("%(name)s is already on the waiting list.")
        else:
            message = _("%(name)s is already enrolled.")
        return ValidationError(message % {"name": person.full_name}, code="already_enrolled")
    clash = overlapping_meetings(session, person).first()
    if clash is not None:
        return ValidationError(
            _("%(name)s is already booked on “%(course)s” at the same time (%(meeting)s). "
              "Choose another session.")
            % {"name": person.full_name, "course": clash.session.course, "meeting": clash},
            code="overlap")
    return None


def _enrol_locked(session: Session, person: Person, *, by, source: str) -> Enrolment:
    refusal = _refusal(session, person)
    if refusal is not None:
        raise refusal
    full = session.enrolments.enrolled().count() >= session.capacity
    enrolment = Enrolment.objects.create(
        session=session, person=person, enrolled_by=_user(by), source=source,
        status=Enrolment.Status.WAITING if full else Enrolment.Status.ENROLLED,
    )
    _after_commit("send_enrolment_confirmation", enrolment.pk)
    return enrolment


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related(
        "municipality").get(pk=session.pk)


@transaction.atomic
def enrol(session: Session, person: Person, *, by, source: str) -> Enrolment:
    """Sign a person up: a place while there are free places, else the waiting list."""
    return _enrol_locked(_lock(session), person, by=by, source=source)


def _fill_places(session: Session) -> list[Enrolment]:
    """Move waiting people up while there are free places (the session is locked)."""
    if session.is_cancelled:
        return []
    free = session.capacity - session.enrolments.enrolled().count()
    promoted = []
    for enrolment in session.enrolments.waiting().select_related("person"):
        if free <= 0:
            break
        # Someone who has since been given an overlapping place stays in line.
        if overlapping_meetings(session, enrolment.person,
                                statuses=[Enrolment.Status.ENROLLED]).exists():
            continue
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status"])
        _after_commit("send_place_offered", enrolment.pk)
        promoted.append(enrolment)
        free -= 1
    return promoted


@transaction.atomic
def cancel_enrolment(enrolment: Enrolment, *, by) -> list[Enrolment]:
    """Cancel a place or a place in line; the first waiting people move up. Returns them."""
    session = _lock(enrolment.session)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.CANCELLED:
        return []
    had_place = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    return _fill_places(session) if had_place else []


@dataclass
class UnitEnrolmentResult:
    """What `enrol_unit` did, person by person."""

    enrolled: list[Enrolment] = field(default_factory=list)
    waiting: list[Enrolment] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


def unit_people(unit: Unit):
    """People with an active employment in the unit or a unit below it."""
    units = Unit.objects.in_subtree_of([unit]).values("pk")
    return Person.objects.filter(
        pk__in=Employment.objects.active().filter(units__in=units).values("person_id"))


@transaction.atomic
def enrol_unit(session: Session, unit: Unit, *, by, people=None,
               source: str = Enrolment.Source.MANAGER) -> UnitEnrolmentResult:
    """Sign up a unit's staff (or the chosen people of it): who got a place, who waits, who was
    refused and why."""
    session = _lock(session)
    chosen = unit_people(unit)
    if people is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in people])
    result = UnitEnrolmentResult()
    for person in chosen.order_by("last_name", "first_name", "pk"):
        try:
            enrolment = _enrol_locked(session, person, by=by, source=source)
        except ValidationError as error:
            result.refused.append((person, error.messages[0]))
            continue
        if enrolment.status == Enrolment.Status.ENROLLED:
            result.enrolled.append(enrolment)
        else:
            result.waiting.append(enrolment)
    return result


# Attendance -----------------------------------------------------------------------------------

def _minutes_for(meeting: Meeting, status: str, minutes: int | None) -> int:
    if status == Attendance.Status.PRESENT:
        return meeting.minutes
    if status == Attendance.Status.ABSENT:
        return 0
    if status != Attendance.Status.PARTIAL:
        raise ValidationError(_("Choose present, absent or partly present."), code="status")
    if minutes is None or not 1 <= minutes <= meeting.minutes - 1:
        raise ValidationError(
            _("Partly present needs the minutes attended: from 1 to %(max)s.")
            % {"max": meeting.minutes - 1}, code="minutes")
    return minutes


@transaction.atomic
def record_attendance(meeting: Meeting, person: Person, *, status: str,
                      minutes: int | None = None, by, source: str) -> Attendance:
    """Record (or correct) a person's attendance at a meeting."""
    session = _lock(meeting.session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled. Attendance cannot be recorded."),
                              code="cancelled")
    if meeting.start > timezone.now():
        raise ValidationError(
            _("The meeting has not started yet. Record attendance when it has started."),
            code="not_started")
    minutes = _minutes_for(meeting, status, minutes)
    enrolment = session.enrolments.active().filter(person=person).first()
    if enrolment is None:
        raise ValidationError(
            _("%(name)s is not enrolled in this session. Enrol them first.")
            % {"name": person.full_name}, code="not_enrolled")
    if enrolment.status == Enrolment.Status.WAITING and status != Attendance.Status.ABSENT:
        # They came: a waiting person who attended has had a place.
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status"])
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, person=person,
        defaults={"status": status, "minutes": minutes, "source": source,
                  "recorded_by": _user(by), "recorded_at": timezone.now()},
    )
    return attendance


@transaction.atomic
def complete_distance_course(course: Course, person: Person, *, completed_on: datetime.date,
                             by, confirmed_as: str) -> DistanceCompletion:
    """Record that a person completed a self-paced or blended course (once per course)."""
    if not course.is_distance:
        raise ValidationError(_("Only self-paced and blended courses are completed at a "
                                "distance. Record attendance at the meetings instead."),
                              code="not_distance")
    if completed_on > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."),
                              code="future")
    existing = DistanceCompletion.objects.filter(course=course, person=person).first()
    if existing is not None:
        return existing
    return DistanceCompletion.objects.create(
        course=course, person=person, completed_on=completed_on, confirmed_by=_user(by),
        confirmed_as=confirmed_as)


def attended_minutes(person: Person, session: Session) -> int:
    """The person's recorded minutes over the session's meetings."""
    return Attendance.objects.filter(meeting__session=session, person=person).aggregate(
        total=Sum("minutes"))["total"] or 0


def certification_is_stale(certification: AttendanceCertification) -> bool:
    """Whether attendance changed after the person certified it."""
    return attended_minutes(certification.person, certification.session) != (
        certification.certified_minutes)


@transaction.atomic
def certify_attendance(person: Person, session: Session, *, by=None) -> AttendanceCertification:
    """The participant confirms their own attended time on the session (ESF)."""
    user = _user(by)
    if user is not None and user.person_id != person.pk:
        raise ValidationError(_("Only the participant can confirm their own time."),
                              code="not_self")
    Session.objects.select_for_update().get(pk=session.pk)
    minutes = attended_minutes(person, session)
    if minutes == 0:
        raise ValidationError(_("There is no attended time to confirm for this session."),
                              code="nothing_attended")
    certification, _created = AttendanceCertification.objects.update_or_create(
        person=person, session=session,
        defaults={"certified_minutes": minutes, "certified_at": timezone.now(),
                  "certified_by_user": user},
    )
    return certification


# Overlaps for many people at once (group formation) -------------------------------------------

def booked_at_the_same_time(*, session, person) -> Exists:
    """An `Exists` that is true where the person is enrolled or waiting on another planned
    session with a meeting that overlaps one of the session's meetings: the rule of
    `overlapping_meetings` as a subquery, so one query checks many people (or many sessions).
    `session` and `person` are values or `OuterRef`s into the query that uses it."""
    person_below = OuterRef(person) if isinstance(person, OuterRef) else person
    theirs = (Meeting.objects
              .filter(date=OuterRef("date"), starts_at__lt=OuterRef("ends_at"),
                      ends_at__gt=OuterRef("starts_at"), session__status=Session.Status.PLANNED,
                      session__enrolments__person=person_below,
                      session__enrolments__status__in=ACTIVE_STATUSES)
              .exclude(session=OuterRef("session")))
    return Exists(Meeting.objects.filter(session=session).filter(Exists(theirs)))


def people_booked_at_the_same_time(session: Session, person_ids) -> set[int]:
    """Of these people, the ids of those with an overlapping booking (see above)."""
    return set(Person.objects.filter(pk__in=person_ids)
               .filter(booked_at_the_same_time(session=session.pk, person=OuterRef("pk")))
               .values_list("pk", flat=True))


# Merged person records ------------------------------------------------------------------------

def _move_or_resolve(rows, *, keep, clash_of, better):
    """Move each of the duplicate's rows to `keep`; where keep already has a row for the same
    thing (`clash_of`), the `better` of the two stays and the other is deleted."""
    for theirs in rows:
        ours = clash_of(theirs)
        if ours is not None:
            loser = ours if better(theirs, ours) is theirs else theirs
            loser.delete()
            if loser is theirs:
                continue
        theirs.person = keep
        theirs.save(update_fields=["person"])


def move_training_records(sender, *, keep: Person, duplicate: Person, **kwargs) -> None:
    """When two person records are merged (organisation.services.merge_people), the
    duplicate's enrolments, attendance, completions and certifications follow, so no training
    hour is lost; where both records hold the same thing, the fuller one is kept."""
    _move_or_resolve(
        Attendance.objects.filter(person=duplicate), keep=keep,
        clash_of=lambda a: Attendance.objects.filter(person=keep, meeting_id=a.meeting_id).first(),
        better=lambda a, b: a if a.minutes > b.minutes else b)
    _move_or_resolve(
        DistanceCompletion.objects.filter(person=duplicate), keep=keep,
        clash_of=lambda c: DistanceCompletion.objects.filter(
            person=keep, course_id=c.course_id).first(),
        better=lambda a, b: a if a.completed_on < b.completed_on else b)
    _move_or_resolve(
        AttendanceCertification.objects.filter(person=duplicate), keep=keep,
        clash_of=lambda c: AttendanceCertification.objects.filter(
            person=keep, session_id=c.session_id).first(),
        better=lambda a, b: a if a.certified_at > b.certified_at else b)
    # (Each move above is a save or delete, which bumps the ledger's counters by signal.)
    from modig.training.models import CalendarFeed

    if CalendarFeed.objects.filter(person=keep).exists():
        CalendarFeed.objects.filter(person=duplicate).delete()
    else:
        CalendarFeed.objects.filter(person=duplicate).update(person=keep)
    freed = set()
    for theirs in Enrolment.objects.filter(person=duplicate).order_by("pk"):
        ours = (Enrolment.objects.active().filter(person=keep, session_id=theirs.session_id)
                .first() if theirs.status != Enrolment.Status.CANCELLED else None)
        if ours is not None:
            # One person holds one place: the place (or the earlier place in line) stays.
            rank = {Enrolment.Status.ENROLLED: 0, Enrolment.Status.WAITING: 1}
            loser = max(ours, theirs, key=lambda e: (rank[e.status], e.created_at, e.pk))
            if loser.status == Enrolment.Status.ENROLLED:
                freed.add(loser.session_id)
            loser.status, loser.cancelled_at = Enrolment.Status.CANCELLED, timezone.now()
            loser.save(update_fields=["status", "cancelled_at"])
        theirs.person = keep
        theirs.save(update_fields=["person"])
    for session_id in sorted(freed):
        _fill_places(_lock(Session(pk=session_id)))


# Roll call, check-in and certification (the attendance pages) ---------------------------------
#
# Roll call is open from the meeting's day until ROLL_CALL_DAYS_AFTER days after it (local
# dates): the trainer marks people as they arrive, and can correct a mistake for two weeks;
# later corrections go through the programme office. Check-in by participants is open from
# CHECK_IN_MINUTES_BEFORE minutes before the start to the end of the meeting. Both may record
# before the start (people arrive early), unlike `record_attendance`.

ROLL_CALL_DAYS_AFTER = 14
CHECK_IN_MINUTES_BEFORE = 15


def _day(value: datetime.date) -> str:
    from django.utils import formats

    return formats.date_format(value, "j F Y")


def _clock(value) -> str:
    return value.strftime("%H:%M")


def roll_call_closes_on(meeting: Meeting) -> datetime.date:
    """The last day the meeting's roll call can be saved."""
    return meeting.date + datetime.timedelta(days=ROLL_CALL_DAYS_AFTER)


def roll_call_refusal(session: Session, meeting: Meeting) -> ValidationError | None:
    """Why the meeting's roll call cannot be saved today, or None when it is open."""
    if session.is_cancelled:
        return ValidationError(_("This session is cancelled. Attendance cannot be recorded."),
                               code="cancelled")
    today = timezone.localdate()
    if today < meeting.date:
        return ValidationError(
            _("Roll call opens on the day of the meeting, %(date)s. Come back that day.")
            % {"date": _day(meeting.date)}, code="too_early")
    if today > roll_call_closes_on(meeting):
        return ValidationError(
            _("Roll call is open from the day of the meeting until %(days)s days after. This "
              "meeting was on %(date)s, so roll call closed on %(closed)s. Contact the "
              "programme office if the attendance must be corrected.")
            % {"days": ROLL_CALL_DAYS_AFTER, "date": _day(meeting.date),
               "closed": _day(roll_call_closes_on(meeting))}, code="closed")
    return None


@dataclass(frozen=True)
class RollCallRow:
    """One line of a roll call: a person, a status and (partly present) the minutes."""

    person_id: int
    status: str
    minutes: int | None = None


@dataclass
class RollCallResult:
    """What saving a roll call did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def record_roll_call(meeting: Meeting, rows: list[RollCallRow], *, by) -> RollCallResult:
    """Save a meeting's roll call, every row or none. New rows are created, changed rows
    updated (source roll call), unchanged rows keep who recorded them and how. Raises a
    ValidationError keyed by person id (as text) for rows that cannot be saved."""
    session = _lock(meeting.session)
    refusal = roll_call_refusal(session, meeting)
    if refusal is not None:
        raise refusal
    wanted = {row.person_id: row for row in rows}
    enrolled = set(session.enrolments.active().filter(person_id__in=wanted)
                   .values_list("person_id", flat=True))
    errors, planned = {}, {}
    for person_id, row in wanted.items():
        try:
            planned[person_id] = (row.status, _minutes_for(meeting, row.status, row.minutes))
        except ValidationError as error:
            errors[str(person_id)] = error.messages
    for person in Person.objects.filter(pk__in=set(wanted) - enrolled):
        errors[str(person.pk)] = [_("%(name)s is not enrolled in this session. Add them as "
                                    "someone who came without signing up.")
                                  % {"name": person.full_name}]
    if errors:
        raise ValidationError(errors)
    user, now = _user(by), timezone.now()
    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting,
                                                                  person_id__in=planned)}
    new, changed = [], []
    for person_id, (status, minutes) in planned.items():
        attendance = existing.get(person_id)
        if attendance is None:
            new.append(Attendance(meeting=meeting, person_id=person_id, status=status,
                                  minutes=minutes, source=Attendance.Source.ROLL_CALL,
                                  recorded_by=user, recorded_at=now))
        elif (attendance.status, attendance.minutes) != (status, minutes):
            attendance.status, attendance.minutes = status, minutes
            attendance.source, attendance.recorded_by = Attendance.Source.ROLL_CALL, user
            attendance.recorded_at = now
            changed.append(attendance)
    Attendance.objects.bulk_create(new, batch_size=500)
    Attendance.objects.bulk_update(
        changed, ["status", "minutes", "source", "recorded_by", "recorded_at"], batch_size=500)
    if new or changed:
        _ledger_changed(session.pk)
    # A waiting person who attended has had a place (as in record_attendance).
    session.enrolments.waiting().filter(person_id__in=[
        person_id for person_id, (status, _m) in planned.items()
        if status != Attendance.Status.ABSENT
    ]).update(status=Enrolment.Status.ENROLLED)
    return RollCallResult(len(new), len(changed), len(planned) - len(new) - len(changed))


@transaction.atomic
def add_walk_in(meeting: Meeting, person: Person, *, by) -> Attendance:
    """Someone who came without signing up: enrol them (source walk-in) and record them
    present. Only a person who could have signed up: active, employed in the session's
    municipality, not booked elsewhere at the same time."""
    session = _lock(meeting.session)
    refusal = roll_call_refusal(session, meeting) or _refusal(session, person)
    if refusal is not None:
        raise refusal
    Enrolment.objects.create(session=session, person=person, status=Enrolment.Status.ENROLLED,
                             enrolled_by=_user(by), source=Enrolment.Source.WALK_IN)
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, person=person,
        defaults={"status": Attendance.Status.PRESENT, "minutes": meeting.minutes,
                  "source": Attendance.Source.ROLL_CALL, "recorded_by": _user(by),
                  "recorded_at": timezone.now()})
    return attendance


def check_in_opens_at(meeting: Meeting) -> datetime.datetime:
    """When participants can start checking in to the meeting."""
    return meeting.start - datetime.timedelta(minutes=CHECK_IN_MINUTES_BEFORE)


def check_in_is_open(meeting: Meeting) -> bool:
    """Whether participants can check in to the meeting now."""
    return check_in_opens_at(meeting) <= timezone.now() <= meeting.end


def check_in_refusal(session: Session, meeting: Meeting) -> ValidationError | None:
    """Why nobody can check in to the meeting now (in words for the participant), or None."""
    if session.is_cancelled:
        return ValidationError(_("This session is cancelled. There is nothing to check in to."),
                               code="cancelled")
    now = timezone.now()
    values = {"course": session.course.title, "date": _day(meeting.date),
              "opens": _clock(timezone.localtime(check_in_opens_at(meeting))),
              "start": _clock(meeting.starts_at), "end": _clock(meeting.ends_at),
              "minutes": CHECK_IN_MINUTES_BEFORE}
    if now < check_in_opens_at(meeting):
        return ValidationError(
            _("This code is for “%(course)s” on %(date)s at %(start)s–%(end)s. Check-in opens "
              "at %(opens)s that day, %(minutes)s minutes before the start. Try again then.")
            % values,
            code="too_early")
    if now > meeting.end:
        return ValidationError(
            _("This code is for “%(course)s” on %(date)s at %(start)s–%(end)s. That meeting "
              "is over, so check-in is closed. Ask the trainer to mark you present.") % values,
            code="closed")
    return None


@transaction.atomic
def check_in(meeting: Meeting, person: Person, *, by) -> tuple[Attendance, bool]:
    """A participant checks in to a meeting that is going on: recorded present (source
    check-in) unless attendance is already recorded, which is left as it is. Returns the
    attendance and whether it was created."""
    session = _lock(meeting.session)
    refusal = check_in_refusal(session, meeting)
    if refusal is not None:
        raise refusal
    enrolment = session.enrolments.active().filter(person=person).first()
    if enrolment is None:
        raise ValidationError(
            _("You are not signed up for “%(course)s”. Ask the trainer to add you to the roll "
              "call.") % {"course": session.course.title}, code="not_enrolled")
    existing = Attendance.objects.filter(meeting=meeting, person=person).first()
    if existing is not None:
        return existing, False
    if enrolment.status == Enrolment.Status.WAITING:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status"])
    attendance = Attendance.objects.create(
        meeting=meeting, person=person, status=Attendance.Status.PRESENT,
        minutes=meeting.minutes, source=Attendance.Source.CHECK_IN, recorded_by=_user(by),
        recorded_at=timezone.now())
    return attendance, True


def attended_minutes_by_session(person: Person) -> dict[int, int]:
    """`attended_minutes` for every session of the person at once: {session id: minutes}."""
    rows = (Attendance.objects.filter(person=person).order_by()
            .values("meeting__session").annotate(total=Sum("minutes")))
    return {row["meeting__session"]: row["total"] for row in rows}


@transaction.atomic
def confirm_attended_time(person: Person, session: Session, *, minutes_shown: int,
                          by) -> AttendanceCertification:
    """Certify the attended time the person was shown; refused if it changed meanwhile."""
    Session.objects.select_for_update().get(pk=session.pk)
    if attended_minutes(person, session) != minutes_shown:
        raise ValidationError(_("Your recorded time for this session has just changed. Check "
                                "the new time and confirm again."), code="changed")
    return certify_attendance(person, session, by=by)
