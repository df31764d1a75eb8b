"""Reads for a person's training records ("Min utbildning"), certificates and a manager's view
of their staff. Hours come from the ledger (`ledger.person_history`, `ledger.totals`,
`ledger.minutes_by_person`): this module only groups its entries for display.

A course is **completed** (and gets a certificate) when the person has a distance completion
of it, or attended (present or partly present) every meeting of one of its sessions that was
not cancelled.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from modig.organisation.models import Person, Programme
from modig.training import ledger, services
from modig.training.models import (
    Attendance,
    AttendanceCertification,
    Course,
    DistanceCompletion,
    Enrolment,
    Meeting,
    Session,
)


@dataclass
class SessionRecord:
    """A session the person attended: its meetings' attendance, the ledger's minutes and the
    person's certification of their time."""

    session: Session
    attendances: list[Attendance]
    minutes: int  # from the ledger
    attended_minutes: int  # what a certification would confirm (services.attended_minutes)
    certification: AttendanceCertification | None
    meeting_count: int

    @property
    def course(self) -> Course:
        return self.session.course

    @property
    def is_complete(self) -> bool:
        attended = [a for a in self.attendances if a.status != Attendance.Status.ABSENT]
        return not self.session.is_cancelled and len(attended) == self.meeting_count

    @property
    def is_certified(self) -> bool:
        return (self.certification is not None
                and self.certification.certified_minutes == self.attended_minutes)

    @property
    def is_stale(self) -> bool:
        """Certified, but the attendance changed afterwards: needs a new confirmation."""
        return self.certification is not None and not self.is_certified

    @property
    def can_certify(self) -> bool:
        return self.attended_minutes > 0 and not self.is_certified


@dataclass
class OtherEntry:
    """A ledger entry of another kind (coaching, once the ambassadors app registers it)."""

    title: str
    on: object
    minutes: int
    kind: str


@dataclass
class PersonRecords:
    person: Person
    sessions: list[SessionRecord] = field(default_factory=list)
    distance: list[DistanceCompletion] = field(default_factory=list)
    other: list[OtherEntry] = field(default_factory=list)
    totals: list[tuple[Programme, ledger.Figure]] = field(default_factory=list)
    upcoming: list[Enrolment] = field(default_factory=list)

    @property
    def completed_courses(self) -> list[Course]:
        """Courses with a certificate, each once, in the order they were completed."""
        courses = [c.course for c in self.distance]
        courses += [r.course for r in self.sessions if r.is_complete]
        seen, result = set(), []
        for course in courses:
            if course.pk not in seen:
                seen.add(course.pk)
                result.append(course)
        return result


def _history(person: Person, programme: Programme | None = None) -> list[dict]:
    return list(ledger.person_history(person, programme))


