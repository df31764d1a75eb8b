"""The batch overlap check group formation uses (services.booked_at_the_same_time) gives the
same answer as the one-person check enrolment uses (services.overlapping_meetings)."""

import datetime

import pytest
from django.utils import timezone

from modig.training import services
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def target(region):
    """A session on day 10, 09:00–11:00 and day 12, 13:00–15:00."""
    course = make_course(region.programme, title="Mål")
    return make_session(course, meetings=[meeting(day(10), "09:00", "11:00"),
                                          meeting(day(12), "13:00", "15:00")])


@pytest.mark.parametrize(("when", "status", "cancelled", "clash"), [
    ((10, "10:30", "12:00"), "enrolled", False, True),     # overlaps the first meeting
    ((12, "12:00", "13:30"), "waiting", False, True),      # waiting counts as booked
    ((10, "11:00", "12:00"), "enrolled", False, False),    # starts when the other ends
    ((11, "09:00", "11:00"), "enrolled", False, False),    # another day
    ((10, "09:00", "11:00"), "cancelled", False, False),   # a cancelled enrolment
    ((10, "09:00", "11:00"), "enrolled", True, False),     # a cancelled session
])
def test_batch_check_agrees_with_the_one_person_check(region, target, when, status,
                                                      cancelled, clash):
    other = make_session(make_course(region.programme, title="Annan"),
                         meetings=[meeting(day(when[0]), when[1], when[2])])
    Enrolment.objects.create(session=other, person=region.anna, status=status,
                             source=Enrolment.Source.COORDINATOR)
    if cancelled:
        services.cancel_session(other, by=None)
    one = services.overlapping_meetings(target, region.anna).exists()
    batch = services.people_booked_at_the_same_time(
        target, [region.anna.pk, region.bertil.pk])
    assert one is clash
    assert batch == ({region.anna.pk} if clash else set())


def test_own_session_is_not_a_clash(region, target):
    services.enrol(target, region.anna, by=None, source=Enrolment.Source.COORDINATOR)
    assert services.people_booked_at_the_same_time(target, [region.anna.pk]) == set()
