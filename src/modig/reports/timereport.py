"""The time report per unit and month (docs/esf-reports.md): each participant's ledger entries
with date, minutes and whether the participant has certified them, and a summary the unit
manager signs. Entries come from training.ledger (the one definition of training time).

Certified means: an attendance entry whose session the participant has confirmed and the
confirmation is not stale (the attended minutes are still what they confirmed); a distance
course completion that the participant confirmed themselves. Anything else (a completion
confirmed by a manager, coaching) is uncertified.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, Sum

from modig.accounts import access as account_access
from modig.accounts.models import Role
from modig.organisation.models import Person, Programme, Unit
from modig.reports.participants import month_end
from modig.training import ledger
from modig.training.models import Attendance, AttendanceCertification, DistanceCompletion


def units_for_time_reports(user):
    """Unit managers their units (and below), coordinators their municipality, admins all;
    None for anyone else (the page is refused)."""
    if account_access.is_programme_admin(user):
        return Unit.objects.all()
    condition = Q(municipality_id__in=account_access.coordinated_municipality_ids(user))
    managed = [unit for a in account_access.current_assignments(user)
               if a.role == Role.UNIT_MANAGER for unit in a.units.all()]
    for unit in managed:
        condition |= Q(path__startswith=unit.path)
    if not managed and not account_access.coordinated_municipality_ids(user):
        return None
    return Unit.objects.filter(condition)


@dataclass
class Entry:
    on: datetime.date
    minutes: int
    kind: str
    title: str
    certified: bool


@dataclass
class ParticipantTime:
    person: Person
    entries: list = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(entry.minutes for entry in self.entries)

    @property
    def certified_minutes(self) -> int:
        return sum(entry.minutes for entry in self.entries if entry.certified)


@dataclass
class UnitMonth:
    programme: Programme
    unit: Unit
    month: datetime.date
    participants: list

    @property
    def people(self) -> int:
        return len(self.participants)

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.participants)

    @property
    def certified_minutes(self) -> int:
        return sum(p.certified_minutes for p in self.participants)

    @property
    def certified_share(self) -> int | None:
        """Certified minutes as a whole percentage of all minutes (None without minutes)."""
        return round(100 * self.certified_minutes / self.minutes) if self.minutes else None


def _month_entries(programme: Programme, unit: Unit, month: datetime.date) -> list[tuple]:
    union_sql, params = ledger.entries(
        programme, ledger.LedgerFilter(units=[unit])).query.sql_with_params()
    sql = ("SELECT e.entry_person, e.entry_on, e.entry_minutes, e.entry_kind, e.entry_id, "  # noqa: S608
           f"e.entry_title FROM ({union_sql}) e WHERE e.entry_on BETWEEN %s AND %s "
           "ORDER BY e.entry_person, e.entry_on, e.entry_id")
    # Only Django-compiled SQL and fixed text are formatted in; values stay parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, month.isoformat(), month_end(month).isoformat()))
        return cursor.fetchall()


def _certified_attendance(ids: list[int]) -> set[int]:
    """The attendance records (of `ids`) whose session the person certified, not stale."""
    records = list(Attendance.objects.filter(pk__in=ids)
                   .values_list("pk", "person_id", "meeting__session_id"))
    pairs = {(person, session) for _pk, person, session in records}
    if not pairs:
        return set()
    people = {person for person, _session in pairs}
    sessions = {session for _person, session in pairs}
    attended = {
        (row["person_id"], row["meeting__session_id"]): row["total"]
        for row in Attendance.objects.filter(person_id__in=people,
                                             meeting__session_id__in=sessions)
        .values("person_id", "meeting__session_id").annotate(total=Sum("minutes"))}
    certified = {
        (person, session) for person, session, minutes in
        AttendanceCertification.objects.filter(person_id__in=people, session_id__in=sessions)
        .values_list("person_id", "session_id", "certified_minutes")
        if attended.get((person, session)) == minutes}
    return {pk for pk, person, session in records if (person, session) in certified}


def unit_month(programme: Programme, unit: Unit, month: datetime.date) -> UnitMonth:
    rows = _month_entries(programme, unit, month)
    attendance_ids = [row[4] for row in rows if row[3] == ledger.ATTENDANCE]
    distance_ids = [row[4] for row in rows if row[3] == ledger.DISTANCE]
    certified_attendance = _certified_attendance(attendance_ids)
    certified_distance = set(DistanceCompletion.objects.filter(
        pk__in=distance_ids, confirmed_as=DistanceCompletion.ConfirmedAs.SELF)
        .values_list("pk", flat=True))
    people = Person.objects.in_bulk({row[0] for row in rows})
    participants: dict[int, ParticipantTime] = {}
    for person_id, on, minutes, kind, entry_id, title in rows:
        certified = ((kind == ledger.ATTENDANCE and entry_id in certified_attendance)
                     or (kind == ledger.DISTANCE and entry_id in certified_distance))
        participant = participants.setdefault(person_id, ParticipantTime(people[person_id]))
        participant.entries.append(Entry(
            on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on),
            int(minutes), kind, title, certified))
    ordered = sorted(participants.values(),
                     key=lambda p: (p.person.last_name, p.person.first_name, p.person.pk))
    return UnitMonth(programme, unit, month, ordered)
