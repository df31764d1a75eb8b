"""Microsoft Teams' older attendance list (2020–2021): tab-separated UTF-16, one row per event,
columns Full Name, User Action (Joined, Left, "Joined before") and Timestamp. "Joined before"
marks someone already in the meeting when the organiser's list began. The list says nothing
about the meeting itself (no title, start or end), and was often downloaded while the meeting
was still on: someone who never left is counted up to the last timestamp in the file."""

import collections

from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files import values
from modig.training.attendance_files.errors import cut_off, quoted, row_error
from modig.training.attendance_files.report import (
    TEAMS_FLAT,
    AttendanceReport,
    Interval,
    Participant,
)

SHAPE = TEAMS_FLAT

COLUMNS = {
    "name": {"full name", "name", "fullständigt namn", "namn"},
    "action": {"user action", "action", "användaråtgärd", "användarens åtgärd", "åtgärd"},
    "time": {"timestamp", "time stamp", "tidsstämpel", "tidpunkt"},
}
JOINED, LEFT = "joined", "left"
ACTIONS = {
    "joined": JOINED, "joined before": JOINED, "anslöt": JOINED, "anslöt före": JOINED,
    "anslöt tidigare": JOINED, "left": LEFT, "lämnade": LEFT,
}


def recognises(rows: list[values.Row]) -> bool:
    return bool(rows) and {"name", "action", "time"} <= values.columns(rows[0].cells,
                                                                        COLUMNS).keys()


def parse(rows, *, encoding, tz, expected_date=None) -> AttendanceReport:
    columns = values.columns(rows[0].cells, COLUMNS)
    data = rows[1:]
    timestamps = values.Timestamps([row.cell(columns, "time") for row in data], tz=tz,
                                   expected_date=expected_date)
    people: dict[str, Participant] = {}
    events = collections.defaultdict(list)
    for row in data:
        display = values.name(row.cell(columns, "name"))
        action_text, time_text = row.cell(columns, "action"), row.cell(columns, "time")
        at = timestamps.parse(time_text)
        if row is data[-1] and not (display and at
                                    and values.label(action_text) in ACTIONS):
            raise cut_off()
        if not (display and action_text and time_text):
            raise row_error(_("Row %(row)s is missing the name, the action or the time."),
                            code="missing_cells", row=row.line)
        action = ACTIONS.get(values.label(action_text))
        if action is None:
            raise row_error(_("Row %(row)s: the action “%(value)s” is unknown. Expected "
                              "Joined, Left or Joined before."), code="bad_action",
                            row=row.line, value=quoted(action_text))
        if at is None:
            raise row_error(_("Row %(row)s: the time “%(value)s” cannot be read."),
                            code="bad_time", row=row.line, value=quoted(time_text))
        key = values.person_key(display, "")
        if key not in people:
            people[key] = Participant(name=display, aliases=values.name_aliases(display),
                                      row=row.line)
        events[key].append((at, action))
    if not events:
        return AttendanceReport(shape=SHAPE, encoding=encoding)

    list_began = min(at for person in events.values() for at, _action in person)
    list_ended = max(at for person in events.values() for at, _action in person)
    for key, participant in people.items():
        # Joins and leaves are counted, so two devices joined at once make one stretch.
        inside, since, stretches = 0, None, []
        for at, action in sorted(events[key], key=lambda event: event[0]):
            if action == JOINED:
                inside += 1
                since = since or at
            elif inside == 0:  # left without a join: was there when the list began
                stretches.append(Interval(list_began, at))
            else:
                inside -= 1
                if inside == 0:
                    stretches.append(Interval(since, at))
                    since = None
        if inside:
            stretches.append(Interval(since, list_ended))
        participant.intervals = [i for i in stretches if i.left_at > i.joined_at]
    return AttendanceReport(shape=SHAPE, encoding=encoding, participants=list(people.values()))