def person_records(person: Person) -> PersonRecords:
    """Everything the person's learning history shows, in a fixed number of queries."""
    entries = _history(person)
    records = PersonRecords(person)
    by_kind = defaultdict(list)
    for entry in entries:
        by_kind[entry["entry_kind"]].append(entry)
    minutes_by_attendance = {e["entry_id"]: e["entry_minutes"]
                             for e in by_kind.pop(ledger.ATTENDANCE, [])}
    session_ids = set(Attendance.objects.filter(pk__in=minutes_by_attendance)
                      .values_list("meeting__session_id", flat=True))
    attendances = defaultdict(list)
    for attendance in (Attendance.objects.filter(person=person, meeting__session_id__in=session_ids)
                       .select_related("meeting").order_by("meeting__date",
                                                           "meeting__starts_at")):
        attendances[attendance.meeting.session_id].append(attendance)
    sessions = Session.objects.filter(pk__in=session_ids).select_related("course")
    meeting_counts = dict(Meeting.objects.filter(session_id__in=session_ids).order_by()
                          .values("session_id").annotate(n=Count("pk"))
                          .values_list("session_id", "n"))
    attended = services.attended_minutes_by_session(person)
    certifications = {c.session_id: c for c in
                      AttendanceCertification.objects.filter(person=person,
                                                             session_id__in=session_ids)}
    for session in sessions:
        rows = attendances[session.pk]
        records.sessions.append(SessionRecord(
            session=session, attendances=rows,
            minutes=sum(minutes_by_attendance.get(a.pk, 0) for a in rows),
            attended_minutes=attended.get(session.pk, 0),
            certification=certifications.get(session.pk),
            meeting_count=meeting_counts.get(session.pk, 0)))
    records.sessions.sort(key=lambda r: (r.attendances[0].meeting.date, r.session.pk))
    distance_ids = [e["entry_id"] for e in by_kind.pop(ledger.DISTANCE, [])]
    records.distance = list(DistanceCompletion.objects.filter(pk__in=distance_ids)
                            .select_related("course").order_by("completed_on", "pk"))
    for kind, rows in by_kind.items():
        records.other += [OtherEntry(e["entry_title"], e["entry_on"], e["entry_minutes"], kind)
                          for e in rows]
    people = Person.objects.filter(pk=person.pk)
    for programme in Programme.objects.filter(courses__isnull=False).distinct().order_by("pk"):
        figure = ledger.totals(programme, ledger.LedgerFilter(people=people))
        if figure.minutes:
            records.totals.append((programme, figure))
    records.upcoming = list(
        Enrolment.objects.active().filter(person=person, session__in=Session.objects.upcoming())
        .select_related("session__course").order_by("created_at"))
    return records


@dataclass
class Certificate:
    """What a course certificate says: the course, the dates and the ledger's minutes."""

    person: Person
    course: Course
    minutes: int
    first_on: object
    last_on: object
    programme: Programme


def certificate_for(person: Person, course: Course) -> Certificate | None:
    """The person's certificate for a completed course, or None when it is not completed."""
    records = person_records(person)
    if course.pk not in {c.pk for c in records.completed_courses}:
        return None
    entries = [e for e in _history(person, course.programme)
               if e["entry_course"] == course.pk]
    dates = [e["entry_on"] for e in entries]
    return Certificate(person=person, course=course,
                       minutes=sum(e["entry_minutes"] for e in entries),
                       first_on=min(dates) if dates else None,
                       last_on=max(dates) if dates else None,
                       programme=course.programme)


# A manager's view of their staff --------------------------------------------------------------

@dataclass
class StaffRow:
    person: Person
    units: list
    upcoming: list[Enrolment]
    sessions_attended: int
    minutes: int

    @property
    def has_attended(self) -> bool:
        return self.minutes > 0


def staff_rows(people: list[Person], programme: Programme | None) -> list[StaffRow]:
    """One page of staff: their units, upcoming places, sessions attended and the ledger's
    minutes in the programme (a fixed number of queries for the page)."""
    ids = [p.pk for p in people]
    minutes = ledger.minutes_by_person(programme, ledger.LedgerFilter(
        people=Person.objects.filter(pk__in=ids))) if programme and ids else {}
    upcoming = defaultdict(list)
    for enrolment in (Enrolment.objects.active()
                      .filter(person_id__in=ids, session__in=Session.objects.upcoming())
                      .select_related("session__course").order_by("created_at")):
        upcoming[enrolment.person_id].append(enrolment)
    attended = dict(Attendance.objects.filter(person_id__in=ids)
                    .exclude(Q(status=Attendance.Status.ABSENT)
                             | Q(meeting__session__status=Session.Status.CANCELLED))
                    .order_by().values("person_id")
                    .annotate(n=Count("meeting__session", distinct=True))
                    .values_list("person_id", "n"))
    rows = []
    for person in people:
        units = sorted({unit.name for employment in person.active_employments
                        for unit in employment.units.all()})
        rows.append(StaffRow(person, units, upcoming[person.pk], attended.get(person.pk, 0),
                             minutes.get(person.pk, 0)))
    return rows
