"""Co-financing: hours × unit cost per municipality and month, one municipality per person."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from modig.organisation.models import Employment
from modig.organisation.tests.factories import PersonFactory
from modig.reports import cofinancing
from modig.reports.models import EsfUnitCost
from modig.reports.tests.conftest import complete
from modig.training import ledger


def setup_costs(region):
    # Dana's Tjörn employment is the older one: her hours go to Tjörn, not to both.
    Employment.objects.filter(person=region.dual, municipality=region.tjorn).update(
        started_on=datetime.date(2020, 1, 1))
    Employment.objects.filter(person=region.dual, municipality=region.ale).update(
        started_on=datetime.date(2022, 1, 1))
    complete(region, region.dual, "2026-03-25", minutes=30)
    EsfUnitCost.objects.create(programme=region.programme, year=2026,
                               sek_per_hour=Decimal("400.00"))


def table(region):
    return [(f"{row.month:%Y-%m}", row.municipality.name if row.municipality else None,
             row.hours, row.amount) for row in cofinancing.rows(region.programme)]


def test_hours_times_cost_per_municipality_and_month(esf_region):
    setup_costs(esf_region)
    assert table(esf_region) == [
        ("2026-02", "Ale", Decimal("1.00"), Decimal("400.00")),
        ("2026-03", "Ale", Decimal("1.00"), Decimal("400.00")),
        ("2026-03", "Tjörn", Decimal("1.50"), Decimal("600.00")),
        ("2026-05", "Ale", Decimal("1.00"), Decimal("400.00")),
        ("2026-06", "Tjörn", Decimal("1.00"), Decimal("400.00")),
    ]
    # The rows add up to the ledger's total: nobody's hours count twice.
    assert sum(r.minutes for r in cofinancing.rows(esf_region.programme)) == (
        ledger.totals(esf_region.programme).minutes)


def test_missing_cost_and_people_without_a_municipality(esf_region):
    complete(esf_region, PersonFactory(), "2025-04-02", minutes=45)
    rows = cofinancing.rows(esf_region.programme)
    assert (rows[0].month, rows[0].municipality, rows[0].minutes) == (
        datetime.date(2025, 4, 1), None, 45)
    assert all(row.amount is None for row in rows)


def test_the_office_keeps_the_unit_costs(region, programme_admin, login):
    client = login(programme_admin)
    url = reverse("reports:unit-costs", args=[region.programme.pk])
    for _ in range(2):
        response = client.post(url, {"year": "2026", "sek_per_hour": "412,50"}, follow=True)
    assert "Enhetskostnaden för 2026 är sparad." in response.text
    assert list(EsfUnitCost.objects.values_list("year", "sek_per_hour")) == [
        (2026, Decimal("412.50"))]
    refused = client.post(url, {"year": "2031", "sek_per_hour": "0"})
    assert "Välj ett år inom programmets period: 2025 till 2027." in refused.text
    assert EsfUnitCost.objects.count() == 1


def test_the_page_and_xlsx(esf_region, programme_admin, login):
    setup_costs(esf_region)
    client = login(programme_admin)
    page = client.get(reverse("reports:cofinancing", args=[esf_region.programme.pk]))
    assert "2200,00" in page.text
    response = client.get(reverse("reports:cofinancing-xlsx", args=[esf_region.programme.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Månad", "Kommun", "Deltagartimmar", "Kronor per deltagartimme",
                       "Belopp (kronor)")
    assert rows[3] == ("2026-03", "Tjörn", 1.5, 400, 600)
