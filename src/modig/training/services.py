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
        meeting.attendances.filter(status=Attendance.Status.PRESENT).update(minutes=length)


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
