"""Files that are not attendance reports, or are damaged or hostile, are refused with a Swedish
message that says which files Modig reads."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from modig.training.attendance_files import (
    MAX_BYTES,
    MAX_ROWS,
    AttendanceFileError,
    read_attendance_file,
)

FIXTURES = Path(__file__).parent / "attendance_files"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refusal(content: bytes, file_name: str = "") -> AttendanceFileError:
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(content, file_name=file_name)
    return refused.value


@pytest.mark.parametrize(("name", "code"), [
    ("refused-empty.csv", "empty"),
    ("refused-workbook.xlsx", "workbook"),
    ("refused-roster.csv", "unknown_shape"),
    ("refused-text.txt", "unknown_shape"),
    ("teams-cut-in-half.csv", "truncated"),
])
def test_fixture_is_refused_with_a_swedish_message_listing_the_accepted_files(name, code):
    error = refusal(fixture(name), name)

    assert error.code == code
    with translation.override("sv"):
        message = error.text
    assert "Microsoft Teams" in message
    assert "Zoom" in message
    assert "Modig kan läsa de här närvarofilerna" in message


def test_the_error_is_a_validation_error_a_form_can_show():
    error = refusal(b"")

    assert isinstance(error, ValidationError)
    with translation.override("sv"):
        assert error.messages[0].startswith("Filen är tom.")


def test_a_workbook_renamed_to_csv_is_refused_as_a_workbook():
    assert refusal(fixture("refused-workbook.xlsx"), "report.csv").code == "workbook"


def test_only_a_byte_order_mark_and_blank_lines_is_empty():
    assert refusal(b"\xff\xfe" + "\r\n\r\n".encode("utf-16-le")).code == "empty"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read():
    error = refusal(b"x" * (MAX_BYTES + 1))

    assert error.code == "too_large"
    with translation.override("sv"):
        assert "5 MB" in error.text


def test_a_file_with_too_many_rows_is_refused():
    rows = ["Full Name\tUser Action\tTimestamp"] + [
        f"P{i}\tJoined\t2025-03-04 09:00:00" for i in range(MAX_ROWS + 1)]

    assert refusal(("\n".join(rows)).encode("utf-8")).code == "too_many_rows"


def test_utf16_with_an_odd_number_of_bytes_is_a_cut_off_file():
    data = fixture("teams-en-us-utf16le-crlf.csv")

    assert refusal(data[:-1]).code == "truncated"


def test_invalid_utf8_after_a_utf8_byte_order_mark_is_refused():
    assert refusal(b"\xef\xbb\xbfName,Join Time\n\xff\xfe\xfd").code == "encoding"


def test_binary_noise_is_refused():
    noise = bytes(range(256)) * 40

    assert refusal(noise).code in {"encoding", "unknown_shape"}


def test_a_single_unclosed_quote_does_not_swallow_the_file():
    rows = ['Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)',
            '"Anna,,2025-03-04 09:00:00,2025-03-04 10:00:00,60'] + [
        "x" * 1000 for _ in range(200)]

    assert refusal("\n".join(rows).encode("utf-8")).code in {"truncated", "no_participants"}


def test_a_known_shape_without_people_is_refused():
    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)"

    assert refusal(("\ufeff" + header + "\r\n").encode("utf-8")).code == "no_participants"


def test_row_problems_name_the_row_without_repeating_the_list_of_files():
    data = ("\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
            "Anna,,2025-03-04 10:00:00,2025-03-04 09:00:00,60\n"
            "Bertil,,2025-03-04 09:00:00,2025-03-04 10:00:00,60\n").encode("utf-8")

    error = refusal(data)

    with translation.override("sv"):
        assert error.text == "Rad 2: personen lämnade mötet innan hen anslöt."


def test_years_far_from_now_are_not_times():
    data = ("\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
            "Anna,,1899-03-04 10:00:00,2025-03-04 11:00:00,60\n"
            "Bertil,,2025-03-04 09:00:00,2025-03-04 10:00:00,60\n").encode("utf-8")

    assert refusal(data).code == "bad_time"
