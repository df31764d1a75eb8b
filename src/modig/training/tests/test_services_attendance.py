"""Attendance, distance completions and certification (issue 5, "Attendance"): minutes per
status, corrections update the one row, bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modig.training import services
from modig.training.models import Attendance, Course, DistanceCompletion, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

PRESENT, ABSENT, PARTIAL = (Attendance.Status.PRESENT, Attendance.Status.ABSENT,
                            Attendance.Status.PARTIAL)
ROLL_CALL = Attendance.Source.ROLL_CALL


@pytest.fixture
def session(region):
    session = make_session(make_course(region.programme),
                           meetings=[meeting("2026-03-02", "09:00", "11:30")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    return session


def _record(session, person, status, minutes=None, user=None):
    return services.record_attendance(session.meetings.get(), person, status=status,
                                      minutes=minutes, by=user, source=ROLL_CALL)


def test_present_counts_the_whole_meeting(region, session, trainer):
    attendance = _record(session, region.anna, PRESENT, user=trainer)
    assert attendance.minutes == 150
    assert attendance.recorded_by == trainer


def test_absent_counts_nothing(region, session):
    assert _record(session, region.anna, ABSENT, minutes=40).minutes == 0


@pytest.mark.parametrize("minutes", [1, 149])
def test_partial_keeps_minutes_inside_the_meeting(region, session, minutes):
    assert _record(session, region.anna, PARTIAL, minutes).minutes == minutes


@pytest.mark.parametrize("minutes", [None, 0, 150, 500])
def test_partial_minutes_outside_the_meeting_are_refused(region, session, minutes):
    with pytest.raises(ValidationError) as error:
        _record(session, region.anna, PARTIAL, minutes)
    assert error.value.error_list[0].code == "minutes"
    assert "149" in error.value.messages[0]
    assert not Attendance.objects.exists()


def test_recording_again_corrects_the_same_row(region, session):
    _record(session, region.anna, PRESENT)
    _record(session, region.anna, PARTIAL, 30)
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.minutes) == (PARTIAL, 30)


def test_attendance_for_someone_not_enrolled_is_refused(region, session):
    with pytest.raises(ValidationError) as error:
        _record(session, region.bertil, PRESENT)
    assert error.value.error_list[0].code == "not_enrolled"


def test_a_waiting_person_who_came_gets_the_place(region):
    session = make_session(make_course(region.programme), capacity=1)
    services.enrol(session, region.anna, by=None, source="self")
    waiting = services.enrol(session, region.bertil, by=None, source="self")
    _record(session, region.bertil, PRESENT)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED


def test_roll_call_before_the_meeting_starts_is_refused(region):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    session = make_session(make_course(region.programme), meetings=[meeting(tomorrow)])
    services.enrol(session, region.anna, by=None, source="self")
    with pytest.raises(ValidationError) as error:
        _record(session, region.anna, PRESENT)
    assert error.value.error_list[0].code == "not_started"
    assert not Attendance.objects.exists()


def test_changing_a_meetings_times_updates_present_minutes(region, session):
    _record(session, region.anna, PRESENT)
    the_meeting = session.meetings.get()
    services.update_session(session, by=None, meetings=[
        meeting("2026-03-02", "09:00", "10:00", pk=the_meeting.pk)])
    assert Attendance.objects.get().minutes == 60


def test_a_meeting_with_attendance_cannot_be_removed(region, session):
    _record(session, region.anna, PRESENT)
    with pytest.raises(ValidationError):
        services.update_session(session, by=None, meetings=[meeting("2026-03-09")])
    assert session.meetings.get().date == datetime.date(2026, 3, 2)


def test_a_session_with_attendance_cannot_be_cancelled(region, session):
    _record(session, region.anna, PRESENT)
    with pytest.raises(ValidationError):
        services.cancel_session(session, by=None)
    session.refresh_from_db()
    assert not session.is_cancelled


# Distance courses -----------------------------------------------------------------------------

def test_a_self_paced_course_is_completed_once(region, staff_member):
    course = make_course(region.programme, format=Course.Format.SELF_PACED, nominal_minutes=45)
    first = services.complete_distance_course(
        course, region.anna, completed_on=datetime.date(2026, 4, 1), by=staff_member,
        confirmed_as=DistanceCompletion.ConfirmedAs.SELF)
    again = services.complete_distance_course(
        course, region.anna, completed_on=datetime.date(2026, 5, 1), by=None,
        confirmed_as=DistanceCompletion.ConfirmedAs.MANAGER)
    assert again.pk == first.pk
    assert DistanceCompletion.objects.get().completed_on == datetime.date(2026, 4, 1)


def test_an_on_site_course_cannot_be_completed_at_a_distance(region):
    course = make_course(region.programme, format=Course.Format.ON_SITE)
    with pytest.raises(ValidationError) as error:
        services.complete_distance_course(course, region.anna, completed_on=datetime.date(
            2026, 4, 1), by=None, confirmed_as="self")
    assert error.value.error_list[0].code == "not_distance"


def test_a_completion_in_the_future_is_refused(region):
    course = make_course(region.programme, format=Course.Format.BLENDED)
    with pytest.raises(ValidationError):
        services.complete_distance_course(
            course, region.anna, completed_on=timezone.localdate() + datetime.timedelta(days=1),
            by=None, confirmed_as="self")
    assert not DistanceCompletion.objects.exists()


# Certification --------------------------------------------------------------------------------

def test_a_participant_certifies_their_time_and_a_later_change_makes_it_stale(
        region, session, staff_member):
    _record(session, region.anna, PARTIAL, 100)
    certification = services.certify_attendance(region.anna, session, by=staff_member)
    assert certification.certified_minutes == 100
    assert certification.certified_by_user == staff_member
    assert not services.certification_is_stale(certification)
    _record(session, region.anna, PRESENT)
    assert services.certification_is_stale(certification)
    again = services.certify_attendance(region.anna, session, by=staff_member)
    assert again.pk == certification.pk and again.certified_minutes == 150
    assert not services.certification_is_stale(again)


def test_someone_else_cannot_certify_a_participants_time(region, session, trainer):
    _record(session, region.anna, PRESENT)
    with pytest.raises(ValidationError) as error:
        services.certify_attendance(region.anna, session, by=trainer)
    assert error.value.error_list[0].code == "not_self"


def test_nothing_attended_cannot_be_certified(region, session):
    _record(session, region.anna, ABSENT)
    with pytest.raises(ValidationError) as error:
        services.certify_attendance(region.anna, session)
    assert error.value.error_list[0].code == "nothing_attended"
