"""Co-financing: participant hours × the year's unit cost, per municipality and month
(docs/esf-reports.md). Hours come from training.ledger.

A person employed in several of the programme's municipalities has all their hours
attributed to one of them, so that the rows add up to the programme's total and no hour is
paid for twice: the municipality of their earliest-starting employment (no start date counts
as latest; ties by the employment's id). People with training time but no employment in the
programme's municipalities are shown in a row of their own.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import F, OuterRef, Subquery

from modig.organisation.models import Employment, Municipality, Person, Programme
from modig.reports.models import EsfUnitCost
from modig.training import ledger


@dataclass
class CostRow:
    municipality: Municipality | None
    month: datetime.date
    minutes: int
    sek_per_hour: Decimal | None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def amount(self) -> Decimal | None:
        if self.sek_per_hour is None:
            return None
        return (Decimal(self.minutes) * self.sek_per_hour / 60).quantize(
            Decimal("0.01"), ROUND_HALF_UP)


def _attributed_municipality(programme: Programme):
    first = (Employment.objects.filter(person=OuterRef("pk"),
                                       municipality__in=programme.municipalities.all())
             .order_by(F("started_on").asc(nulls_last=True), "pk").values("municipality_id")[:1])
    return Person.objects.order_by().annotate(
        attributed=Subquery(first), person_ref=F("pk")).values("person_ref", "attributed")


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def rows(programme: Programme) -> list[CostRow]:
    """Minutes per attributed municipality and month, grouped in the database."""
    union_sql, union_params = ledger.entries(programme).query.sql_with_params()
    people_sql, people_params = _attributed_municipality(programme).query.sql_with_params()
    month_sql, month_params = connection.ops.date_trunc_sql("month", "e.entry_on", ())
    sql = (f"SELECT p.attributed, {month_sql} AS month, SUM(e.entry_minutes) "  # noqa: S608
           f"FROM ({union_sql}) e JOIN ({people_sql}) p ON p.person_ref = e.entry_person "
           f"GROUP BY p.attributed, {month_sql}")
    # Only Django-compiled SQL and fixed text are formatted in; values stay parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, (*month_params, *union_params, *people_params, *month_params))
        found = cursor.fetchall()
    municipalities = Municipality.objects.in_bulk({row[0] for row in found if row[0]})
    costs = dict(EsfUnitCost.objects.filter(programme=programme)
                 .values_list("year", "sek_per_hour"))
    result = []
    for municipality_id, month, minutes in found:
        month = _as_date(month)
        result.append(CostRow(municipalities.get(municipality_id), month, int(minutes),
                              costs.get(month.year)))
    result.sort(key=lambda row: (row.month, row.municipality.name if row.municipality else "~"))
    return result
