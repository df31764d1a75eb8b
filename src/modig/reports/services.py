"""What changes the stored ESF reports."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from modig.organisation.models import Programme
from modig.reports import participants
from modig.reports.models import ParticipantReportMonth


@dataclass
class Regeneration:
    created: list  # the new versions
    unchanged: list  # the months whose recomputed file was the same as their latest version


def regenerate_from(programme: Programme, month: datetime.date, *, by,
                    today: datetime.date | None = None) -> Regeneration:
    """Recompute the participant report for the month and every later reportable month from
    the ledger. A month whose file differs from its latest stored version (or has none) gets a
    new version; the old versions stay. A month whose file is the same gets none, so a double
    tap or a repeated run adds nothing."""
    reportable = participants.report_months(programme, today)
    if month not in reportable:
        raise ValidationError(_("Choose a month that is over and inside the programme period."),
                              code="month")
    months = [each for each in reportable if each >= month]
    result = Regeneration([], [])
    with transaction.atomic():
        # One regeneration at a time per programme, so two runs cannot both take a version.
        Programme.objects.select_for_update().get(pk=programme.pk)
        stored = ParticipantReportMonth.objects.filter(programme=programme, month__in=months)
        latest = {}
        for report in stored.order_by("month", "version").only(
                "month", "version", "content_hash"):
            latest[report.month] = report
        for each in months:
            rows = participants.month_rows(programme, each, today)
            digest = participants.content_hash(rows)
            previous = latest.get(each)
            if previous is not None and previous.content_hash == digest:
                result.unchanged.append(previous)
                continue
            result.created.append(ParticipantReportMonth.objects.create(
                programme=programme, month=each,
                version=(previous.version + 1) if previous else 1,
                rows=rows, row_count=len(rows), content_hash=digest,
                generated_by=by if by is not None and by.is_authenticated else None))
    return result

