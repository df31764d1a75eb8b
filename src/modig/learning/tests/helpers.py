"""Builders for the learning tests."""

import datetime

from modig.competence.models import Competence
from modig.learning import services
from modig.learning.models import Technology
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory

GO_LIVE = datetime.date(2026, 9, 1)


def alarm() -> Technology:
    """The catalogue's digital safety alarm (competences 5.1, 4.2, 4.3, 2.1)."""
    return Technology.objects.get(code="digitalt-trygghetslarm-i-hemmet")


def digcomp(code: str) -> Competence:
    return Competence.objects.get(framework__code="digcomp-2-2", code=code)


def staff(municipality, unit, n: int, *, prefix: str = "X", **fields) -> list:
    """n people employed in the unit."""
    people = []
    for i in range(n):
        person = PersonFactory(first_name=f"{prefix}{i}", last_name="Test")
        EmploymentFactory(person=person, municipality=municipality,
                          employee_id=f"{prefix}{i}", units=[unit], **fields)
        people.append(person)
    return people


def introduce(region, *, unit=None, municipality=None, technology=None, go_live_on=GO_LIVE,
              occupations=()):
    municipality = municipality or (unit.municipality if unit else region.ale)
    return services.introduce(technology or alarm(), municipality=municipality, unit=unit,
                              go_live_on=go_live_on, occupations=occupations)
