"""Enrolment rules (issue 5, "Sessions and enrolment" and "Bad input"): places and the waiting
list, inactive people, double enrolment, cancelled sessions, overlapping meetings, sessions of
another municipality, whole units at once."""

import pytest
from django.core.exceptions import ValidationError

from modig.organisation.models import Employment
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import services
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

SELF = Enrolment.Source.SELF


@pytest.fixture
def course(region):
    return make_course(region.programme)


def _code(error: ValidationError) -> str:
    return error.error_list[0].code


def test_enrolment_takes_a_place_while_there_are_places(region, course):
    session = make_session(course, capacity=2)
    first = services.enrol(session, region.anna, by=None, source=SELF)
    second = services.enrol(session, region.bertil, by=None, source=SELF)
    assert first.status == second.status == Enrolment.Status.ENROLLED


def test_a_full_session_puts_the_person_on_the_waiting_list(region, course):
    session = make_session(course, capacity=1)
    services.enrol(session, region.anna, by=None, source=SELF)
    waiting = services.enrol(session, region.bertil, by=None, source=SELF)
    assert waiting.status == Enrolment.Status.WAITING
    assert session.enrolments.enrolled().count() == 1


def test_a_person_without_an_active_employment_is_refused(region, course):
    session = make_session(course)
    Employment.objects.filter(person=region.anna).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        services.enrol(session, region.anna, by=None, source=SELF)
    assert _code(error.value) == "inactive"
    assert "ingen aktiv anställning" in error.value.messages[0]
    assert not Enrolment.objects.exists()


def test_the_same_person_cannot_be_enrolled_twice(region, course):
    session = make_session(course)
    services.enrol(session, region.anna, by=None, source=SELF)
    with pytest.raises(ValidationError) as error:
        services.enrol(session, region.anna, by=None, source=SELF)
    assert _code(error.value) == "already_enrolled"
    assert Enrolment.objects.count() == 1


def test_a_person_can_enrol_again_after_cancelling(region, course):
    session = make_session(course)
    services.cancel_enrolment(services.enrol(session, region.anna, by=None, source=SELF),
                              by=None)
    again = services.enrol(session, region.anna, by=None, source=SELF)
    assert again.status == Enrolment.Status.ENROLLED
    assert Enrolment.objects.filter(person=region.anna).count() == 2


def test_a_cancelled_session_takes_no_enrolments(region, course):
    session = services.cancel_session(make_session(course), by=None)
    with pytest.raises(ValidationError) as error:
        services.enrol(session, region.anna, by=None, source=SELF)
    assert _code(error.value) == "cancelled"


def test_overlapping_meetings_in_another_session_are_refused(region, course):
    morning = make_session(course, meetings=[meeting("2026-12-01", "09:00", "11:00")])
    overlapping = make_session(course, meetings=[meeting("2026-12-07"),
                                                 meeting("2026-12-01", "10:30", "12:00")])
    services.enrol(morning, region.anna, by=None, source=SELF)
    with pytest.raises(ValidationError) as error:
        services.enrol(overlapping, region.anna, by=None, source=SELF)
    assert _code(error.value) == "overlap"
    assert "samma tid" in error.value.messages[0]


def test_meetings_that_only_touch_are_not_a_double_booking(region, course):
    morning = make_session(course, meetings=[meeting("2026-12-01", "09:00", "11:00")])
    after = make_session(course, meetings=[meeting("2026-12-01", "11:00", "12:00")])
    services.enrol(morning, region.anna, by=None, source=SELF)
    assert services.enrol(after, region.anna, by=None, source=SELF).status == "enrolled"


def test_a_cancelled_enrolment_or_session_does_not_block_another_booking(region, course):
    first = make_session(course, meetings=[meeting("2026-12-01")])
    second = make_session(course, meetings=[meeting("2026-12-01")])
    third = make_session(course, meetings=[meeting("2026-12-01")])
    services.cancel_enrolment(services.enrol(first, region.anna, by=None, source=SELF), by=None)
    services.enrol(second, region.anna, by=None, source=SELF)
    services.cancel_session(second, by=None)
    assert services.enrol(third, region.anna, by=None, source=SELF).status == "enrolled"


def test_a_local_session_is_only_for_staff_of_its_municipality(region, course):
    session = make_session(course, municipality=region.tjorn)
    with pytest.raises(ValidationError) as error:
        services.enrol(session, region.anna, by=None, source=SELF)
    assert _code(error.value) == "other_municipality"
    assert services.enrol(session, region.cecilia, by=None, source=SELF).status == "enrolled"


def test_cancelling_a_place_moves_the_first_waiting_person_up(region, course):
    session = make_session(course, capacity=1)
    anna = services.enrol(session, region.anna, by=None, source=SELF)
    services.enrol(session, region.bertil, by=None, source=SELF)
    services.enrol(session, region.cecilia, by=None, source=SELF)
    promoted = services.cancel_enrolment(anna, by=None)
    assert [e.person for e in promoted] == [region.bertil]
    statuses = dict(session.enrolments.values_list("person__first_name", "status"))
    assert statuses == {"Anna": "cancelled", "Bertil": "enrolled", "Cecilia": "waiting"}
    anna.refresh_from_db()
    assert anna.cancelled_at is not None


