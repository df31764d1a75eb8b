"""Participants' own check-in as a service (issue 5, "Attendance"): present while the meeting
is going on (from 15 minutes before the start to its end), nothing recorded otherwise."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modig.training import services
from modig.training.models import Attendance, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting


def set_now(monkeypatch, text: str) -> None:
    moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def session(region):
    session = make_session(make_course(region.programme, title="Trygg i mobilen"),
                           meetings=[meeting("2026-03-02", "13:00", "15:30")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    return session


@pytest.mark.parametrize("now", ["2026-03-02 12:45", "2026-03-02 14:00", "2026-03-02 15:30"])
def test_check_in_during_the_meeting_records_present(region, session, staff_member,
                                                     monkeypatch, now):
    set_now(monkeypatch, now)
    _attendance, created = services.check_in(session.meetings.get(), region.anna,
                                             by=staff_member)
    assert created
    stored = Attendance.objects.get()
    assert (stored.status, stored.minutes, stored.source, stored.recorded_by) == (
        Attendance.Status.PRESENT, 150, Attendance.Source.CHECK_IN, staff_member)


@pytest.mark.parametrize(("now", "code", "words"), [
    ("2026-03-02 12:44", "too_early", "12:45"),
    ("2026-03-01 13:30", "too_early", "12:45"),
    ("2026-03-02 15:31", "closed", "Be utbildaren"),
    ("2026-03-03 13:30", "closed", "Be utbildaren"),
])
def test_check_in_outside_the_meeting_records_nothing(region, session, staff_member,
                                                      monkeypatch, now, code, words):
    set_now(monkeypatch, now)
    with pytest.raises(ValidationError) as error:
        services.check_in(session.meetings.get(), region.anna, by=staff_member)
    assert error.value.error_list[0].code == code
    assert words in error.value.messages[0]
    assert "Trygg i mobilen" in error.value.messages[0]
    assert not Attendance.objects.exists()


def test_someone_not_signed_up_is_told_to_ask_the_trainer(region, session, monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:05")
    with pytest.raises(ValidationError) as error:
        services.check_in(session.meetings.get(), region.bertil, by=None)
    assert error.value.error_list[0].code == "not_enrolled"
    assert not Attendance.objects.exists()


def test_checking_in_twice_records_once(region, session, staff_member, monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:05")
    services.check_in(session.meetings.get(), region.anna, by=staff_member)
    _attendance, created = services.check_in(session.meetings.get(), region.anna,
                                             by=staff_member)
    assert not created
    assert Attendance.objects.count() == 1


def test_check_in_never_overrides_the_trainers_record(region, session, trainer, monkeypatch):
    set_now(monkeypatch, "2026-03-02 13:05")
    the_meeting = session.meetings.get()
    services.record_roll_call(the_meeting, [services.RollCallRow(
        region.anna.pk, Attendance.Status.PARTIAL, 100)], by=trainer)
    attendance, created = services.check_in(the_meeting, region.anna, by=None)
    assert not created
    assert (attendance.status, attendance.minutes) == (Attendance.Status.PARTIAL, 100)


def test_a_cancelled_session_has_no_check_in(region, monkeypatch):
    session = make_session(make_course(region.programme),
                           meetings=[meeting("2026-03-02", "13:00", "15:30")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    services.cancel_session(session, by=None)
    set_now(monkeypatch, "2026-03-02 13:05")
    with pytest.raises(ValidationError) as error:
        services.check_in(session.meetings.get(), region.anna, by=None)
    assert error.value.error_list[0].code == "cancelled"
