"""The monthly participant report pages: list, regenerate from a month, download."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from modig.accounts import access as account_access
from modig.accounts.models import AccessLogEntry
from modig.organisation.models import Person, Programme
from modig.reports import files, participants, services
from modig.reports.access import require_participant_reports
from modig.reports.models import ParticipantReportMonth


def participant_months(request, programme_pk: int):
    require_participant_reports(request.user)
    programme = get_object_or_404(Programme, pk=programme_pk)
    versions: dict = {}
    for report in (ParticipantReportMonth.objects.filter(programme=programme)
                   .defer("rows").order_by("month", "-version")):
        versions.setdefault(report.month, []).append(report)
    months = [{"month": month, "versions": versions.get(month, [])}
              for month in participants.report_months(programme)]
    return render(request, "reports/participant_months.html", {
        "programme": programme, "months": months,
    })


@require_POST
def participant_regenerate(request, programme_pk: int):
    require_participant_reports(request.user)
    programme = get_object_or_404(Programme, pk=programme_pk)
    try:
        month = datetime.date.fromisoformat(f"{request.POST.get('month', '')}-01")
    except ValueError:
        month = None
    try:
        if month is None:
            raise ValidationError(_("Choose a month that is over and inside the programme "
                                    "period."))
        result = services.regenerate_from(programme, month, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(
            "Generated from %(month)s: %(created)d new versions, %(unchanged)d months "
            "unchanged.") % {"month": month.strftime("%Y-%m"), "created": len(result.created),
                             "unchanged": len(result.unchanged)})
    return redirect("reports:participant-months", programme_pk=programme.pk)


def participant_download(request, pk: int, file_format: str):
    require_participant_reports(request.user)
    report = get_object_or_404(ParticipantReportMonth, pk=pk)
    header = [str(label) for _name, label in participants.COLUMNS]
    name = f"esf-deltagare-{report.month:%Y-%m}-v{report.version}"
    if file_format == "csv":
        content, content_type = files.csv_bytes(header, report.rows), files.CSV_TYPE
    elif file_format == "xlsx":
        content = files.xlsx_bytes(f"{report.month:%Y-%m}", header, report.rows)
        content_type = files.XLSX_TYPE
    else:
        raise Http404
    _log_download(request, report, f"{name}.{file_format}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


def _log_download(request, report: ParticipantReportMonth, file_name: str) -> None:
    """One export entry for the file, and one identity-number entry for each person whose
    full number is in it, so that a person's own access log shows the download."""
    detail = f"ESF participant report {file_name} ({report.row_count} rows)"
    account_access.log_access(request, AccessLogEntry.Action.EXPORT, detail=detail)
    numbers = [row[participants.IDENTITY_COLUMN] for row in report.rows
               if row[2] != participants.PLACEHOLDER]
    ip_address = account_access.client_ip(request)
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(user=request.user, user_email=request.user.email,
                       action=AccessLogEntry.Action.VIEW_IDENTITY_NUMBER, person_id=person_id,
                       detail=detail[:300], ip_address=ip_address)
        for person_id in Person.objects.filter(identity_number__in=numbers)
        .values_list("pk", flat=True)
    ])
