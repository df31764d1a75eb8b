"""Test builders: appointments and coaching made through the services."""

import datetime
import uuid

from conftest import make_user
from modig.ambassadors import services
from modig.ambassadors.models import CoachingActivity
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory


def make_ambassador(region, *, email="ella@ale.example", units=None,
                    starts_on=datetime.date(2025, 1, 1)):
    """Ella, employed at Vikadamm, with a log-in and an appointment covering Vikadamm."""
    person = PersonFactory(first_name="Ella", last_name="Ek")
    EmploymentFactory(person=person, municipality=region.ale, employee_id=f"E-{email}",
                      units=[region.vikadamm])
    user = make_user(email)
    user.person = person
    user.save(update_fields=["person"])
    appointment = services.appoint(person, region.ale, units=units or [region.vikadamm],
                                   time_percent=20, starts_on=starts_on)
    return user, appointment


def entry(region, **fields) -> services.CoachingEntry:
    values = dict(date=datetime.date(2026, 3, 2), unit=region.vikadamm,
                  format=CoachingActivity.Format.ONE_TO_ONE, minutes=30, topic_text="Teams",
                  participants=[region.anna], idempotency_key=uuid.uuid4())
    values.update(fields)
    return services.CoachingEntry(**values)
