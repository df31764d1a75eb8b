"""Microsoft Teams' attendance report as downloaded today: tab-separated UTF-16 in numbered
sections, "1. Summary" (label, value rows), "2. Participants" (one row per person: first join,
last leave, time in the meeting) and "3. In-Meeting Activities" (one row per join: join time,
leave time). Labels, header names, durations and timestamps follow the downloader's language
and regional settings; known labels per language are listed below. Attended time comes from
the activities section, because a person who left and rejoined has one row per stretch there."""

import collections
import re

from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files import values
from modig.training.attendance_files.errors import AttendanceFileError, cut_off, quoted, row_error
from modig.training.attendance_files.report import TEAMS, AttendanceReport, Interval, Participant

SHAPE = TEAMS

SECTIONS = {
    "summary": {"summary", "meeting summary", "sammanfattning", "mötessammanfattning",
                "sammanfattning av mötet"},
    "participants": {"participants", "deltagare"},
    "activities": {"in-meeting activities", "in-meeting activity", "activities",
                   "aktiviteter under mötet", "aktiviteter i mötet", "mötesaktiviteter",
                   "aktiviteter"},
}
_NUMBERED = re.compile(r"^\d{1,2}\s*[.)]\s*(\S.*)$")

SUMMARY = {
    "title": {"meeting title", "title", "mötesrubrik", "mötets rubrik", "rubrik", "mötestitel",
              "mötets titel", "titel"},
    "start": {"start time", "meeting start time", "starttid", "mötets starttid", "start"},
    "end": {"end time", "meeting end time", "sluttid", "mötets sluttid", "slut"},
}

# Column labels of both tables (participants and in-meeting activities).
TABLE = {
    "name": {"name", "full name", "display name", "namn", "fullständigt namn", "visningsnamn"},
    "join": {"first join", "join time", "first joined", "joined", "första anslutning",
             "första anslutningen", "anslutningstid", "tid för anslutning", "anslöt"},
    "leave": {"last leave", "leave time", "last left", "left", "senaste utträde",
              "senaste utträdet", "utträdestid", "tid för utträde", "lämnade",
              "senast lämnade"},
    "duration": {"in-meeting duration", "duration", "tid i mötet", "varaktighet",
                 "varaktighet i mötet", "mötestid"},
    "email": {"email", "e-mail", "email address", "e-post", "e-postadress", "epost"},
    "upn": {"participant id (upn)", "participant id", "upn", "deltagar-id (upn)",
            "deltagar-id"},
    "role": {"role", "roll"},
}

# A person's activities may add up to a little less than their time in the participants
# section (rounding); less than this says rows are missing: the file was cut.
_TOLERANCE_SECONDS = 60
_TOLERANCE_SHARE = 0.05


def _section(row: values.Row) -> str | None:
    """The section a label row starts ("other" for an unknown numbered one), else None."""
    if len(row.cells) != 1:
        return None
    numbered = _NUMBERED.match(row.cells[0])
    name = values.label(numbered.group(1) if numbered else row.cells[0])
    for kind, labels in SECTIONS.items():
        if name in labels:
            return kind
    return "other" if numbered else None


def _split(rows: list[values.Row]) -> dict[str, list[values.Row]]:
    sections: dict[str, list[values.Row]] = {}
    current = None
    for row in rows:
        kind = _section(row)
        if kind:
            current = sections.setdefault(kind, [])
        elif current is not None:
            current.append(row)
    return sections


def recognises(rows: list[values.Row]) -> bool:
    kinds = {_section(row) for row in rows}
    return "participants" in kinds and bool(kinds & {"summary", "activities"})


def _table(rows: list[values.Row], required: set[str]):
    """The columns found in a section's header row, the header and the data rows."""
    if not rows:
        return {}, values.Row(0, []), []
    found = values.columns(rows[0].cells, TABLE)
    if not required <= found.keys():
        raise AttendanceFileError(
            _("The table on row %(row)s lacks a column Modig needs: the name, the join time or "
              "the leave time."), code="columns", params={"row": rows[0].line})
    return found, rows[0], rows[1:]


