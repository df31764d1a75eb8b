"""Zoom's participant export: comma, UTF-8 with BOM, optional summary, a row per join."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from modig.training.attendance_files import (
    ORGANISER,
    ZOOM,
    AttendanceFileError,
    AttendanceReport,
    read_attendance_file,
)

FIXTURES = Path(__file__).parent / "attendance_files"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, 4, hour, minute, second, tzinfo=STOCKHOLM)


def zoom(*rows: str) -> bytes:
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def by_name(report) -> dict:
    return {p.name: p for p in report.participants}


def test_export_with_summary_gives_topic_window_and_host_as_organiser():
    report = read_attendance_file(fixture("zoom-with-summary.csv"))
    people = by_name(report)

    assert report.shape == ZOOM
    assert report.encoding == "utf-8"
    assert report.title == "Dokumentation i mobilen, grupp 1"
    assert (report.started_at, report.ended_at) == (at(9, 0), at(10, 30))
    assert people["Tina Tränare"].role == ORGANISER
    assert people["Tina Tränare"].attended_seconds == 90 * 60  # joined 08:55, counted from 09:00


def test_rows_of_one_person_are_summed_and_the_waiting_room_does_not_count():
    anna = by_name(read_attendance_file(fixture("zoom-with-summary.csv")))[
        "Anna A (Anna Andersson)"]

    assert [(i.joined_at, i.left_at) for i in anna.intervals] == [
        (at(9, 1), at(9, 40)), (at(9, 42), at(10, 30))]
    assert anna.attended_seconds == (39 + 48) * 60
    assert anna.aliases == ("Anna A", "Anna Andersson")
    assert anna.role == ""


def test_formula_like_name_is_kept_as_text():
    names = list(by_name(read_attendance_file(fixture("zoom-with-summary.csv"))))

    assert '=HYPERLINK("http://x.example","Klicka här")' in names


def test_export_without_summary_has_no_window_and_overlaps_count_once():
    report = read_attendance_file(fixture("zoom-participants-only.csv"))
    people = by_name(report)

    assert (report.title, report.started_at, report.ended_at) == ("", None, None)
    # 13:00:05–13:40 and 13:30–14:30 overlap: 13:00:05–14:30.
    assert people["Bertil Berg"].attended_seconds == 90 * 60 - 5
    assert people["Dana Dahl"].email == ""
    assert people["Dana Dahl"].attended_seconds == 87 * 60


def test_a_summary_in_the_newer_layout_with_other_casing_is_read():
    report = read_attendance_file(zoom(
        "Topic,ID,Host,Duration (minutes),Start time,End time,Participants",
        "Surfplattan,81234567890,Tina Tränare,60,2025-03-04 09:00:00,2025-03-04 10:00:00,1",
        "",
        "Name (original name),Email,Join time,Leave time,Duration (minutes),Guest",
        "Anna Andersson,anna@ale.example,2025-03-04 08:50:00,2025-03-04 10:20:00,90,No",
    ))

    assert report.title == "Surfplattan"
    assert report.participants[0].attended_seconds == 3600


def test_month_first_dates_with_am_pm_are_read_as_us_dates():
    report = read_attendance_file(zoom(
        HEADER, "Anna,,03/04/2025 01:00:00 PM,03/04/2025 02:15:00 PM,75,Yes"))

    assert report.participants[0].intervals[0].joined_at == at(13, 0)


def test_an_export_re_saved_by_excel_in_windows_1252_is_read():
    report = read_attendance_file(
        ("\r\n".join([HEADER, "Åsa Öberg,,2025-03-04 09:00:00,2025-03-04 09:30:00,30,Yes"])
         ).encode("cp1252"))

    assert report.participants[0].name == "Åsa Öberg"
    assert report.encoding == "cp1252"


def test_a_row_with_an_unreadable_time_names_the_row():
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(zoom(
            HEADER,
            "Anna,,2025-03-04 09:00:00,half past ten,90,Yes",
            "Bertil,,2025-03-04 09:00:00,2025-03-04 10:00:00,60,Yes",
        ))

    assert refused.value.code == "bad_time"
    assert refused.value.params == {"row": 2, "value": "half past ten"}


def test_the_last_row_cut_before_its_duration_is_refused():
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(zoom(HEADER, "Anna,,2025-03-04 09:00:00,2025-03-04 10:00:00"))

    assert refused.value.code == "truncated"


def test_the_report_survives_a_round_trip_through_plain_data():
    report = read_attendance_file(fixture("zoom-with-summary.csv"))

    again = AttendanceReport.from_dict(report.to_dict())

    assert again == report
