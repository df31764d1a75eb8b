"""Importing a video meeting's attendance report for one meeting: read the file, check that it
is for this meeting, match its rows to people, let the user settle the rows that match nobody
or several, and record Attendance rows (source "import") all or nothing.

Matching, for each row of the file (attendance_files.Participant):
1. by e-mail (the row's e-mail or Teams' account name), case-insensitively, to Person.email;
2. by name: case, accents, punctuation and word order ignored, so "Berg, Bertil" is Bertil
   Berg; a person also answers to their first given name and last name ("Anna Andersson" for
   Anna Maria Andersson); Zoom's original name and a name without "(Guest)" are tried too.
Both among the people enrolled in the session (waiting list included) first, then among the
staff of the session's municipality (of the programme's municipalities for a programme-wide
session) that the user may see. A match outside the session cannot be recorded (enrol the
person first); it is shown so the user knows who it is. (Staff are found by e-mail or by their
whole first name and last name; "Anna Andersson" finds the enrolled Anna Maria Andersson but
not one who is only on the staff list.)

Time: each person's intervals (several rows of one person are combined) clipped to the
scheduled meeting. Present when that is at least the meeting's length minus
PRESENT_TOLERANCE_MINUTES, partly present with the whole minutes otherwise, absent under a
minute. The matching is worked out again from the stored report whenever it is shown or
committed, so enrolling someone between upload and commit is taken into account.
"""

import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from modig.accounts.access import people_visible_to
from modig.organisation.models import Employment, Person
from modig.training import access
from modig.training.attendance_files import (
    ORGANISER,
    AttendanceReport,
    Participant,
    attended_seconds,
    read_attendance_file,
)
from modig.training.models import Attendance, AttendanceImport, Enrolment, Meeting, Session

PRESENT_TOLERANCE_MINUTES = 10
IGNORE = "ignore"

# The states of a row, for the review page.
MATCHED = "matched"  # one enrolled person
AMBIGUOUS = "ambiguous"  # several enrolled people: the user picks one
NOT_ENROLLED = "not_enrolled"  # one person on the staff list who is not enrolled
UNMATCHED = "unmatched"  # nobody (guests, the organiser, a name that differs)


@dataclass
class RowMatch:
    """One row of the file and who it is."""

    index: int
    participant: Participant
    state: str
    person: Person | None = None  # MATCHED, NOT_ENROLLED
    candidates: list[Person] = field(default_factory=list)  # AMBIGUOUS
    how: str = ""  # "email" or "name"
    seconds: int = 0  # attended within the scheduled meeting

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    @property
    def needs_decision(self) -> bool:
        return self.state != MATCHED

    @property
    def suggests_ignoring(self) -> bool:
        """The meeting's organiser (the trainer, usually) matching nobody enrolled."""
        return self.participant.role == ORGANISER and self.state in (UNMATCHED, NOT_ENROLLED)


@dataclass
class Outcome:
    """What committing would record for one person."""

    person: Person
    status: str
    minutes: int
    rows: list[int]


# Access ---------------------------------------------------------------------------------------

def meeting_for_import(user, session_pk: int, meeting_pk: int) -> Meeting:
    """A meeting to import attendance for: 404 outside the user's scope, 403 for those who do
    not take attendance on the session (its trainer, its coordinator, the programme office)."""
    session = access.session_for_user(user, session_pk)
    meeting = session.meetings.filter(pk=meeting_pk).first()
    if meeting is None:
        raise Http404
    if not access.can_take_attendance(user, session):
        raise PermissionDenied
    meeting.session = session
    return meeting


def attendance_import_for_user(user, pk: int) -> AttendanceImport:
    """An import by id, under the same rules as its meeting."""
    attendance_import = AttendanceImport.objects.filter(
        pk=pk, meeting__session__in=Session.objects.visible_to(user).values("pk")).first()
    if attendance_import is None:
        raise Http404
    attendance_import.meeting = meeting_for_import(
        user, attendance_import.meeting.session_id, attendance_import.meeting_id)
    return attendance_import


