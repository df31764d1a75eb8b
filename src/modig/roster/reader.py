"""Reading an uploaded staff list: CSV (comma or semicolon, UTF-8 with or without BOM, or
Windows-1252) or XLSX, into a header row and rows of text cells."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)


class RosterFileError(ValueError):
    """A file that cannot be read at all; the message says what to do."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    file_format: str
    encoding: str
    delimiter: str
    headers: list[str]
    row_count: int


def max_upload_bytes() -> int:
    return settings.MODIG_MAX_UPLOAD_MB * 1024 * 1024


def file_format_of(file_name: str, content: bytes) -> str:
    """'csv' or 'xlsx', judged by the name and the first bytes; anything else is refused."""
    name = file_name.lower()
    if name.endswith(XLSX_SUFFIXES) or content.startswith(XLSX_MAGIC):
        if not content.startswith(XLSX_MAGIC):
            raise RosterFileError(_("The file is not a real Excel file (.xlsx). Save it again "
                                    "from Excel as .xlsx or as CSV."), code="not_xlsx")
        return "xlsx"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    raise RosterFileError(
        _("Modig reads staff lists as CSV (.csv) or Excel (.xlsx) files. Save the list in one "
          "of those formats and upload it again."), code="file_type")


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding: UTF-8 (with or without BOM) or Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4096]:
        raise RosterFileError(_("The file is saved as UTF-16, which Modig cannot read. Save it "
                                "as CSV UTF-8 and upload it again."), code="encoding")
    encodings = ["utf-8-sig"] if content.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:65536]):
            break
        return text, ("utf-8" if encoding == "utf-8-sig" else encoding)
    raise RosterFileError(_("The characters in the file cannot be read. Save it as CSV UTF-8 "
                            "(or as .xlsx) and upload it again."), code="encoding")


def sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise RosterFileError(_("The Excel file cannot be opened. Save it again from Excel as "
                                ".xlsx and upload it again."), code="not_xlsx") from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def iter_rows(content: bytes, file_format: str, delimiter: str = ";") -> Iterator[list[str]]:
    """Every row of the file, the header row first, blank rows left out."""
    if file_format == "xlsx":
        rows = _xlsx_rows(content)
    else:
        text, _encoding = decode(content)
        rows = _csv_rows(text, delimiter)
    for row in rows:
        if not _is_blank(row):
            yield row


def _looks_like_data(cell: str) -> bool:
    text = cell.strip()
    return "@" in text or sum(char.isdigit() for char in text) >= 4


def read_table(file_name: str, content: bytes, *, is_known_header=None) -> Table:
    """Check that the file can be read and has a header row and data; raise RosterFileError."""
    if not content or not content.strip():
        raise RosterFileError(_("The file is empty. Choose the file with the staff list."),
                              code="empty")
    if len(content) > max_upload_bytes():
        raise RosterFileError(
            _("The file is larger than %(size)s MB. Split it into smaller files or remove "
              "columns Modig does not need.") % {"size": settings.MODIG_MAX_UPLOAD_MB},
            code="too_large")
    if is_known_header is None:
        from modig.roster.fields import guess_field as is_known_header
    file_format = file_format_of(file_name, content)
    encoding, delimiter = "", ""
    if file_format == "csv":
        text, encoding = decode(content)
        delimiter = sniff_delimiter(text.lstrip("\ufeff").split("\n", 1)[0])
    rows = iter_rows(content, file_format, delimiter)
    headers = next(rows, None)
    if headers is None:
        raise RosterFileError(_("The file is empty. Choose the file with the staff list."),
                              code="empty")
    headers = [header.strip() for header in headers]
    while headers and not headers[-1]:
        headers.pop()
    filled = [header for header in headers if header]
    data_like = sum(_looks_like_data(header) for header in filled)
    recognised = any(is_known_header(header) for header in filled)
    if not filled or data_like * 2 > len(filled) or (data_like and not recognised):
        raise RosterFileError(
            _("The first row of the file must name the columns (for example Förnamn, Efternamn, "
              "Enhet). Add a header row and upload the file again."), code="no_header")
    if len({header.casefold() for header in filled}) != len(filled):
        raise RosterFileError(
            _("Two columns in the header row have the same name. Give every column its own "
              "name and upload the file again."), code="duplicate_header")
    row_count = sum(1 for _row in rows)
    if row_count == 0:
        raise RosterFileError(_("The file has a header row but no people. Choose the file with "
                                "the staff list."), code="no_rows")
    return Table(file_format, encoding, delimiter, headers, row_count)
