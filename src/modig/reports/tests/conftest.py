"""A small region with known training for the ESF reports.

Entries (self-paced course completions, 60 minutes each, through training.services):
- Anna (personnummer 19800512-xxxx, still employed): 2026-02-10 and 2026-05-20;
- Bertil (protected identity, has a number; employment ended 2026-04-30): 2026-03-03;
- Cecilia (no number, born 1990; employment ended 2026-06-30): 2026-03-15 and 2026-06-01;
- Dana: no training.
"""

import datetime

import pytest
from django.utils import timezone

from modig.organisation.identity import luhn_check_digit
from modig.organisation.models import Employment
from modig.surveys.models import Response, Round
from modig.surveys.tests.factories import add_follow_up_items, make_questionnaire, make_round
from modig.training import services as training_services
from modig.training.models import Course
from modig.training.tests.factories import make_course


def identity_number(yymmdd: str, serial: str, century: str = "19") -> str:
    return f"{century}{yymmdd}{serial}{luhn_check_digit(yymmdd + serial)}"


def complete(region, person, day: str, minutes: int = 60):
    course = make_course(region.programme, format=Course.Format.SELF_PACED,
                         nominal_minutes=minutes)
    return training_services.complete_distance_course(
        course, person, completed_on=datetime.date.fromisoformat(day), by=None,
        confirmed_as="self")


@pytest.fixture
def esf_region(region):
    region.anna.identity_number = identity_number("800512", "123")
    region.anna.save()
    region.bertil.identity_number = identity_number("750101", "456")
    region.bertil.has_protected_identity = True
    region.bertil.birth_year = 1975
    region.bertil.save()
    region.cecilia.birth_year = 1990
    region.cecilia.save()
    Employment.objects.filter(person=region.bertil).update(
        is_active=False, ended_on=datetime.date(2026, 4, 30))
    Employment.objects.filter(person=region.cecilia).update(
        is_active=False, ended_on=datetime.date(2026, 6, 30))
    complete(region, region.anna, "2026-02-10")
    complete(region, region.anna, "2026-05-20")
    complete(region, region.bertil, "2026-03-03")
    complete(region, region.cecilia, "2026-03-15")
    complete(region, region.cecilia, "2026-06-01")
    return region


@pytest.fixture
def time_region(region):
    """Vikadamm in March 2026: a two-hour session on 2 March (Anna, Bertil, Dana present);
    Anna certified hers, Bertil certified 60 minutes before his time was corrected to the
    full two hours (stale), Dana did not certify. Anna completed a 60-minute self-paced course
    herself (certified); Dana a 30-minute one confirmed by her manager (not certified)."""
    from modig.training.models import Attendance
    from modig.training.tests.factories import make_session

    session = make_session(make_course(region.programme))
    meeting = session.meetings.get()
    for person in (region.anna, region.bertil, region.dual):
        training_services.enrol(session, person, by=None, source="coordinator")
    present = Attendance.Status.PRESENT
    training_services.record_attendance(meeting, region.anna, status=present, by=None,
                                        source="roll_call")
    training_services.certify_attendance(region.anna, session)
    training_services.record_attendance(meeting, region.bertil, status=Attendance.Status.PARTIAL,
                                        minutes=60, by=None, source="roll_call")
    training_services.certify_attendance(region.bertil, session)
    training_services.record_attendance(meeting, region.bertil, status=present, by=None,
                                        source="roll_call")
    training_services.record_attendance(meeting, region.dual, status=present, by=None,
                                        source="roll_call")
    complete(region, region.anna, "2026-03-10")
    course = make_course(region.programme, format=Course.Format.SELF_PACED, nominal_minutes=30)
    training_services.complete_distance_course(
        course, region.dual, completed_on=datetime.date(2026, 3, 20), by=None,
        confirmed_as="manager")
    return region


def follow_up_round(region, fields, answers):
    """A published follow-up round asking `fields`, with submitted responses `answers`:
    (municipality, unit, staff category, {field: value})."""
    questionnaire = make_questionnaire(code=f"test-{len(fields)}")
    add_follow_up_items(questionnaire, fields)
    baseline = make_round(region.programme, questionnaire, name=f"Baslinje {len(fields)}",
                          min_group_size=3)
    follow_up = make_round(region.programme, questionnaire, name=f"Uppföljning {len(fields)}",
                           kind=Round.Kind.FOLLOW_UP, baseline=baseline, min_group_size=3,
                           anonymity=Round.Anonymity.ANONYMOUS)
    for municipality, unit, category, values in answers:
        Response.objects.create(round=follow_up, municipality=municipality, unit=unit,
                                staff_category=category, submitted_at=timezone.now(),
                                **values)
    return follow_up
