import pytest

from modig.organisation.models import StaffCategory
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory


def make_manager(municipality, unit, first_name="Maria", **employment):
    person = PersonFactory(first_name=first_name, last_name="Chef")
    EmploymentFactory(person=person, municipality=municipality, units=[unit],
                      staff_category=StaffCategory.MANAGEMENT, job_title="Enhetschef",
                      **employment)
    return person


@pytest.fixture
def manager(region, unit_manager):
    """The Nödinge unit manager's own person record, with a manager's employment in Ale."""
    person = make_manager(region.ale, region.nodinge)
    unit_manager.person = person
    unit_manager.save(update_fields=["person"])
    return person


@pytest.fixture
def tjorn_manager(region):
    return make_manager(region.tjorn, region.solgarden, first_name="Tove")
