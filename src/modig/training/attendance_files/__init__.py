"""Reading the attendance reports video-meeting tools produce (issue 5, "Attendance").

    report = read_attendance_file(uploaded_bytes, file_name="x.csv",
                                  expected_date=meeting.date)

returns an AttendanceReport: which shape the file had (Teams report, the older Teams list,
Zoom's participant export), the meeting's title, start and end when the file says, and each
participant with name, e-mail, role, join/leave intervals and attended seconds (the union of
the intervals within the meeting's time). Anything else raises AttendanceFileError, whose
Swedish message says what is wrong and which files are accepted. The formats are described in
docs/attendance-file-formats.md. Nothing here touches the database.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files.detector import MAX_BYTES, MAX_ROWS, detect
from modig.training.attendance_files.errors import ACCEPTED_SHAPES, AttendanceFileError
from modig.training.attendance_files.report import (
    ATTENDEE,
    ORGANISER,
    PRESENTER,
    SHAPE_LABELS,
    TEAMS,
    TEAMS_FLAT,
    ZOOM,
    AttendanceReport,
    Interval,
    Participant,
    attended_seconds,
    finish,
)

__all__ = [
    "ACCEPTED_SHAPES", "ATTENDEE", "MAX_BYTES", "MAX_ROWS", "ORGANISER", "PRESENTER",
    "SHAPE_LABELS", "TEAMS", "TEAMS_FLAT", "ZOOM", "AttendanceFileError", "AttendanceReport",
    "Interval", "Participant", "attended_seconds", "read_attendance_file",
]


def read_attendance_file(content: bytes, *, file_name: str = "",
                         tz: datetime.tzinfo | None = None,
                         expected_date: datetime.date | None = None) -> AttendanceReport:
    """The normalised report in an uploaded attendance file; AttendanceFileError if refused.
    Times without a zone are read in tz (default: the site's, Europe/Stockholm); expected_date
    settles dates like 3/4/2025 that could be read day first or month first."""
    detected = detect(content, file_name)
    report = detected.module.parse(
        detected.rows, encoding=detected.encoding, tz=tz or timezone.get_default_timezone(),
        expected_date=expected_date)
    if not report.participants:
        raise AttendanceFileError(_("The report has no participants."), code="no_participants")
    return finish(report)
