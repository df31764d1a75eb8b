"""Microsoft Teams' attendance report (sections Summary, Participants, In-Meeting Activities),
read from the fixture files in attendance_files/ and from variants of them made here."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from modig.training.attendance_files import (
    ATTENDEE,
    ORGANISER,
    PRESENTER,
    TEAMS,
    AttendanceFileError,
    read_attendance_file,
)

FIXTURES = Path(__file__).parent / "attendance_files"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEAMS_FILES = ["teams-en-us-utf16le-crlf.csv", "teams-en-gb-utf16be-lf.csv",
               "teams-sv-utf16le-crlf.csv"]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, 4, hour, minute, second, tzinfo=STOCKHOLM)


def by_name(report) -> dict:
    return {p.name: p for p in report.participants}


def teams_text(name: str) -> str:
    data = fixture(name)
    return data[2:].decode("utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be")


def encode(text: str, *, byte_order: str, newline: str = "\r\n", padding: str = "") -> bytes:
    lines = [line + padding for line in text.splitlines()]
    text = newline.join(lines) + newline
    if byte_order == "le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return b"\xfe\xff" + text.encode("utf-16-be")


def figures(report) -> list:
    return [(p.name, p.email, p.role, p.attended_seconds, p.intervals)
            for p in report.participants]


def test_english_us_report_gives_meeting_people_roles_and_attended_time():
    report = read_attendance_file(fixture("teams-en-us-utf16le-crlf.csv"))

    assert report.shape == TEAMS
    assert report.encoding == "utf-16-le"
    assert report.title == "Digital dokumentation, grupp 3"
    assert (report.started_at, report.ended_at) == (at(9, 0), at(11, 0))
    people = by_name(report)
    assert list(people) == ["Tina Tränare", "Anna Andersson", "Berg, Bertil",
                            "Cecilia Carlsson (Guest)"]
    assert people["Tina Tränare"].role == ORGANISER
    assert people["Berg, Bertil"].role == PRESENTER
    assert people["Anna Andersson"].role == ATTENDEE
    assert people["Anna Andersson"].attended_seconds == 1 * 3600 + 56 * 60 + 29
    assert people["Berg, Bertil"].email == "Bertil.Berg@ale.example"
    assert people["Berg, Bertil"].upn == "bb123@ale.example"


def test_a_person_who_left_and_rejoined_has_both_stretches_summed():
    bertil = by_name(read_attendance_file(fixture("teams-en-us-utf16le-crlf.csv")))[
        "Berg, Bertil"]

    assert [(i.joined_at, i.left_at) for i in bertil.intervals] == [
        (at(9, 5), at(9, 40)), (at(10, 0), at(11, 0))]
    assert bertil.attended_seconds == 35 * 60 + 60 * 60


def test_a_guest_has_no_email_and_a_name_without_the_guest_mark_to_match_on():
    guest = by_name(read_attendance_file(fixture("teams-en-us-utf16le-crlf.csv")))[
        "Cecilia Carlsson (Guest)"]

    assert guest.email == ""
    assert guest.aliases == ("Cecilia Carlsson",)
    assert guest.attended_seconds == 50 * 60


def test_time_before_the_meeting_started_is_not_counted():
    report = read_attendance_file(fixture("teams-en-gb-utf16be-lf.csv"))
    tina = by_name(report)["Tina Tränare"]

    assert tina.intervals[0].joined_at == at(12, 55)  # five minutes before the start
    assert report.started_at == at(13, 0)
    assert tina.attended_seconds == 90 * 60


def test_overlapping_stretches_from_two_devices_count_once_and_only_inside_the_meeting():
    dana = by_name(read_attendance_file(fixture("teams-en-gb-utf16be-lf.csv")))["Dana Dahl"]

    # 12:40–13:30 on one device, 13:10–14:45 on another; the meeting ran 13:00–14:30.
    assert len(dana.intervals) == 2
    assert dana.attended_seconds == 90 * 60


def test_duplicate_rows_count_once():
    erik = by_name(read_attendance_file(fixture("teams-en-gb-utf16be-lf.csv")))["Erik Ek"]

    # 13:05–13:20 twice, and 13:50–14:10.
    assert len(erik.intervals) == 3
    assert erik.attended_seconds == 15 * 60 + 20 * 60


def test_english_uk_dates_are_read_day_first():
    report = read_attendance_file(fixture("teams-en-gb-utf16be-lf.csv"))

    assert report.encoding == "utf-16-be"
    assert report.started_at.date() == datetime.date(2025, 3, 4)


def test_swedish_report_with_swedish_labels_durations_and_roles():
    report = read_attendance_file(fixture("teams-sv-utf16le-crlf.csv"))
    people = by_name(report)

    assert report.title == "Trygg på surfplattan, tillfälle 2"
    assert (report.started_at, report.ended_at) == (at(9, 0), at(10, 30))
    assert people["Tina Tränare"].role == ORGANISER
    assert people["Bertil Berg"].role == PRESENTER
    assert people["Andersson, Anna"].role == ATTENDEE
    assert people["Andersson, Anna"].email == "ANNA@ALE.EXAMPLE"
    assert people["Andersson, Anna"].attended_seconds == 27 * 60 + 49 + 48 * 60
    assert people["Bertil Berg"].attended_seconds == 69 * 60  # back-to-back stretches
    assert people["Åsa Öberg"].attended_seconds == 15 * 60


@pytest.mark.parametrize("name", TEAMS_FILES)
@pytest.mark.parametrize("byte_order", ["le", "be"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("padding", ["", "\t\t\t"])
def test_byte_order_line_endings_and_tab_padding_do_not_change_the_result(
        name, byte_order, newline, padding):
    expected = figures(read_attendance_file(fixture(name)))
    variant = encode(teams_text(name), byte_order=byte_order, newline=newline,
                     padding=padding)

    assert figures(read_attendance_file(variant)) == expected


def test_a_file_without_byte_order_mark_is_read_as_well():
    data = teams_text("teams-sv-utf16le-crlf.csv").encode("utf-16-le")

    assert len(read_attendance_file(data).participants) == 4


def test_narrow_no_break_space_before_pm_is_read():
    text = teams_text("teams-en-us-utf16le-crlf.csv").replace(" AM", "\u202fAM")

    report = read_attendance_file(encode(text, byte_order="le"))

    assert report.ended_at == at(11, 0)


def test_header_and_section_labels_in_other_casing_are_recognised():
    text = (teams_text("teams-en-us-utf16le-crlf.csv")
            .replace("3. In-Meeting Activities", "3. In-meeting activities")
            .replace("First join", "First Join").replace("Join time", "JOIN TIME"))

    assert len(read_attendance_file(encode(text, byte_order="le")).participants) == 4


def test_ambiguous_dates_follow_the_meeting_date_when_the_caller_knows_it():
    # en-GB 24-hour dates 04/03/2025 are read day first, unless the meeting is on 3 April.
    text = teams_text("teams-en-gb-utf16be-lf.csv")

    plain = read_attendance_file(encode(text, byte_order="be"))
    april = read_attendance_file(encode(text, byte_order="be"),
                                 expected_date=datetime.date(2025, 4, 3))

    assert plain.started_at.date() == datetime.date(2025, 3, 4)
    assert april.started_at.date() == datetime.date(2025, 4, 3)


def test_report_cut_in_half_is_refused():
    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(fixture("teams-cut-in-half.csv"))

    assert refused.value.code == "truncated"


@pytest.mark.parametrize("name", TEAMS_FILES)
def test_a_report_cut_anywhere_is_refused_or_gives_exactly_the_full_figures(name):
    data = fixture(name)
    full = figures(read_attendance_file(data))
    accepted_cuts = []
    for size in range(2, len(data) - 1):
        try:
            report = read_attendance_file(data[:size])
        except AttendanceFileError:
            continue
        accepted_cuts.append(size)
        assert figures(report) == full, size
    # Only cuts inside the last row's trailing cells (duration, e-mail, role) get through.
    assert all(size > len(data) - 80 for size in accepted_cuts)


def test_a_person_missing_from_the_activities_means_the_file_was_cut():
    lines = teams_text("teams-sv-utf16le-crlf.csv").splitlines()
    assert lines[-1].startswith("Åsa Öberg")  # her only stretch is the last row

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode("\n".join(lines[:-1]), byte_order="le"))

    assert refused.value.code == "truncated"
    assert "Åsa Öberg" in refused.value.text


def test_activities_adding_up_to_much_less_than_the_participants_time_are_refused():
    text = teams_text("teams-en-us-utf16le-crlf.csv")
    lines = text.splitlines()
    # Drop Bertil's second stretch (an hour) from the activities, keep his 1h 35m above.
    lines = [line for line in lines
             if not (line.startswith("Berg, Bertil\t3/4/25, 10:00:00 AM"))]

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode("\n".join(lines), byte_order="le"))

    assert refused.value.code == "truncated"
    assert "Berg, Bertil" in refused.value.text


def test_a_report_without_the_activities_section_is_refused():
    text = teams_text("teams-en-us-utf16le-crlf.csv").split("3. In-Meeting Activities")[0]

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode(text, byte_order="le"))

    assert refused.value.code == "truncated"


def test_an_unreadable_time_names_the_row():
    text = teams_text("teams-en-us-utf16le-crlf.csv").replace(
        "Anna Andersson\t3/4/25, 9:02:11 AM\t3/4/25, 10:58:40 AM\t1h 56m 29s\tanna@ale.example"
        "\tAttendee", "Anna Andersson\tsoon\t3/4/25, 10:58:40 AM\t1h 56m 29s\tanna@ale.example"
        "\tAttendee")

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode(text, byte_order="le"))

    assert refused.value.code == "bad_time"
    assert refused.value.params["row"] == 19
    assert refused.value.params["value"] == "soon"


def test_leaving_before_joining_is_refused():
    text = teams_text("teams-sv-utf16le-crlf.csv").replace(
        "Åsa Öberg\t2025-03-04 09:30:00\t2025-03-04 09:45:00\t15 min\t\tDeltagare",
        "Åsa Öberg\t2025-03-04 09:45:00\t2025-03-04 09:30:00\t15 min\t\tDeltagare")

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode(text, byte_order="le"))

    assert refused.value.code == "left_before_joined"


def test_a_report_with_unknown_column_names_is_refused():
    text = teams_text("teams-en-us-utf16le-crlf.csv").replace(
        "Name\tJoin time\tLeave time", "Nom\tHeure d'arrivée\tHeure de départ")

    with pytest.raises(AttendanceFileError) as refused:
        read_attendance_file(encode(text, byte_order="le"))

    assert refused.value.code == "columns"


def test_formula_like_names_stay_plain_text():
    text = teams_text("teams-en-us-utf16le-crlf.csv").replace(
        "Cecilia Carlsson (Guest)", '=HYPERLINK("http://x.example","Klicka")')

    people = by_name(read_attendance_file(encode(text, byte_order="le")))

    assert '=HYPERLINK("http://x.example","Klicka")' in people
