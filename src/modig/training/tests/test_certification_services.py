"""Participants certify their own attended time (issue 5, "Attendance", ESF): what they were
shown is what is stored, and a later change makes the certification stale."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modig.training import services
from modig.training.models import Attendance, AttendanceCertification, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting


@pytest.fixture
def session(region, trainer, monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    session = make_session(make_course(region.programme), trainer=trainer, meetings=[
        meeting("2026-03-02", "09:00", "11:00"), meeting("2026-03-09", "09:00", "10:30")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    first, second = session.meetings.all()
    services.record_roll_call(first, [services.RollCallRow(region.anna.pk, "present")],
                              by=trainer)
    services.record_roll_call(second, [services.RollCallRow(region.anna.pk, "partial", 60)],
                              by=trainer)
    return session


def test_the_person_confirms_the_time_they_were_shown(region, session, staff_member):
    assert services.attended_minutes_by_session(region.anna) == {session.pk: 180}
    certification = services.confirm_attended_time(region.anna, session, minutes_shown=180,
                                                   by=staff_member)
    assert certification.certified_minutes == 180
    assert certification.certified_by_user == staff_member
    assert not services.certification_is_stale(certification)


def test_a_time_that_changed_meanwhile_is_not_certified(region, session, staff_member):
    with pytest.raises(ValidationError) as error:
        services.confirm_attended_time(region.anna, session, minutes_shown=120,
                                       by=staff_member)
    assert error.value.error_list[0].code == "changed"
    assert not AttendanceCertification.objects.exists()


def test_a_correction_after_certifying_makes_it_stale(region, session, staff_member, trainer):
    certification = services.confirm_attended_time(region.anna, session, minutes_shown=180,
                                                   by=staff_member)
    second = session.meetings.last()
    services.record_roll_call(second, [services.RollCallRow(region.anna.pk, "present")],
                              by=trainer)
    assert services.certification_is_stale(certification)
    again = services.confirm_attended_time(region.anna, session, minutes_shown=210,
                                           by=staff_member)
    assert AttendanceCertification.objects.get().certified_minutes == 210
    assert not services.certification_is_stale(again)


def test_nobody_else_can_certify_a_persons_time(region, session, trainer):
    with pytest.raises(ValidationError) as error:
        services.confirm_attended_time(region.anna, session, minutes_shown=180, by=trainer)
    assert error.value.error_list[0].code == "not_self"
    assert not AttendanceCertification.objects.exists()
    assert Attendance.objects.count() == 2
