"""Co-financing: the unit cost table (programme office) and hours × cost per municipality and
month, as a page and XLSX. Programme office only: exact figures for the ESF claim."""

from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from modig.reports import cofinancing, files
from modig.reports.access import programme_for_office
from modig.reports.cofinancing_forms import UnitCostForm
from modig.reports.models import EsfUnitCost


def unit_costs(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    form = UnitCostForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # One row a year: saving a year again changes its cost (a double tap adds nothing).
            EsfUnitCost.objects.update_or_create(
                programme=programme, year=form.cleaned_data["year"],
                defaults={"sek_per_hour": form.cleaned_data["sek_per_hour"]})
        messages.success(request, _("The unit cost for %(year)s is saved.")
                         % {"year": form.cleaned_data["year"]})
        return redirect("reports:unit-costs", programme_pk=programme.pk)
    return render(request, "reports/unit_costs.html", {
        "programme": programme, "form": form,
        "costs": EsfUnitCost.objects.filter(programme=programme),
    })


def cofinancing_page(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    rows = cofinancing.rows(programme)
    missing_years = sorted({row.month.year for row in rows if row.sek_per_hour is None})
    return render(request, "reports/cofinancing.html", {
        "programme": programme, "rows": rows, "missing_years": missing_years,
        "total": cofinancing.CostRow(None, programme.starts_on,
                                     sum(row.minutes for row in rows), None),
        "total_amount": sum((row.amount for row in rows if row.amount is not None),
                            Decimal("0.00")),
    })


def cofinancing_xlsx(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    with translation.override("sv"):
        header = [_("Month"), _("Municipality"), _("Participant hours"),
                  _("SEK per participant hour"), _("Amount (SEK)")]
        body = [[f"{row.month:%Y-%m}",
                 row.municipality.name if row.municipality else _("No municipality"),
                 row.hours, row.sek_per_hour, row.amount]
                for row in cofinancing.rows(programme)]
        content = files.xlsx_bytes(_("Co-financing"), header, body)
    response = HttpResponse(content, content_type=files.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="medfinansiering.xlsx"'
    return response