def test_cancelling_a_place_in_line_moves_no_one(region, course):
    session = make_session(course, capacity=1)
    services.enrol(session, region.anna, by=None, source=SELF)
    bertil = services.enrol(session, region.bertil, by=None, source=SELF)
    services.enrol(session, region.cecilia, by=None, source=SELF)
    assert services.cancel_enrolment(bertil, by=None) == []
    assert list(session.enrolments.waiting().values_list("person", flat=True)) == [
        region.cecilia.pk]


def test_cancelling_twice_changes_nothing_the_second_time(region, course):
    session = make_session(course, capacity=1)
    anna = services.enrol(session, region.anna, by=None, source=SELF)
    services.cancel_enrolment(anna, by=None)
    services.enrol(session, region.bertil, by=None, source=SELF)
    assert services.cancel_enrolment(anna, by=None) == []
    assert session.enrolments.enrolled().get().person == region.bertil


def test_a_waiting_person_with_a_clashing_place_elsewhere_is_skipped(region, course):
    full = make_session(course, capacity=1, meetings=[meeting("2026-12-01")])
    anna = services.enrol(full, region.anna, by=None, source=SELF)
    services.enrol(full, region.bertil, by=None, source=SELF)  # waits
    services.enrol(full, region.cecilia, by=None, source=SELF)  # waits
    # Bertil's other place is moved onto the same morning after he joined the line.
    other = make_session(course, meetings=[meeting("2026-12-02")])
    services.enrol(other, region.bertil, by=None, source=SELF)
    services.update_session(other, by=None, meetings=[
        meeting("2026-12-01", pk=other.meetings.get().pk)])
    promoted = services.cancel_enrolment(anna, by=None)
    assert [e.person for e in promoted] == [region.cecilia]


def test_more_places_move_waiting_people_up(region, course):
    session = make_session(course, capacity=1)
    for person in (region.anna, region.bertil, region.cecilia):
        services.enrol(session, person, by=None, source=SELF)
    services.update_session(session, by=None, capacity=2)
    assert set(session.enrolments.enrolled().values_list("person", flat=True)) == {
        region.anna.pk, region.bertil.pk}


def test_fewer_places_than_enrolled_people_is_refused(region, course):
    session = make_session(course, capacity=3)
    for person in (region.anna, region.bertil):
        services.enrol(session, person, by=None, source=SELF)
    with pytest.raises(ValidationError) as error:
        services.update_session(session, by=None, capacity=1)
    assert "capacity" in error.value.message_dict
    session.refresh_from_db()
    assert session.capacity == 3


def test_enrolling_queues_a_confirmation_after_commit(region, course,
                                                      django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    session = make_session(course)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrolment = services.enrol(session, region.anna, by=None, source=SELF)
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("send_enrolment_confirmation")
    assert task.args_kwargs["args"] == [enrolment.pk]


def test_a_refused_enrolment_queues_nothing(region, course, django_capture_on_commit_callbacks):
    session = make_session(course)
    Employment.objects.filter(person=region.anna).update(is_active=False)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.enrol(session, region.anna, by=None, source=SELF)
    assert callbacks == []


# A whole unit at once -------------------------------------------------------------------------

def test_a_manager_enrols_a_unit_and_sees_who_got_a_place_who_waits_and_who_was_refused(
        region, course, unit_manager):
    session = make_session(course, capacity=2)
    left = PersonFactory(first_name="Erik", last_name="Ek")
    EmploymentFactory(person=left, municipality=region.ale, units=[region.vikadamm],
                      is_active=False)
    services.enrol(session, region.anna, by=None, source=SELF)
    result = services.enrol_unit(session, region.nodinge, by=unit_manager)
    # Anna (already enrolled) and Erik (left) refused; Bertil gets the last place; Dana waits.
    assert [e.person for e in result.enrolled] == [region.bertil]
    assert [e.person for e in result.waiting] == [region.dual]
    refused = dict(result.refused)
    assert set(refused) == {region.anna}
    assert "redan" in refused[region.anna]
    assert Enrolment.objects.filter(source=Enrolment.Source.MANAGER,
                                    enrolled_by=unit_manager).count() == 2


def test_enrol_unit_takes_only_the_chosen_people(region, course, unit_manager):
    session = make_session(course)
    result = services.enrol_unit(session, region.vikadamm, by=unit_manager,
                                 people=[region.bertil, region.cecilia])
    # Cecilia works at Solgården, not in the unit: she is not part of it.
    assert [e.person for e in result.enrolled] == [region.bertil]
    assert result.refused == []


def test_an_ended_employment_in_the_unit_is_not_part_of_it(region, course):
    session = make_session(course)
    Employment.objects.filter(person=region.bertil).update(is_active=False)
    result = services.enrol_unit(session, region.vikadamm, by=None)
    assert {e.person for e in result.enrolled} == {region.anna, region.dual}
