"""The time report per unit and month: a page to choose and read it, PDF and XLSX files."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from modig.organisation.models import Programme
from modig.reports import files, timereport, timereport_files
from modig.reports.participants import month_start


def _units(user):
    units = timereport.units_for_time_reports(user)
    if units is None:
        raise PermissionDenied
    return units.select_related("municipality").order_by("municipality__name", "path")


def _month(programme: Programme, text: str) -> datetime.date | None:
    try:
        month = datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        return None
    inside = month_start(programme.starts_on) <= month <= month_start(programme.ends_on)
    return month if inside else None


def time_report(request, programme_pk: int):
    programme = get_object_or_404(Programme, pk=programme_pk)
    units = _units(request.user)
    report = error = None
    unit_pk, month_text = request.GET.get("enhet", ""), request.GET.get("manad", "")
    if unit_pk or month_text:
        unit = units.filter(pk=unit_pk).first() if unit_pk.isdigit() else None
        month = _month(programme, month_text)
        if unit is None or month is None:
            error = True
        else:
            report = timereport.unit_month(programme, unit, month)
    return render(request, "reports/time_report.html", {
        "programme": programme, "units": units, "report": report, "error": error,
        "unit_pk": unit_pk, "month_text": month_text,
    })


def time_report_file(request, programme_pk: int, unit_pk: int, month: str, file_format: str):
    programme = get_object_or_404(Programme, pk=programme_pk)
    unit = get_object_or_404(_units(request.user), pk=unit_pk)
    first = _month(programme, month)
    if first is None:
        raise Http404
    report = timereport.unit_month(programme, unit, first)
    name = f"tidrapport-{unit.pk}-{first:%Y-%m}"
    if file_format == "pdf":
        response = HttpResponse(timereport_files.time_report_pdf(report),
                                content_type="application/pdf")
    elif file_format == "xlsx":
        response = HttpResponse(timereport_files.time_report_xlsx(report),
                                content_type=files.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
