"""Importing an attendance report for a meeting: matching, review decisions, all-or-nothing
commit, idempotence, and files for another meeting or from an unknown tool."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import services
from modig.training.attendance_files import AttendanceFileError
from modig.training.attendance_import import (
    AMBIGUOUS,
    IGNORE,
    MATCHED,
    NOT_ENROLLED,
    UNMATCHED,
    commit_attendance_import,
    match_rows,
    name_key,
    start_attendance_import,
)
from modig.training.models import Attendance, AttendanceImport, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

FIXTURES = Path(__file__).parent / "attendance_files"
EN_US = "teams-en-us-utf16le-crlf.csv"  # 2025-03-04 09:00–11:00: Tina (organiser), Anna,
# "Berg, Bertil" (left and rejoined: 95 min), "Cecilia Carlsson (Guest)" (50 min)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def zoom(*rows: str) -> bytes:
    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


@pytest.fixture
def session(region, trainer):
    course = make_course(region.programme, format="remote_live")
    session = make_session(course, municipality=region.ale, trainer=trainer, capacity=10,
                           meetings=[meeting("2025-03-04", "09:00", "11:00")])
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source="coordinator")
    return session


@pytest.fixture
def the_meeting(session):
    return session.meetings.get()


def upload(the_meeting, trainer, name=EN_US, content=None):
    return start_attendance_import(the_meeting, file_name=name,
                                   content=content if content is not None else fixture(name),
                                   by=trainer)


def rows_by_name(attendance_import, user):
    return {row.participant.name: row for row in match_rows(attendance_import, user=user)}


def index_of(attendance_import, user, name):
    return rows_by_name(attendance_import, user)[name].index


def ignore_guests(attendance_import, user):
    return {index_of(attendance_import, user, "Tina Tränare"): IGNORE,
            index_of(attendance_import, user, "Cecilia Carlsson (Guest)"): IGNORE}


def attendance_of(the_meeting):
    return {a.person.full_name: (a.status, a.minutes, a.source)
            for a in Attendance.objects.filter(meeting=the_meeting).select_related("person")}


def test_upload_keeps_the_read_report_and_records_nothing(the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)

    assert attendance_import.status == AttendanceImport.Status.PENDING
    assert attendance_import.shape == "teams"
    assert len(attendance_import.report["participants"]) == 4
    assert len(attendance_import.file_sha256) == 64
    assert not Attendance.objects.exists()


def test_rows_match_by_email_then_by_name_and_guests_match_nobody(the_meeting, trainer):
    rows = rows_by_name(upload(the_meeting, trainer), trainer)

    assert (rows["Anna Andersson"].state, rows["Anna Andersson"].how) == (MATCHED, "email")
    assert rows["Anna Andersson"].person.first_name == "Anna"
    assert (rows["Berg, Bertil"].state, rows["Berg, Bertil"].how) == (MATCHED, "name")
    assert rows["Berg, Bertil"].person.last_name == "Berg"
    assert rows["Cecilia Carlsson (Guest)"].state == UNMATCHED
    assert rows["Tina Tränare"].state == UNMATCHED
    assert rows["Tina Tränare"].suggests_ignoring
    assert not rows["Cecilia Carlsson (Guest)"].suggests_ignoring


def test_commit_records_present_and_partly_present_with_source_import(the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)

    committed = commit_attendance_import(attendance_import, by=trainer,
                                         decisions=ignore_guests(attendance_import, trainer))

    assert attendance_of(the_meeting) == {
        "Anna Andersson": ("present", 120, "import"),  # 116 of 120 minutes
        "Bertil Berg": ("partial", 95, "import"),  # 35 + 60 minutes
    }
    assert committed.status == AttendanceImport.Status.COMMITTED
    assert (committed.created_count, committed.updated_count) == (2, 0)
    assert committed.committed_by == trainer


def test_a_row_left_undecided_saves_nothing(the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)
    tina = index_of(attendance_import, trainer, "Tina Tränare")

    with pytest.raises(ValidationError) as refused:
        commit_attendance_import(attendance_import, by=trainer, decisions={tina: IGNORE})

    assert refused.value.code == "undecided"
    assert "Cecilia Carlsson (Guest)" in refused.value.messages[0]
    assert not Attendance.objects.exists()
    attendance_import.refresh_from_db()
    assert attendance_import.status == AttendanceImport.Status.PENDING


def test_a_guest_row_can_be_given_to_an_enrolled_person(region, the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)
    decisions = ignore_guests(attendance_import, trainer)
    decisions[index_of(attendance_import, trainer, "Cecilia Carlsson (Guest)")] = str(
        region.dual.pk)

    commit_attendance_import(attendance_import, by=trainer, decisions=decisions)

    assert attendance_of(the_meeting)["Dana Dahl"] == ("partial", 50, "import")


def test_a_choice_outside_the_rows_options_is_refused(region, the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)
    decisions = ignore_guests(attendance_import, trainer)
    decisions[index_of(attendance_import, trainer, "Cecilia Carlsson (Guest)")] = str(
        region.cecilia.pk)  # not enrolled

    with pytest.raises(ValidationError) as refused:
        commit_attendance_import(attendance_import, by=trainer, decisions=decisions)

    assert refused.value.code == "bad_choice"
    assert not Attendance.objects.exists()


def test_a_matched_row_can_be_left_out(the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)
    decisions = ignore_guests(attendance_import, trainer)
    decisions[index_of(attendance_import, trainer, "Berg, Bertil")] = IGNORE

    commit_attendance_import(attendance_import, by=trainer, decisions=decisions)

    assert list(attendance_of(the_meeting)) == ["Anna Andersson"]


def test_committing_twice_or_the_same_file_again_changes_nothing(the_meeting, trainer):
    first = upload(the_meeting, trainer)
    commit_attendance_import(first, by=trainer, decisions=ignore_guests(first, trainer))
    recorded = list(Attendance.objects.order_by("pk").values_list("pk", "recorded_at"))

    again = commit_attendance_import(first, by=trainer, decisions={})
    second = upload(the_meeting, trainer)
    second = commit_attendance_import(second, by=trainer,
                                      decisions=ignore_guests(second, trainer))

    assert again.created_count == 2  # the first commit's figures, untouched
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert list(Attendance.objects.order_by("pk").values_list("pk", "recorded_at")) == recorded


def test_an_import_corrects_a_roll_call(region, the_meeting, trainer):
    services.record_attendance(the_meeting, region.bertil, status="present", by=trainer,
                               source="roll_call")
    attendance_import = upload(the_meeting, trainer)

    committed = commit_attendance_import(attendance_import, by=trainer,
                                         decisions=ignore_guests(attendance_import, trainer))

    assert attendance_of(the_meeting)["Bertil Berg"] == ("partial", 95, "import")
    assert (committed.created_count, committed.updated_count) == (1, 1)


def test_a_file_from_another_day_is_refused_and_nothing_is_stored(region, trainer):
    course = make_course(region.programme, format="remote_live")
    other = make_session(course, municipality=region.ale, trainer=trainer,
                         meetings=[meeting("2025-03-05", "09:00", "11:00")])

    with pytest.raises(ValidationError) as refused:
        upload(other.meetings.get(), trainer)

    assert refused.value.code == "other_meeting"
    assert "2025-03-04 09:00" in refused.value.messages[0]
    assert not AttendanceImport.objects.exists()


def test_a_file_from_the_same_day_but_another_time_is_refused(region, trainer):
    course = make_course(region.programme, format="remote_live")
    afternoon = make_session(course, municipality=region.ale, trainer=trainer,
                             meetings=[meeting("2025-03-04", "13:00", "15:00")])

    with pytest.raises(ValidationError) as refused:
        upload(afternoon.meetings.get(), trainer)

    assert refused.value.code == "other_meeting"


def test_a_file_from_an_unknown_tool_is_refused_and_nothing_is_stored(the_meeting, trainer):
    with pytest.raises(AttendanceFileError) as refused:
        upload(the_meeting, trainer, name="refused-roster.csv")

    assert refused.value.code == "unknown_shape"
    assert not AttendanceImport.objects.exists()


def test_a_meeting_not_yet_held_takes_no_report(region, trainer):
    course = make_course(region.programme, format="remote_live")
    future = make_session(course, municipality=region.ale, trainer=trainer,
                          meetings=[meeting("2099-03-04", "09:00", "11:00")])

    with pytest.raises(ValidationError) as refused:
        upload(future.meetings.get(), trainer)

    assert refused.value.code == "not_started"


def test_ambiguous_dates_are_read_on_the_meetings_day(region, trainer):
    # 03/04/2025 without AM/PM reads as 3 April by default; the meeting is on 4 March.
    course = make_course(region.programme, format="remote_live")
    march = make_session(course, municipality=region.ale, trainer=trainer,
                         meetings=[meeting("2025-03-04", "09:00", "10:00")])
    services.enrol(march, region.anna, by=None, source="coordinator")

    attendance_import = upload(march.meetings.get(), trainer, name="x.csv", content=zoom(
        "Anna Andersson,anna@ale.example,03/04/2025 09:00:00,03/04/2025 10:00:00,60,No"))

    assert match_rows(attendance_import, user=trainer)[0].seconds == 3600


def test_names_match_whatever_the_order_case_accents_and_extra_given_names(
        region, session, the_meeting, trainer):
    asa = PersonFactory(first_name="Åsa Maria", last_name="Öberg")
    EmploymentFactory(person=asa, municipality=region.ale, units=[region.vikadamm])
    services.enrol(session, asa, by=None, source="coordinator")

    attendance_import = upload(the_meeting, trainer, name="x.csv", content=zoom(
        "\"OBERG, ASA\",,2025-03-04 09:00:00,2025-03-04 11:00:00,120,Yes",
        "Anna Andersson (Guest),,2025-03-04 09:00:00,2025-03-04 11:00:00,120,Yes"))
    rows = match_rows(attendance_import, user=trainer)

    assert [(row.state, row.person) for row in rows] == [
        (MATCHED, asa), (MATCHED, region.anna)]
    assert name_key("Berg, Bertil") == name_key("bertil  BERG")


def test_two_enrolled_people_with_one_name_are_for_the_user_to_choose(
        region, session, the_meeting, trainer):
    other_bertil = PersonFactory(first_name="Bertil", last_name="Berg")
    EmploymentFactory(person=other_bertil, municipality=region.ale, units=[region.vikadamm])
    services.enrol(session, other_bertil, by=None, source="coordinator")
    attendance_import = upload(the_meeting, trainer)

    bertil = rows_by_name(attendance_import, trainer)["Berg, Bertil"]
    decisions = ignore_guests(attendance_import, trainer)
    decisions[bertil.index] = str(other_bertil.pk)
    commit_attendance_import(attendance_import, by=trainer, decisions=decisions)

    assert bertil.state == AMBIGUOUS
    assert {p.pk for p in bertil.candidates} == {region.bertil.pk, other_bertil.pk}
    assert Attendance.objects.get(person=other_bertil).minutes == 95
    assert not Attendance.objects.filter(person=region.bertil).exists()


def test_staff_not_enrolled_are_named_but_not_recorded(region, the_meeting, trainer,
                                                        coordinator):
    services.cancel_enrolment(the_meeting.session.enrolments.get(person=region.bertil),
                              by=None)
    attendance_import = upload(the_meeting, coordinator)

    bertil = rows_by_name(attendance_import, coordinator)["Berg, Bertil"]
    unseen = rows_by_name(attendance_import, trainer)["Berg, Bertil"]

    assert (bertil.state, bertil.person) == (NOT_ENROLLED, region.bertil)
    assert unseen.state == UNMATCHED  # the trainer may not browse Ale's staff
    with pytest.raises(ValidationError) as refused:
        commit_attendance_import(attendance_import, by=coordinator,
                                 decisions=ignore_guests(attendance_import, coordinator))
    assert refused.value.code == "undecided"


def test_a_waiting_person_who_attended_gets_their_place(region, the_meeting, trainer):
    session = the_meeting.session
    enrolment = session.enrolments.get(person=region.anna)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WAITING)
    attendance_import = upload(the_meeting, trainer)

    commit_attendance_import(attendance_import, by=trainer,
                             decisions=ignore_guests(attendance_import, trainer))

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_two_rows_of_one_person_count_their_time_once(region, session, the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer, name="x.csv", content=zoom(
        "Anna Andersson,anna@ale.example,2025-03-04 09:00:00,2025-03-04 09:50:00,50,No",
        "Anna Andersson (Guest),,2025-03-04 09:30:00,2025-03-04 10:00:00,30,Yes"))

    commit_attendance_import(attendance_import, by=trainer, decisions={})

    assert attendance_of(the_meeting)["Anna Andersson"] == ("partial", 60, "import")


def test_a_row_cannot_be_given_to_someone_another_row_matched(region, the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer, name="x.csv", content=zoom(
        "Anna Andersson,anna@ale.example,2025-03-04 09:00:00,2025-03-04 09:50:00,50,No",
        "Mobil 0701234567,,2025-03-04 09:30:00,2025-03-04 10:00:00,30,Yes"))
    phone = rows_by_name(attendance_import, trainer)["Mobil 0701234567"]

    with pytest.raises(ValidationError) as refused:
        commit_attendance_import(attendance_import, by=trainer,
                                 decisions={phone.index: str(region.anna.pk)})

    assert refused.value.code == "bad_choice"


def test_a_cancelled_session_takes_no_import(the_meeting, trainer):
    attendance_import = upload(the_meeting, trainer)
    services.cancel_session(the_meeting.session, by=None)

    with pytest.raises(ValidationError) as refused:
        commit_attendance_import(attendance_import, by=trainer,
                                 decisions=ignore_guests(attendance_import, trainer))

    assert refused.value.code == "cancelled"
    assert not Attendance.objects.exists()


def test_a_committed_import_makes_the_ledgers_snapshot_stale(region, the_meeting, trainer):
    from modig.training import ledger

    ledger.rebuild(region.programme)
    before = ledger.totals(region.programme)
    attendance_import = upload(the_meeting, trainer)
    commit_attendance_import(attendance_import, by=trainer,
                             decisions=ignore_guests(attendance_import, trainer))
    assert not ledger.is_current(region.programme)  # bulk writes: marked by the import
    assert ledger.totals(region.programme).minutes == before.minutes + 215
    ledger.rebuild(region.programme)
    assert ledger.totals(region.programme).minutes == before.minutes + 215
