"""Files as HR systems and Excel write them are read; anything else is refused clearly."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from modig.roster import services
from modig.roster.models import RosterImport
from modig.roster.tests.helpers import HEADER, csv_bytes, rows_ok, xlsx_bytes


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", ","),
])
def test_csv_in_every_usual_encoding_and_separator_is_read(region, encoding, delimiter):
    content = csv_bytes(rows_ok(), delimiter=delimiter, encoding=encoding)
    roster_import = services.start_import(region.ale, file_name="lista.csv", content=content)
    assert roster_import.headers == HEADER
    assert roster_import.delimiter == delimiter
    assert roster_import.encoding == ("cp1252" if encoding == "cp1252" else "utf-8")
    roster_import = services.save_mapping(roster_import, mapping=roster_import.mapping)
    assert roster_import.errors_count == 0, roster_import.problems
    services.request_commit(roster_import)
    from modig.organisation.models import Person
    assert Person.objects.filter(first_name="Åsa", last_name="Öberg").count() == 1


def test_xlsx_is_read_with_dates_and_numbers(region):
    rows = rows_ok()
    import datetime
    rows[1][-1] = datetime.date(2021, 3, 1)
    roster_import = services.start_import(region.ale, file_name="lista.xlsx",
                                          content=xlsx_bytes(rows))
    assert roster_import.file_format == "xlsx"
    assert roster_import.rows_total == 2
    roster_import = services.save_mapping(roster_import, mapping=roster_import.mapping)
    assert roster_import.errors_count == 0, roster_import.problems
    services.request_commit(roster_import)
    from modig.organisation.models import Employment
    employment = Employment.objects.get(employee_id="A9")
    assert employment.started_on == datetime.date(2021, 3, 1)


def refused(region, name, content) -> str:
    with pytest.raises(ValidationError) as error:
        services.start_import(region.ale, file_name=name, content=content)
    assert RosterImport.objects.count() == 0
    return error.value.code


def test_a_wrong_file_type_is_refused(region):
    assert refused(region, "lista.pdf", b"%PDF-1.4 ...") == "file_type"


def test_a_file_called_xlsx_that_is_not_one_is_refused(region):
    assert refused(region, "lista.xlsx", b"Anst.nr;Namn\n1;2\n") == "not_xlsx"


def test_an_empty_file_is_refused(region):
    assert refused(region, "lista.csv", b"") == "empty"
    assert refused(region, "lista.csv", b"\r\n \r\n") == "empty"


def test_a_file_with_only_a_header_row_is_refused(region):
    assert refused(region, "lista.csv", csv_bytes([])) == "no_rows"


@override_settings(MODIG_MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(region):
    assert refused(region, "lista.csv", csv_bytes(rows_ok() * 8000)) == "too_large"


def test_a_utf16_file_is_refused(region):
    assert refused(region, "lista.csv", csv_bytes(rows_ok(), encoding="utf-16")) == "encoding"


def test_a_file_that_is_no_text_is_refused(region):
    assert refused(region, "lista.csv", bytes([0x81, 0x8D, 0x41, 0x0A, 0x8F, 0x90]) * 4) \
        == "encoding"


def test_a_file_without_header_row_is_refused(region):
    content = csv_bytes(rows_ok()[1:], header=rows_ok()[0])
    assert refused(region, "lista.csv", content) == "no_header"
