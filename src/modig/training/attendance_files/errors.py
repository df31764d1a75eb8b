"""The one exception the attendance file readers raise, with its Swedish messages."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

ACCEPTED_SHAPES = _(
    "Modig reads these attendance files: the attendance report from Microsoft Teams (the .csv "
    "file you download from the meeting, in the new or the old layout) and the participant "
    "list from Zoom (the .csv file with participants that you export from Zoom's reports)."
)


class AttendanceFileError(ValidationError):
    """A file Modig refuses. The message says what is wrong and, unless the problem is one row of
    a file in a known shape, which files are accepted. A ValidationError, so a form's clean()
    can let it through as it is."""

    def __init__(self, reason, *, code: str, params: dict | None = None,
                 row_problem: bool = False):
        self.reason = reason
        message = reason if row_problem else format_lazy("{} {}", reason, ACCEPTED_SHAPES)
        super().__init__(message, code=code, params=params)

    @property
    def text(self) -> str:
        """The message with its parameters filled in, in the active language."""
        return self.messages[0]


def row_error(reason, *, code: str, row: int, **params) -> AttendanceFileError:
    """A problem on one row of a file in a known shape."""
    return AttendanceFileError(reason, code=code, params={"row": row, **params},
                               row_problem=True)


def cut_off(detail=None, **params) -> AttendanceFileError:
    """The file ends early or is damaged (a download cut in half, a file edited by hand)."""
    reason = detail or _("The file seems to be cut off or damaged. Download it again and upload "
                         "it without opening or changing it.")
    return AttendanceFileError(reason, code="truncated", params=params or None)


def quoted(value: str, limit: int = 40) -> str:
    """A cell's text for a message: short, on one line."""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
