"""Roll call as a service (issue 5, "Attendance"): every row of a meeting saved at once or none,
re-saving updates, the window from the meeting's day to 14 days after, walk-ins only for people
who could have signed up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from modig.organisation.models import Employment
from modig.training import services
from modig.training.models import Attendance, Enrolment
from modig.training.services import RollCallRow
from modig.training.tests.factories import make_course, make_session, meeting

PRESENT, ABSENT, PARTIAL = (Attendance.Status.PRESENT, Attendance.Status.ABSENT,
                            Attendance.Status.PARTIAL)


def set_now(monkeypatch, text: str) -> None:
    """Stockholm wall-clock time for everything that asks timezone.now()."""
    moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def session(region, trainer):
    session = make_session(make_course(region.programme), municipality=region.ale,
                           trainer=trainer, meetings=[meeting("2026-03-02", "09:00", "11:00")])
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    return session


@pytest.fixture
def during(monkeypatch):
    set_now(monkeypatch, "2026-03-02 09:10")


def _rows(region, **statuses):
    people = {"anna": region.anna, "bertil": region.bertil, "dual": region.dual}
    rows = []
    for name, value in statuses.items():
        status, minutes = value if isinstance(value, tuple) else (value, None)
        rows.append(RollCallRow(people[name].pk, status, minutes))
    return rows


def _stored(session):
    return {(a.person.first_name, a.status, a.minutes)
            for a in Attendance.objects.filter(meeting__session=session).select_related("person")}


def test_one_save_records_every_row(region, session, trainer, during):
    result = services.record_roll_call(
        session.meetings.get(), _rows(region, anna=PRESENT, bertil=ABSENT, dual=(PARTIAL, 45)),
        by=trainer)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert _stored(session) == {("Anna", PRESENT, 120), ("Bertil", ABSENT, 0),
                                ("Dana", PARTIAL, 45)}
    assert set(Attendance.objects.values_list("recorded_by", "source").distinct()) == {
        (trainer.pk, Attendance.Source.ROLL_CALL)}


def test_saving_again_updates_and_never_duplicates(region, session, trainer, during):
    the_meeting = session.meetings.get()
    services.record_roll_call(the_meeting, _rows(region, anna=PRESENT, bertil=PRESENT),
                              by=trainer)
    result = services.record_roll_call(
        the_meeting, _rows(region, anna=PRESENT, bertil=(PARTIAL, 30)), by=trainer)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Attendance.objects.count() == 2
    assert _stored(session) == {("Anna", PRESENT, 120), ("Bertil", PARTIAL, 30)}


def test_an_unchanged_check_in_keeps_its_source(region, session, staff_member, trainer,
                                                monkeypatch):
    set_now(monkeypatch, "2026-03-02 08:50")
    the_meeting = session.meetings.get()
    services.check_in(the_meeting, region.anna, by=staff_member)
    services.record_roll_call(the_meeting, _rows(region, anna=PRESENT, bertil=ABSENT),
                              by=trainer)
    anna = Attendance.objects.get(person=region.anna)
    assert (anna.source, anna.recorded_by) == (Attendance.Source.CHECK_IN, staff_member)


def test_one_bad_row_saves_nothing(region, session, trainer, during):
    with pytest.raises(ValidationError) as error:
        services.record_roll_call(
            session.meetings.get(),
            _rows(region, anna=PRESENT, bertil=(PARTIAL, None), dual=(PARTIAL, 120)),
            by=trainer)
    problems = error.value.message_dict
    assert set(problems) == {str(region.bertil.pk), str(region.dual.pk)}
    assert "119" in problems[str(region.dual.pk)][0]
    assert not Attendance.objects.exists()


def test_a_person_not_enrolled_is_refused_and_nothing_is_saved(region, session, trainer,
                                                               during):
    rows = [RollCallRow(region.anna.pk, PRESENT), RollCallRow(region.cecilia.pk, PRESENT)]
    with pytest.raises(ValidationError) as error:
        services.record_roll_call(session.meetings.get(), rows, by=trainer)
    assert "Cecilia Carlsson" in error.value.message_dict[str(region.cecilia.pk)][0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(("now", "code"), [
    ("2026-03-01 23:59", "too_early"),
    ("2026-03-17 00:00", "closed"),
])
def test_roll_call_outside_its_window_is_refused(region, session, trainer, monkeypatch, now,
                                                 code):
    set_now(monkeypatch, now)
    with pytest.raises(ValidationError) as error:
        services.record_roll_call(session.meetings.get(), _rows(region, anna=PRESENT),
                                  by=trainer)
    assert error.value.error_list[0].code == code
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("now", ["2026-03-02 07:00", "2026-03-16 23:59"])
def test_roll_call_is_open_from_the_meeting_day_until_fourteen_days_after(
        region, session, trainer, monkeypatch, now):
    set_now(monkeypatch, now)
    services.record_roll_call(session.meetings.get(), _rows(region, anna=PRESENT), by=trainer)
    assert Attendance.objects.get().minutes == 120


def test_a_cancelled_session_takes_no_roll_call(region, trainer, during):
    session = make_session(make_course(region.programme), trainer=trainer,
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    services.cancel_session(session, by=None)
    with pytest.raises(ValidationError) as error:
        services.record_roll_call(session.meetings.get(), _rows(region, anna=PRESENT),
                                  by=trainer)
    assert error.value.error_list[0].code == "cancelled"


def test_a_waiting_person_who_came_gets_the_place(region, trainer, during):
    session = make_session(make_course(region.programme), capacity=1, trainer=trainer,
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    services.enrol(session, region.anna, by=None, source=Enrolment.Source.SELF)
    waiting = services.enrol(session, region.bertil, by=None, source=Enrolment.Source.SELF)
    services.record_roll_call(session.meetings.get(),
                              _rows(region, anna=ABSENT, bertil=PRESENT), by=trainer)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED


def test_a_walk_in_is_enrolled_and_present(region, session, trainer, during):
    the_meeting = session.meetings.get()
    services.cancel_enrolment(Enrolment.objects.get(person=region.dual), by=None)
    attendance = services.add_walk_in(the_meeting, region.dual, by=trainer)
    assert (attendance.status, attendance.minutes) == (PRESENT, 120)
    enrolment = Enrolment.objects.active().get(person=region.dual)
    assert (enrolment.source, enrolment.status, enrolment.enrolled_by) == (
        Enrolment.Source.WALK_IN, Enrolment.Status.ENROLLED, trainer)


def test_a_walk_in_must_be_active_and_from_the_sessions_municipality(region, session, trainer,
                                                                     during):
    the_meeting = session.meetings.get()
    with pytest.raises(ValidationError) as error:
        services.add_walk_in(the_meeting, region.cecilia, by=trainer)
    assert error.value.error_list[0].code == "other_municipality"
    Employment.objects.filter(person=region.anna).update(is_active=False)
    services.cancel_enrolment(Enrolment.objects.get(person=region.anna), by=None)
    with pytest.raises(ValidationError) as error:
        services.add_walk_in(the_meeting, region.anna, by=trainer)
    assert error.value.error_list[0].code == "inactive"
    assert not Attendance.objects.exists()
    assert not Enrolment.objects.filter(source=Enrolment.Source.WALK_IN).exists()


def test_someone_already_on_the_list_is_not_added_twice(region, session, trainer, during):
    with pytest.raises(ValidationError) as error:
        services.add_walk_in(session.meetings.get(), region.anna, by=trainer)
    assert error.value.error_list[0].code == "already_enrolled"
    assert Enrolment.objects.filter(person=region.anna).count() == 1


def test_a_walk_in_outside_the_window_is_refused(region, session, trainer, monkeypatch):
    set_now(monkeypatch, "2026-04-01 10:00")
    services.cancel_enrolment(Enrolment.objects.get(person=region.dual), by=None)
    with pytest.raises(ValidationError) as error:
        services.add_walk_in(session.meetings.get(), region.dual, by=trainer)
    assert error.value.error_list[0].code == "closed"
    assert not Enrolment.objects.active().filter(person=region.dual).exists()
