"""The normalised result of reading an attendance file, whatever tool wrote it."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

TEAMS = "teams"
TEAMS_FLAT = "teams_flat"
ZOOM = "zoom"
SHAPE_LABELS = {
    TEAMS: _("Microsoft Teams attendance report"),
    TEAMS_FLAT: _("Microsoft Teams attendance list (old layout)"),
    ZOOM: _("Zoom participant list"),
}

ORGANISER = "organiser"
PRESENTER = "presenter"
ATTENDEE = "attendee"


@dataclass(frozen=True, order=True)
class Interval:
    """One stretch of time in the meeting, from joining to leaving (aware datetimes)."""

    joined_at: datetime.datetime
    left_at: datetime.datetime


@dataclass
class Participant:
    """One person (or one display name) in the file, with every stretch of time they were in."""

    name: str
    email: str = ""
    upn: str = ""  # Teams' "Participant ID (UPN)": an account name that may differ from email
    role: str = ""  # ORGANISER, PRESENTER, ATTENDEE, or "" when the file does not say
    aliases: tuple[str, ...] = ()  # other spellings of the name worth matching on
    intervals: list[Interval] = field(default_factory=list)
    attended_seconds: int = 0
    row: int = 0  # the file's line where the person first appears

    def to_dict(self) -> dict:
        return {
            "name": self.name, "email": self.email, "upn": self.upn, "role": self.role,
            "aliases": list(self.aliases), "attended_seconds": self.attended_seconds,
            "row": self.row,
            "intervals": [[i.joined_at.isoformat(), i.left_at.isoformat()]
                          for i in self.intervals],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Participant":
        return cls(
            name=data["name"], email=data["email"], upn=data["upn"], role=data["role"],
            aliases=tuple(data["aliases"]), attended_seconds=data["attended_seconds"],
            row=data["row"],
            intervals=[Interval(datetime.datetime.fromisoformat(joined),
                                datetime.datetime.fromisoformat(left))
                       for joined, left in data["intervals"]],
        )


@dataclass
class AttendanceReport:
    """What an attendance file says: its shape, the meeting (if the file names it) and who was
    there when. attended_seconds is each person's time within started_at..ended_at when the
    file gives them, else within their own intervals."""

    shape: str
    encoding: str
    title: str = ""
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    participants: list[Participant] = field(default_factory=list)

    @property
    def shape_label(self):
        return SHAPE_LABELS[self.shape]

    @property
    def first_joined_at(self) -> datetime.datetime | None:
        return min((p.intervals[0].joined_at for p in self.participants if p.intervals),
                   default=None)

    @property
    def last_left_at(self) -> datetime.datetime | None:
        return max((i.left_at for p in self.participants for i in p.intervals), default=None)

    def to_dict(self) -> dict:
        """Plain JSON-ready data, for storing a pending import."""
        return {
            "shape": self.shape, "encoding": self.encoding, "title": self.title,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "participants": [p.to_dict() for p in self.participants],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "AttendanceReport":
        def when(value):
            return datetime.datetime.fromisoformat(value) if value else None

        return cls(
            shape=data["shape"], encoding=data["encoding"], title=data["title"],
            started_at=when(data["started_at"]), ended_at=when(data["ended_at"]),
            participants=[Participant.from_dict(p) for p in data["participants"]],
        )


def attended_seconds(intervals, start: datetime.datetime | None = None,
                     end: datetime.datetime | None = None) -> int:
    """Whole seconds covered by the intervals, each clipped to start..end (either may be None),
    overlapping stretches counted once."""
    clipped = []
    for interval in intervals:
        joined = max(interval.joined_at, start) if start else interval.joined_at
        left = min(interval.left_at, end) if end else interval.left_at
        if left > joined:
            clipped.append((joined, left))
    clipped.sort()
    total = datetime.timedelta()
    run_start = run_end = None
    for joined, left in clipped:
        if run_end is None or joined > run_end:
            if run_end is not None:
                total += run_end - run_start
            run_start, run_end = joined, left
        elif left > run_end:
            run_end = left
    if run_end is not None:
        total += run_end - run_start
    return int(total.total_seconds())


def finish(report: AttendanceReport) -> AttendanceReport:
    """Sort each person's intervals and compute their attended time within the meeting."""
    for participant in report.participants:
        participant.intervals.sort()
        participant.attended_seconds = attended_seconds(
            participant.intervals, report.started_at, report.ended_at)
    return report
