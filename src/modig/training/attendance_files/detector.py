"""From uploaded bytes to text, rows, and the shape of the file (which tool wrote it)."""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from modig.training.attendance_files import teams, teams_flat, zoom
from modig.training.attendance_files.errors import AttendanceFileError, cut_off
from modig.training.attendance_files.values import Row

MAX_BYTES = 5 * 1024 * 1024  # a 2,000-person Teams report with rejoins is well under 2 MB
MAX_ROWS = 50_000

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip) and old .xls
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Tried in this order; the first that recognises the file wins.
SHAPES = (teams, teams_flat, zoom)


@dataclass
class Detected:
    shape: str
    encoding: str
    rows: list[Row]
    module: object


def decode(content: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-16 (either byte order, BOM or not), UTF-8 (BOM or not)
    or, for a file saved again by Excel on Windows, Windows-1252."""
    if content.startswith(b"\xff\xfe"):
        candidates, content = ["utf-16-le"], content[2:]
    elif content.startswith(b"\xfe\xff"):
        candidates, content = ["utf-16-be"], content[2:]
    elif content.startswith(b"\xef\xbb\xbf"):
        candidates, content = ["utf-8"], content[3:]
    else:
        head = content[:400]
        even_zeros, odd_zeros = head[0::2].count(0), head[1::2].count(0)
        if odd_zeros > len(head) // 4:
            candidates = ["utf-16-le"]
        elif even_zeros > len(head) // 4:
            candidates = ["utf-16-be"]
        else:
            candidates = ["utf-8", "cp1252"]
    if candidates[0].startswith("utf-16") and len(content) % 2:
        raise cut_off()
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text, encoding
    raise AttendanceFileError(_("The characters in the file cannot be read."), code="encoding")


def read_rows(text: str, delimiter: str) -> list[Row]:
    """Every non-blank row, cells stripped and trailing empty cells (tab padding) dropped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    line = 1
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(Row(line, cells))
                if len(rows) > MAX_ROWS:
                    raise AttendanceFileError(
                        _("The file has more than %(rows)s rows, far more than one meeting's "
                          "report."), code="too_many_rows", params={"rows": f"{MAX_ROWS:,}"})
            line = reader.line_num + 1
    except csv.Error as error:
        raise cut_off() from error
    return rows


def _delimiters(text: str) -> list[str]:
    head = text[:8192]
    found = [d for d in ("\t", ",", ";") if d in head]
    return sorted(found, key=lambda d: -head.count(d)) or ["\t"]


def detect(content: bytes, file_name: str = "") -> Detected:
    """Decode the file and find its shape; refuse anything else with a message that lists the
    files Modig reads."""
    if not content.strip(b" \t\r\n\x00\xff\xfe\xef\xbb\xbf"):
        raise AttendanceFileError(_("The file is empty."), code="empty")
    if len(content) > MAX_BYTES:
        raise AttendanceFileError(
            _("The file is larger than %(size)s MB. An attendance report is much smaller: "
              "check that you chose the right file."),
            code="too_large", params={"size": MAX_BYTES // (1024 * 1024)})
    if content.startswith(_WORKBOOK_MAGIC) or file_name.lower().endswith((".xlsx", ".xls")):
        raise AttendanceFileError(
            _("The file is an Excel workbook. Upload the .csv file exactly as you downloaded "
              "it, without opening and saving it in Excel."), code="workbook")
    text, encoding = decode(content)
    for delimiter in _delimiters(text):
        rows = read_rows(text, delimiter)
        for module in SHAPES:
            if module.recognises(rows):
                return Detected(module.SHAPE, encoding, rows, module)
    raise AttendanceFileError(_("This file is not an attendance report Modig recognises."),
                              code="unknown_shape")
