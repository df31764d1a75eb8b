"""Test builders for training: courses and sessions made through the services, so every test
starts from rows the product itself could have written."""

import datetime
import itertools

from modig.organisation.models import Programme
from modig.training import services
from modig.training.models import Course, Session

_codes = itertools.count(1)


def make_course(programme: Programme, *, title: str = "Grunder i digital dokumentation",
                format: str = Course.Format.ON_SITE, nominal_minutes: int = 120,
                is_published: bool = True, **fields) -> Course:
    """A published programme-wide course unless told otherwise."""
    fields.setdefault("code", f"kurs-{next(_codes)}")
    return services.create_course(programme, by=None, title=title, format=format,
                                  nominal_minutes=nominal_minutes, is_published=is_published,
                                  **fields)


def meeting(day: datetime.date | str, start: str = "09:00", end: str = "11:00",
            pk: int | None = None) -> services.MeetingData:
    """A meeting from short strings: meeting("2026-03-02", "13:00", "15:30")."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return services.MeetingData(day, datetime.time.fromisoformat(start),
                                datetime.time.fromisoformat(end), pk=pk)


def make_session(course: Course, *, meetings=None, capacity: int = 15, **fields) -> Session:
    """A session with one two-hour meeting on 2 March 2026 unless told otherwise."""
    meetings = meetings if meetings is not None else [meeting("2026-03-02")]
    return services.create_session(course, by=None, meetings=meetings, capacity=capacity,
                                   **fields)
