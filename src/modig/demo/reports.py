"""Demo data for the ESF reports: the programme office's unit cost for each programme year, and
ESF background fields for the people employed in the region (deterministic from the seed)."""

import random
from decimal import Decimal

from modig.organisation.models import Person, Programme
from modig.reports.models import EducationLevel, EmploymentStatus, EsfBackground, EsfUnitCost

# Roughly the average hourly wage cost of care staff with social fees, rising each year.
UNIT_COST_FIRST_YEAR = Decimal("395.00")
UNIT_COST_RISE = Decimal("12.00")
EDUCATION_WEIGHTS = [(EducationLevel.PRIMARY, 8), (EducationLevel.UPPER_SECONDARY, 62),
                     (EducationLevel.TERTIARY, 22), (EducationLevel.UNKNOWN, 8)]


def generate_esf(programme: Programme, *, seed: int) -> int:
    """Unit costs and backgrounds; returns the number of backgrounds made."""
    for offset, year in enumerate(range(programme.starts_on.year, programme.ends_on.year + 1)):
        EsfUnitCost.objects.get_or_create(
            programme=programme, year=year,
            defaults={"sek_per_hour": UNIT_COST_FIRST_YEAR + offset * UNIT_COST_RISE})
    rng = random.Random(seed)
    levels, weights = zip(*EDUCATION_WEIGHTS, strict=True)
    people = Person.objects.filter(
        employments__municipality__in=programme.municipalities.all(),
        esf_background__isnull=True).distinct().order_by("pk").values_list("pk", flat=True)
    backgrounds = [
        EsfBackground(person_id=pk, education_level=rng.choices(levels, weights)[0],
                      employment_status=EmploymentStatus.EMPLOYED)
        for pk in people.iterator()]
    EsfBackground.objects.bulk_create(backgrounds, batch_size=2000)
    return len(backgrounds)
