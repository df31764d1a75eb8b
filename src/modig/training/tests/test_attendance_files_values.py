"""The cell readers behind every shape: durations, timestamps, attended time."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from modig.training.attendance_files import Interval, attended_seconds
from modig.training.attendance_files.values import Timestamps, duration_seconds, role

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, 4, hour, minute, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(("text", "seconds"), [
    ("1h 2m 3s", 3723), ("11m 31s", 691), ("45s", 45), ("2h", 7200),
    ("1 h 2 min 3 s", 3723), ("15 min", 900), ("1 tim 5 min", 3900),
    ("1:02:03", 3723), ("47:03", 2823),
])
def test_durations_in_english_and_swedish(text, seconds):
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1h 2x", "3/4/25, 9:02:11 AM", "h 2"])
def test_durations_that_are_not_durations(text):
    assert duration_seconds(text) is None


@pytest.mark.parametrize(("texts", "expected"), [
    (["3/4/25, 9:02:11 AM"], datetime.datetime(2025, 3, 4, 9, 2, 11)),  # en-US
    (["3/4/25, 9:02:11 PM"], datetime.datetime(2025, 3, 4, 21, 2, 11)),
    (["12/4/25, 12:05:00 AM"], datetime.datetime(2025, 12, 4, 0, 5)),
    (["04/03/2025, 09:02:11"], datetime.datetime(2025, 3, 4, 9, 2, 11)),  # en-GB
    (["4.3.2025 09:02:11"], datetime.datetime(2025, 3, 4, 9, 2, 11)),
    (["2025-03-04 09:02:11"], datetime.datetime(2025, 3, 4, 9, 2, 11)),  # sv
    # A date that can only be day first settles the whole file, AM/PM or not.
    (["3/4/25, 9:02:11 AM", "13/4/25, 9:02:11 AM"], datetime.datetime(2025, 4, 3, 9, 2, 11)),
    (["3/4/2025 09:02:11", "3/14/2025 09:02:11"], datetime.datetime(2025, 3, 4, 9, 2, 11)),
])
def test_timestamps_in_the_regional_formats(texts, expected):
    timestamps = Timestamps(texts, tz=STOCKHOLM)

    assert timestamps.parse(texts[0]) == expected.replace(tzinfo=STOCKHOLM)


def test_a_timestamp_missing_seconds_or_am_pm_where_the_others_have_them_is_unreadable():
    timestamps = Timestamps(["3/4/25, 9:02:11 PM", "3/4/25, 9:30", "3/4/25, 9:31:00"],
                            tz=STOCKHOLM)

    assert timestamps.parse("3/4/25, 9:30") is None
    assert timestamps.parse("3/4/25, 9:31:00") is None


@pytest.mark.parametrize("text", ["2025-02-30 09:00:00", "2025-03-04 25:00:00",
                                  "3/4/25, 13:00:00 PM", "yesterday"])
def test_impossible_timestamps_are_unreadable(text):
    assert Timestamps([text], tz=STOCKHOLM).parse(text) is None


def test_summer_time_is_kept_in_the_zone():
    summer = Timestamps(["2025-06-04 09:00:00"], tz=STOCKHOLM).parse("2025-06-04 09:00:00")

    assert summer.utcoffset() == datetime.timedelta(hours=2)


def test_attended_time_is_the_union_of_intervals_within_the_window():
    intervals = [Interval(at(8, 40), at(9, 30)), Interval(at(9, 10), at(9, 50)),
                 Interval(at(9, 10), at(9, 50)), Interval(at(10, 0), at(11, 30))]

    assert attended_seconds(intervals) == (70 + 90) * 60
    assert attended_seconds(intervals, at(9), at(11)) == (50 + 60) * 60
    assert attended_seconds(intervals, at(12), at(13)) == 0
    assert attended_seconds([]) == 0


def test_roles_in_english_and_swedish():
    assert [role(text) for text in ("Organizer", "Co-organizer", "Organisatör", "Presenter",
                                    "Presentatör", "Attendee", "Deltagare", "Guest", "")] == [
        "organiser", "organiser", "organiser", "presenter", "presenter", "attendee",
        "attendee", "", ""]