# Reading and storing --------------------------------------------------------------------------

def _local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def check_report_is_for_meeting(report: AttendanceReport, meeting: Meeting) -> None:
    """Refuse a file whose times do not overlap the scheduled meeting."""
    first = report.started_at or report.first_joined_at
    last = report.ended_at or report.last_left_at
    if first is None or last is None or last <= meeting.start or first >= meeting.end:
        raise ValidationError(
            _("The file is from another meeting: its times are %(first)s–%(last)s, but this "
              "meeting is %(meeting)s. Choose the report for this meeting.")
            % {"first": _local(first) if first else "?", "last": _local(last) if last else "?",
               "meeting": meeting}, code="other_meeting")


def _check_meeting_open(session: Session, meeting: Meeting) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled. Attendance cannot be recorded."),
                              code="cancelled")
    if meeting.start > timezone.now():
        raise ValidationError(
            _("The meeting has not started yet. Import the report after the meeting."),
            code="not_started")


def start_attendance_import(meeting: Meeting, *, file_name: str, content: bytes,
                            by) -> AttendanceImport:
    """Read an uploaded report for the meeting and keep it for review; nothing is recorded."""
    _check_meeting_open(meeting.session, meeting)
    report = read_attendance_file(content, file_name=file_name, expected_date=meeting.date)
    check_report_is_for_meeting(report, meeting)
    return AttendanceImport.objects.create(
        meeting=meeting, file_name=file_name[:255], shape=report.shape,
        file_sha256=hashlib.sha256(content).hexdigest(), report=report.to_dict(),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None)


def report_of(attendance_import: AttendanceImport) -> AttendanceReport:
    return AttendanceReport.from_dict(attendance_import.report)


def was_imported_before(attendance_import: AttendanceImport) -> bool:
    """The same file was already saved for this meeting (saving it again changes nothing)."""
    return AttendanceImport.objects.filter(
        meeting_id=attendance_import.meeting_id, file_sha256=attendance_import.file_sha256,
        status=AttendanceImport.Status.COMMITTED).exclude(pk=attendance_import.pk).exists()


# Matching -------------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.casefold())
    return _WORDS.findall("".join(char for char in text if not unicodedata.combining(char)))


def name_key(text: str) -> str:
    """A name made comparable: case, accents, punctuation and word order do not matter."""
    return " ".join(sorted(_words(text)))


def person_keys(person: Person) -> set[str]:
    """The name keys a person answers to: their whole name, and first given name + last name."""
    given, family = _words(person.first_name), _words(person.last_name)
    keys = {" ".join(sorted(given + family))}
    if len(given) > 1:
        keys.add(" ".join(sorted(given[:1] + family)))
    return keys - {""}


def _participant_keys(participant: Participant) -> set[str]:
    return {name_key(name) for name in (participant.name, *participant.aliases)} - {""}


def _participant_emails(participant: Participant) -> set[str]:
    return {address.casefold() for address in (participant.email, participant.upn) if address}


class _Directory:
    """People indexed by e-mail and name key."""

    def __init__(self, people):
        self.by_email: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.people: dict[int, Person] = {}
        for person in people:
            self.people[person.pk] = person
            if person.email:
                self.by_email[person.email.casefold()].add(person.pk)
            for key in person_keys(person):
                self.by_name[key].add(person.pk)

    def find(self, participant: Participant) -> tuple[set[int], str]:
        """The people the row may be, and how they were found."""
        by_email = set().union(*(self.by_email.get(a, set())
                                 for a in _participant_emails(participant)))
        if by_email:
            return by_email, "email"
        by_name = set().union(*(self.by_name.get(k, set())
                                for k in _participant_keys(participant)))
        return by_name, "name" if by_name else ""


def enrolled_people(session: Session):
    """People enrolled in the session or on its waiting list."""
    return Person.objects.filter(
        pk__in=session.enrolments.active().values("person_id")).order_by(
        "last_name", "first_name", "pk").only("pk", "first_name", "last_name", "email")


