"""Microsoft Teams' older attendance list: Full Name, User Action, Timestamp."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from modig.training.attendance_files import TEAMS_FLAT, AttendanceFileError, read_attendance_file

FIXTURES = Path(__file__).parent / "attendance_files"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, 4, hour, minute, second, tzinfo=STOCKHOLM)


def flat(*rows: str, header: str = "Full Name\tUser Action\tTimestamp") -> bytes:
    return b"\xff\xfe" + "\r\n".join([header, *rows]).encode("utf-16-le")


def by_name(report) -> dict:
    return {p.name: p for p in report.participants}


def test_english_list_gives_stretches_from_joined_and_left():
    report = read_attendance_file(fixture("teams-flat-en-us-utf16le-crlf.csv"))
    people = by_name(report)

    assert report.shape == TEAMS_FLAT
    assert (report.title, report.started_at, report.ended_at) == ("", None, None)
    assert [(i.joined_at, i.left_at) for i in people["Bertil Berg"].intervals] == [
        (at(9, 3, 40), at(9, 30)), (at(9, 45), at(10, 15))]
    assert people["Bertil Berg"].attended_seconds == 26 * 60 + 20 + 30 * 60


def test_joined_before_counts_from_the_start_of_the_list():
    anna = by_name(read_attendance_file(fixture("teams-flat-en-us-utf16le-crlf.csv")))[
        "Anna Andersson"]

    assert anna.intervals[0].joined_at == at(8, 58, 12)
    assert anna.attended_seconds == 3600 + 1 * 60 + 48


def test_someone_who_never_left_is_counted_to_the_last_time_in_the_list():
    tina = by_name(read_attendance_file(fixture("teams-flat-en-us-utf16le-crlf.csv")))[
        "Tina Tränare"]

    assert tina.intervals[-1].left_at == at(10, 15)


def test_swedish_list_big_endian_with_tab_padding():
    report = read_attendance_file(fixture("teams-flat-sv-utf16be-lf.csv"))
    anna = by_name(report)["Andersson, Anna"]

    assert report.encoding == "utf-16-be"
    assert anna.attended_seconds == 20 * 60 + 35 * 60
    assert by_name(report)["Tina Tränare"].attended_seconds == 65 * 60


def test_two_devices_joined_at_once_make_one_stretch():
    report = read_attendance_file(flat(
        "Anna Andersson\tJoined\t2025-03-04 09:00:00",
        "Anna Andersson\tJoined\t2025-03-04 09:10:00",
        "Anna Andersson\tLeft\t2025-03-04 09:20:00",
        "Anna Andersson\tLeft\t2025-03-04 09:50:00",
    ))

    anna = report.participants[0]
    assert [(i.joined_at, i.left_at) for i in anna.intervals] == [(at(9, 0), at(9, 50))]
    assert anna.attended_seconds == 50 * 60


def test_unknown_action_names_the_row():
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(flat(
            "Anna Andersson\tJoined\t2025-03-04 09:00:00",
            "Anna Andersson\tWaved\t2025-03-04 09:10:00",
            "Anna Andersson\tLeft\t2025-03-04 09:50:00",
        ))

    assert refused.value.code == "bad_action"
    assert refused.value.params == {"row": 3, "value": "Waved"}


def test_a_list_cut_in_the_middle_of_the_last_time_is_refused():
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(flat(
            "Anna Andersson\tJoined\t3/4/2025, 9:00:00 AM",
            "Anna Andersson\tLeft\t3/4/2025, 1:50:00",  # " PM" cut off
        ))

    assert refused.value.code == "truncated"
