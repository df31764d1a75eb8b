"""Two requests at the same moment cannot overfill a session (issue 5, "Bad input":
overbooking). Real threads with their own database connections and transactions."""

import pytest
from django.core.exceptions import ValidationError

from conftest import run_at_once
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training import services
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _people(region, count):
    people = []
    for index in range(count):
        person = PersonFactory(first_name=f"P{index}")
        EmploymentFactory(person=person, municipality=region.ale, units=[region.vikadamm])
        people.append(person)
    return people


def test_two_cancels_at_once_fill_both_places_from_the_waiting_list(region):
    session = make_session(make_course(region.programme), capacity=2)
    a, b, c, d, e = _people(region, 5)
    first, second = (services.enrol(session, p, by=None, source="self") for p in (a, b))
    for person in (c, d, e):
        services.enrol(session, person, by=None, source="self")
    results = run_at_once(lambda: services.cancel_enrolment(first, by=None),
                        lambda: services.cancel_enrolment(second, by=None))
    assert not any(isinstance(r, Exception) for r in results), results
    enrolled = set(session.enrolments.enrolled().values_list("person", flat=True))
    assert enrolled == {c.pk, d.pk}
    assert list(session.enrolments.waiting().values_list("person", flat=True)) == [e.pk]


def test_two_people_taking_the_last_place_at_once_get_one_place_and_one_wait(region):
    session = make_session(make_course(region.programme), capacity=1)
    results = run_at_once(
        lambda: services.enrol(session, region.anna, by=None, source="self").status,
        lambda: services.enrol(session, region.bertil, by=None, source="self").status)
    assert sorted(results) == ["enrolled", "waiting"]
    assert session.enrolments.enrolled().count() == 1


def test_the_same_person_enrolled_twice_at_once_gets_one_enrolment(region):
    session = make_session(make_course(region.programme), capacity=5)
    results = run_at_once(
        lambda: services.enrol(session, region.anna, by=None, source="self"),
        lambda: services.enrol(session, region.anna, by=None, source="self"))
    assert sum(isinstance(r, Enrolment) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Enrolment.objects.filter(person=region.anna).count() == 1