def _staff_municipality_ids(session: Session) -> list[int]:
    if session.municipality_id:
        return [session.municipality_id]
    return list(session.course.programme.municipalities.values_list("pk", flat=True))


def _staff_candidates(session: Session, participants: list[Participant], *, user,
                      exclude: set[int]):
    """Staff the rows might be, narrowed in the database: by e-mail, or by a first and a last
    name that are both words (or pairs of words) of a row's name; among the people of the
    session's municipalities the user may see."""
    emails, words = set(), set()
    for participant in participants:
        emails |= _participant_emails(participant)
        for name in (participant.name, *participant.aliases):
            tokens = [token.casefold() for token in re.findall(r"[^\W\d_]+", name)]
            words |= set(tokens)
            words |= {" ".join(pair) for pair in itertools.pairwise(tokens)}
    if not emails and not words:
        return Person.objects.none()
    staff = Employment.objects.active().filter(
        municipality_id__in=_staff_municipality_ids(session)).values("person_id")
    return (Person.objects
            .annotate(email_lower=Lower("email"), first_lower=Lower("first_name"),
                      last_lower=Lower("last_name"))
            .filter(Q(email_lower__in=emails) | Q(first_lower__in=words, last_lower__in=words))
            .filter(pk__in=staff).filter(pk__in=people_visible_to(user).values("pk"))
            .exclude(pk__in=exclude).only("pk", "first_name", "last_name", "email"))


def match_rows(attendance_import: AttendanceImport, *, user) -> list[RowMatch]:
    """Every row of the stored report with its match, worked out from today's enrolments."""
    meeting = attendance_import.meeting
    session = meeting.session
    participants = report_of(attendance_import).participants
    enrolled = _Directory(enrolled_people(session))
    rows, pending = [], []
    for index, participant in enumerate(participants):
        row = RowMatch(index, participant, UNMATCHED,
                       seconds=attended_seconds(participant.intervals, meeting.start,
                                                meeting.end))
        found, how = enrolled.find(participant)
        if len(found) == 1:
            row.state, row.person, row.how = MATCHED, enrolled.people[found.pop()], how
        elif found:
            row.state, row.how = AMBIGUOUS, how
            row.candidates = sorted((enrolled.people[pk] for pk in found),
                                    key=lambda p: (p.last_name, p.first_name, p.pk))
        else:
            pending.append(row)
        rows.append(row)
    if pending:
        staff = _Directory(_staff_candidates(session, [r.participant for r in pending],
                                             user=user, exclude=set(enrolled.people)))
        for row in pending:
            found, how = staff.find(row.participant)
            if len(found) == 1:
                row.state, row.person, row.how = NOT_ENROLLED, staff.people[found.pop()], how
    return rows


def choices_for(row: RowMatch, enrolled: list[Person], taken: set[int]) -> list[Person]:
    """Whom the user may pick for a row: the candidates of an ambiguous row, else the enrolled
    people no other row matched."""
    if row.state == AMBIGUOUS:
        return row.candidates
    return [person for person in enrolled if person.pk not in taken]


# Committing -----------------------------------------------------------------------------------

