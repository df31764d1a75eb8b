"""The demo's ESF data: a unit cost per programme year, backgrounds once per person."""

from decimal import Decimal

from modig.demo.reports import generate_esf
from modig.reports.models import EsfBackground, EsfUnitCost


def test_unit_costs_and_backgrounds_are_made_once_and_the_same_each_time(region):
    assert generate_esf(region.programme, seed=7) == 4
    assert list(EsfUnitCost.objects.values_list("year", "sek_per_hour")) == [
        (2025, Decimal("395.00")), (2026, Decimal("407.00")), (2027, Decimal("419.00"))]
    first = list(EsfBackground.objects.order_by("person").values_list(
        "person", "education_level"))
    assert generate_esf(region.programme, seed=7) == 0
    EsfBackground.objects.all().delete()
    generate_esf(region.programme, seed=7)
    assert list(EsfBackground.objects.order_by("person").values_list(
        "person", "education_level")) == first
