"""Reading the cells of attendance files: header labels, durations, timestamps, roles, e-mail
addresses and names, in the languages and regional formats Teams and Zoom write them in."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from modig.training.attendance_files.report import ATTENDEE, ORGANISER, PRESENTER

_SPACES = re.compile(r"\s+")


@dataclass
class Row:
    """One non-blank row of a file: its line number (for messages) and its stripped cells."""

    line: int
    cells: list[str]

    def cell(self, columns: dict[str, int], field: str) -> str:
        """The cell of a field, "" when the file has no such column or the row is short."""
        index = columns.get(field)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def reaches_past(self, columns: dict[str, int], fields, header: "Row") -> bool:
        """Whether the row has a cell after the given fields' columns, when the header has one:
        a last row without it was cut off in the middle of those cells."""
        last = max(columns[field] for field in fields)
        return len(self.cells) > last + 1 or len(header.cells) <= last + 1


def label(text: str) -> str:
    """A header or section label made comparable: case, spacing and a trailing colon ignored."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().rstrip(":").strip().casefold()


def columns(header: list[str], known: dict[str, set[str]]) -> dict[str, int]:
    """Which column holds which field: {field: index}, by the known labels per field. The first
    column with a label wins."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = label(cell)
        for field, labels in known.items():
            if name in labels and field not in found:
                found[field] = index
    return found


# Durations: "1h 2m 3s", "11m 31s", "45s" (English), "1 h 2 min 3 s" (Swedish), "1:02:03".
_DURATION_PART = re.compile(r"(\d+)\s*([a-zåäö]+)\.?", re.IGNORECASE)
_DURATION_UNITS = {
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "t": 3600, "tim": 3600,
    "timme": 3600, "timmar": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "minut": 60, "minuter": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "sek": 1, "sekund": 1,
    "sekunder": 1,
}
_CLOCK_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def duration_seconds(text: str) -> int | None:
    """Seconds in a Teams duration, or None when it cannot be read."""
    text = text.replace("\u00a0", " ").strip()
    clock = _CLOCK_DURATION.match(text)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    total, position = 0, 0
    for match in _DURATION_PART.finditer(text):
        unit = _DURATION_UNITS.get(match.group(2).casefold())
        if unit is None or text[position:match.start()].strip():
            return None
        total += int(match.group(1)) * unit
        position = match.end()
    if position == 0 or text[position:].strip():
        return None
    return total


# Timestamps. Year first (2025-03-04 09:02:11, Swedish), day or month first with slashes
# (en-GB 4/3/2025 09:02:11, en-US 3/4/25, 9:02:11 AM), day first with dots (4.3.2025 09:02).
_TIMESTAMP = re.compile(
    r"""^(?:(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
        |(?P<first>\d{1,2})(?P<sep>[/.])(?P<second>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}))
        [,\sT]*
        (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<sec>\d{2})(?:[.,]\d+)?)?
        \s*(?P<ampm>[ap]\.?\s?m\.?)?$""",
    re.VERBOSE | re.IGNORECASE,
)
DAY_FIRST, MONTH_FIRST = "dmy", "mdy"


def _timestamp_parts(text: str) -> tuple | None:
    """(year or None, first, second, separator, two-digit year?, hour, minute, second or None,
    "am"/"pm"/"") from a timestamp's text, or None."""
    if "\u202f" in text or "\u00a0" in text:  # newer Windows puts one before AM/PM
        text = text.replace("\u202f", " ").replace("\u00a0", " ")
    match = _TIMESTAMP.match(_SPACES.sub(" ", text).strip())
    if not match:
        return None
    year, month, day, first, sep, second, y, hour, minute, sec, ampm = match.groups()
    ampm = (ampm or "").replace(".", "").replace(" ", "").casefold()
    if year:
        return (int(year), int(month), int(day), "-", hour, minute, sec, ampm)
    short_year = int(y) + (2000 if len(y) == 2 else 0)
    return (short_year, int(first), int(second), sep, hour, minute, sec, ampm)