def status_for(meeting: Meeting, seconds: int) -> tuple[str, int]:
    """The attendance status and minutes for time attended within the meeting."""
    minutes = min(seconds // 60, meeting.minutes)
    if minutes >= meeting.minutes - PRESENT_TOLERANCE_MINUTES:
        return Attendance.Status.PRESENT, meeting.minutes
    if minutes >= 1:
        return Attendance.Status.PARTIAL, minutes
    return Attendance.Status.ABSENT, 0


def outcomes(attendance_import: AttendanceImport, rows: list[RowMatch],
             decisions: dict[int, str]) -> list[Outcome]:
    """Who gets which attendance, given the user's decisions ({row index: person id or
    IGNORE}; a matched row without a decision keeps its match). Raises ValidationError when a
    row still needs a decision or a decision is not one of the row's choices."""
    meeting = attendance_import.meeting
    enrolled = list(enrolled_people(meeting.session))
    by_pk = {person.pk: person for person in enrolled}
    taken = {row.person.pk for row in rows if row.state == MATCHED}
    undecided, intervals, row_numbers = [], defaultdict(list), defaultdict(list)
    for row in rows:
        decision = decisions.get(row.index, "")
        if decision == IGNORE:
            continue
        if decision:
            allowed = {p.pk for p in choices_for(row, enrolled, taken)}
            if not decision.isdigit() or int(decision) not in allowed:
                raise ValidationError(
                    _("The choice for %(name)s is not one of the options. Choose again.")
                    % {"name": row.participant.name}, code="bad_choice")
            person = by_pk[int(decision)]
        elif row.state == MATCHED:
            person = row.person
        else:
            undecided.append(row)
            continue
        intervals[person.pk].extend(row.participant.intervals)
        row_numbers[person.pk].append(row.participant.row)
    if undecided:
        raise ValidationError(
            _("Choose a person or “Do not count” for every row that needs it. %(count)s rows "
              "are left, the first is %(name)s.")
            % {"count": len(undecided), "name": undecided[0].participant.name},
            code="undecided")
    result = []
    for pk, person_intervals in intervals.items():
        seconds = attended_seconds(person_intervals, meeting.start, meeting.end)
        status, minutes = status_for(meeting, seconds)
        result.append(Outcome(by_pk[pk], status, minutes, sorted(row_numbers[pk])))
    return sorted(result, key=lambda o: (o.person.last_name, o.person.first_name, o.person.pk))


@transaction.atomic
def commit_attendance_import(attendance_import: AttendanceImport, *, by,
                             decisions: dict[int, str]) -> AttendanceImport:
    """Record the import's attendance, all or nothing. Committing an import twice, or the same
    file again, changes nothing."""
    attendance_import = AttendanceImport.objects.select_for_update().select_related(
        "meeting__session").get(pk=attendance_import.pk)
    if attendance_import.is_committed:
        return attendance_import
    meeting = attendance_import.meeting
    session = Session.objects.select_for_update().get(pk=meeting.session_id)
    _check_meeting_open(session, meeting)
    user = by if getattr(by, "is_authenticated", False) else None
    planned = outcomes(attendance_import, match_rows(attendance_import, user=by), decisions)
    existing = {a.person_id: a for a in Attendance.objects.filter(
        meeting=meeting, person_id__in=[o.person.pk for o in planned])}
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for outcome in planned:
        attendance = existing.get(outcome.person.pk)
        if attendance is None:
            new.append(Attendance(meeting=meeting, person=outcome.person, status=outcome.status,
                                  minutes=outcome.minutes, source=Attendance.Source.IMPORT,
                                  recorded_by=user, recorded_at=now))
        elif (attendance.status, attendance.minutes) != (outcome.status, outcome.minutes):
            attendance.status, attendance.minutes = outcome.status, outcome.minutes
            attendance.source, attendance.recorded_by = Attendance.Source.IMPORT, user
            attendance.recorded_at = now
            changed.append(attendance)
        else:
            unchanged += 1
    Attendance.objects.bulk_create(new, batch_size=500)
    Attendance.objects.bulk_update(
        changed, ["status", "minutes", "source", "recorded_by", "recorded_at"], batch_size=500)
    if new or changed:
        # Bulk writes send no signals (training/signals.py).
        from modig.training import ledger

        ledger.mark_changed(session.course.programme_id)
    # A waiting person who attended has had a place (as in roll call).
    session.enrolments.waiting().filter(person_id__in=[
        o.person.pk for o in planned if o.status != Attendance.Status.ABSENT
    ]).update(status=Enrolment.Status.ENROLLED)
    attendance_import.status = AttendanceImport.Status.COMMITTED
    attendance_import.decisions = {str(index): value for index, value in decisions.items()}
    attendance_import.committed_by, attendance_import.committed_at = user, now
    attendance_import.created_count, attendance_import.updated_count = len(new), len(changed)
    attendance_import.unchanged_count = unchanged
    attendance_import.save(update_fields=[
        "status", "decisions", "committed_by", "committed_at", "created_count",
        "updated_count", "unchanged_count"])
    return attendance_import

