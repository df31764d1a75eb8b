"""Zoom's participant export (Reports → Usage → Participants → Export): comma-separated UTF-8
with a BOM; optionally a meeting summary first (a header row such as "Meeting ID,Topic,Start
Time,End Time,User Email,Duration (Minutes),Participants", one row of values, a blank line);
then the participants table "Name (Original Name),User Email,Join Time,Leave Time,Duration
(Minutes),Guest,…" with one row per join. Rows from the waiting room do not count."""

import re

from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files import values
from modig.training.attendance_files.errors import cut_off, quoted, row_error
from modig.training.attendance_files.report import (
    ORGANISER,
    ZOOM,
    AttendanceReport,
    Interval,
    Participant,
)

SHAPE = ZOOM

COLUMNS = {
    "name": {"name (original name)", "name", "participant", "user name", "display name",
             "namn (ursprungligt namn)", "namn"},
    "email": {"user email", "email", "e-mail", "participant email", "e-post",
              "e-postadress", "användarens e-postadress"},
    "join": {"join time", "anslutningstid", "tid för anslutning"},
    "leave": {"leave time", "lämnade", "tid för lämnande", "utträdestid"},
    "waiting_room": {"in waiting room", "i väntrummet"},
}
SUMMARY = {
    "meeting_id": {"meeting id", "id", "mötes-id"},
    "topic": {"topic", "ämne"},
    "start": {"start time", "starttid"},
    "end": {"end time", "sluttid"},
    "host_email": {"user email", "host email", "e-post", "användarens e-postadress"},
}
_YES = {"yes", "ja", "true", "1"}
_NO = {"no", "nej", "false", "0"}
_ORIGINAL_NAME = re.compile(r"\(\s*original name\s*\)|\(\s*ursprungligt namn\s*\)", re.I)
_HEADER_WITHIN = 5  # the participants header is among the first rows, after the summary


def _table_start(rows: list[values.Row]) -> int | None:
    """Index of the participants header, if the file has Zoom's shape."""
    after_summary = len(rows) > 0 and len(values.columns(rows[0].cells, SUMMARY)) >= 2
    for index, row in enumerate(rows[:_HEADER_WITHIN]):
        is_header = {"name", "join", "leave"} <= values.columns(row.cells, COLUMNS).keys()
        if is_header and (index == 0 or after_summary):
            return index
    return None


def recognises(rows: list[values.Row]) -> bool:
    return _table_start(rows) is not None


def parse(rows, *, encoding, tz, expected_date=None) -> AttendanceReport:
    start = _table_start(rows)
    summary = {}
    if start >= 2:
        summary_columns = values.columns(rows[0].cells, SUMMARY)
        summary = {field: rows[1].cell(summary_columns, field) for field in summary_columns}
    header = rows[start]
    columns = values.columns(header.cells, COLUMNS)
    has_original_names = bool(_ORIGINAL_NAME.search(header.cell(columns, "name")))
    data = rows[start + 1:]
    timestamps = values.Timestamps(
        [summary.get("start", ""), summary.get("end", "")]
        + [row.cell(columns, f) for row in data for f in ("join", "leave")],
        tz=tz, expected_date=expected_date)
    host_email = values.email(summary.get("host_email", "")).casefold()

    people: dict[str, Participant] = {}
    for row in data:
        display = values.name(row.cell(columns, "name"))
        join_text, leave_text = row.cell(columns, "join"), row.cell(columns, "leave")
        joined, left = timestamps.parse(join_text), timestamps.parse(leave_text)
        waiting = values.label(row.cell(columns, "waiting_room"))
        if row is data[-1] and not (
                display and joined and left
                and row.reaches_past(columns, ("name", "join", "leave"), header)
                and ("waiting_room" not in columns or waiting in _YES | _NO)):
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
        if waiting in _YES:
            continue
        address = values.email(row.cell(columns, "email"))
        key = values.person_key(display, address)
        participant = people.get(key)
        if participant is None:
            participant = people[key] = Participant(
                name=display, email=address, row=row.line,
                role=ORGANISER if address and address.casefold() == host_email else "",
                aliases=values.name_aliases(display, inside_too=has_original_names))
        participant.intervals.append(Interval(joined, left))

    started_at = timestamps.parse(summary.get("start", ""))
    ended_at = timestamps.parse(summary.get("end", ""))
    if started_at and ended_at and ended_at < started_at:
        started_at = ended_at = None
    return AttendanceReport(
        shape=SHAPE, encoding=encoding, title=values.name(summary.get("topic", "")),
        started_at=started_at, ended_at=ended_at, participants=list(people.values()))