class Timestamps:
    """Reads one file's timestamps. Slashed dates are read day first or month first for the
    whole file: the order every date allows; if both do, the one that puts the first date on
    expected_date (the meeting's day, when the caller knows it); else month first when the
    file uses AM/PM (en-US) and day first otherwise (en-GB and the rest of Europe)."""

    def __init__(self, texts, *, tz: datetime.tzinfo,
                 expected_date: datetime.date | None = None):
        self.tz = tz
        self._parts: dict[str, tuple | None] = {}
        self._parsed: dict[str, datetime.datetime | None] = {}
        day_first_ok = month_first_ok = True
        self.uses_ampm = self.uses_seconds = False
        first_slashed = None
        for text in texts:
            if text in self._parts:
                continue
            parts = self._parts[text] = _timestamp_parts(text)
            if parts is None:
                continue
            self.uses_ampm |= bool(parts[7])
            self.uses_seconds |= parts[6] is not None
            if parts[3] == "/":
                day_first_ok &= parts[2] <= 12
                month_first_ok &= parts[1] <= 12
                first_slashed = first_slashed or parts
        self.slash_order = DAY_FIRST if day_first_ok else MONTH_FIRST
        if day_first_ok and month_first_ok:
            self.slash_order = MONTH_FIRST if self.uses_ampm else DAY_FIRST
            if first_slashed and expected_date:
                for order in (DAY_FIRST, MONTH_FIRST):
                    if self._date(first_slashed, order) == expected_date:
                        self.slash_order = order
                        break

    @staticmethod
    def _date(parts: tuple, order: str) -> datetime.date | None:
        year, first, second, sep = parts[:4]
        if sep == "-":
            month, day = first, second
        elif sep == "." or order == DAY_FIRST:
            day, month = first, second
        else:
            month, day = first, second
        if not 2000 <= year <= 2100:
            return None
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None

    def parse(self, text: str) -> datetime.datetime | None:
        """An aware datetime, or None when the text is not a timestamp this file's way. One
        without AM/PM or seconds where the file's others have them is refused: it is what a
        file cut off in the middle of a time looks like."""
        if text not in self._parsed:
            self._parsed[text] = self._parse(text)
        return self._parsed[text]

    def _parse(self, text: str) -> datetime.datetime | None:
        parts = self._parts[text] if text in self._parts else _timestamp_parts(text)
        if parts is None:
            return None
        hour, minute, second, ampm = parts[4:]
        if bool(ampm) != self.uses_ampm or (second is not None) != self.uses_seconds:
            return None
        hour, minute, second = int(hour), int(minute), int(second or 0)
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        date = self._date(parts, self.slash_order)
        if date is None or hour > 23 or minute > 59 or second > 59:
            return None
        return datetime.datetime.combine(date, datetime.time(hour, minute, second),
                                         tzinfo=self.tz)


_ROLES = {
    ORGANISER: {"organizer", "organiser", "co-organizer", "co-organiser", "organisatör",
                "medorganisatör", "arrangör", "medarrangör", "host", "co-host", "värd"},
    PRESENTER: {"presenter", "presentatör", "föredragshållare"},
    ATTENDEE: {"attendee", "participant", "deltagare"},
}


def role(text: str) -> str:
    """ORGANISER, PRESENTER or ATTENDEE; "" for anything else."""
    name = label(text)
    for key, names in _ROLES.items():
        if name in names:
            return key
    return ""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 200
MAX_EMAIL = 254


def email(text: str) -> str:
    """The address as written, or "" when the cell does not hold one."""
    text = text.strip()
    return text if len(text) <= MAX_EMAIL and _EMAIL.match(text) else ""


def name(text: str) -> str:
    return " ".join(text.split())[:MAX_NAME]


_TRAILING_PARENTHESES = re.compile(r"^(.*[^\s(])\s+\(([^()\"]*)\)$")


def name_aliases(display_name: str, *, inside_too: bool = False) -> tuple[str, ...]:
    """Other spellings to match a display name on: without a trailing "(Guest)", "(Extern)" or
    "(Original Name)" part, and with inside_too (Zoom's "Name (Original Name)") that part."""
    match = _TRAILING_PARENTHESES.match(display_name)
    if not match:
        return ()
    outside, inside = match.group(1), match.group(2).strip()
    return (outside, inside) if inside_too and inside else (outside,)


def person_key(display_name: str, address: str) -> str:
    """What tells people in one file apart: the e-mail address, else the name."""
    if address:
        return "@" + address.casefold()
    return unicodedata.normalize("NFC", " ".join(display_name.split()).casefold())