def parse(rows, *, encoding, tz, expected_date=None) -> AttendanceReport:
    sections = _split(rows)
    if "activities" not in sections:
        raise cut_off(_("The file seems to be cut off: the part with in-meeting activities is "
                        "missing. Download the report again and upload it without opening or "
                        "changing it."))
    summary = {}
    for row in sections.get("summary", []):
        field = next((f for f, labels in SUMMARY.items()
                      if values.label(row.cells[0]) in labels), None)
        if field and len(row.cells) > 1:
            summary.setdefault(field, row.cells[1])
    people_columns, _header, people_rows = _table(sections["participants"], {"name"})
    activity_columns, activity_header, activity_rows = _table(sections["activities"],
                                                              {"name", "join", "leave"})
    last_line = rows[-1].line

    timestamps = values.Timestamps(
        [summary.get("start", ""), summary.get("end", "")]
        + [row.cell(activity_columns, f) for row in activity_rows for f in ("join", "leave")],
        tz=tz, expected_date=expected_date)

    people: dict[str, Participant] = {}
    expected_seconds: dict[str, int] = collections.defaultdict(int)
    for row in people_rows:
        display = values.name(row.cell(people_columns, "name"))
        if not display:
            continue
        address = values.email(row.cell(people_columns, "email"))
        key = values.person_key(display, address)
        seconds = values.duration_seconds(row.cell(people_columns, "duration"))
        if seconds is not None:
            expected_seconds[key] += seconds
        if key not in people:
            people[key] = Participant(
                name=display, email=address, upn=values.email(row.cell(people_columns, "upn")),
                role=values.role(row.cell(people_columns, "role")),
                aliases=values.name_aliases(display), row=row.line)

    counted_seconds: dict[str, int] = collections.defaultdict(int)
    for row in activity_rows:
        display = values.name(row.cell(activity_columns, "name"))
        join_text = row.cell(activity_columns, "join")
        leave_text = row.cell(activity_columns, "leave")
        joined, left = timestamps.parse(join_text), timestamps.parse(leave_text)
        address = values.email(row.cell(activity_columns, "email"))
        key = values.person_key(display, address)
        if row.line == last_line and not (
                display and joined and left and (key in people or not people)
                and row.reaches_past(activity_columns, ("name", "join", "leave"),
                                     activity_header)):
            raise cut_off()
        if not (display and join_text and leave_text):
            raise row_error(_("Row %(row)s is missing the name, the join time or the leave "
                              "time."), code="missing_cells", row=row.line)
        if not joined or not left:
            raise row_error(_("Row %(row)s: the time “%(value)s” cannot be read."),
                            code="bad_time", row=row.line,
                            value=quoted(leave_text if joined else join_text))
        if left < joined:
            raise row_error(_("Row %(row)s: the person left before they joined."),
                            code="left_before_joined", row=row.line)
        participant = people.get(key)
        if participant is None:  # not in the participants section: keep them all the same
            participant = people[key] = Participant(
                name=display, email=address, aliases=values.name_aliases(display),
                row=row.line)
        participant.role = participant.role or values.role(row.cell(activity_columns, "role"))
        participant.intervals.append(Interval(joined, left))
        counted_seconds[key] += int((left - joined).total_seconds())

    for key, participant in people.items():
        expected = expected_seconds.get(key)
        short = expected is not None and counted_seconds[key] < expected - max(
            _TOLERANCE_SECONDS, expected * _TOLERANCE_SHARE)
        if not participant.intervals or short:
            raise cut_off(_("The file seems to be cut off: the in-meeting activities lack "
                            "some of the time of %(name)s. Download the report again and upload "
                            "it without opening or changing it."),
                          name=quoted(participant.name))
    started_at = timestamps.parse(summary.get("start", ""))
    ended_at = timestamps.parse(summary.get("end", ""))
    if started_at and ended_at and ended_at < started_at:
        started_at = ended_at = None
    return AttendanceReport(
        shape=SHAPE, encoding=encoding, title=values.name(summary.get("title", "")),
        started_at=started_at, ended_at=ended_at, participants=list(people.values()))
