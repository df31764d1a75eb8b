"""CSV and XLSX exports of a round's results: the same figures as the page, hidden groups
left out as "hidden" (no number), built from surveys.results.RoundResults."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from modig.surveys import scale
from modig.surveys.results import STEPS, RoundResults


def sheets(results: RoundResults) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, header, rows) for each table of the page."""
    hidden = _("hidden")
    step_headers = [str(label) for _value, label in scale.STEPS]
    profile_header = [_("Competence area"), _("Competence"), _("Mean (1–5)"), *step_headers,
                      str(scale.CHOICES[-1][1])]
    profile_rows = []
    if results.group.shown:
        for area in results.areas:
            for item in [(area.area.title, "", area.distribution),
                         *[(area.area.title, c.competence.title, c.distribution)
                           for c in area.competences]]:
                area_title, competence_title, distribution = item
                profile_rows.append([
                    area_title, competence_title, _round(distribution.mean),
                    *[distribution.counts[v] for v in STEPS], distribution.dont_know,
                ])
    group_rows = [[_("Round"), results.round.name],
                  [_("Place"), results.place.name or _("The whole programme")],
                  [_("Minimum group size"), results.min_size],
                  [_("Answers"), results.group.count if results.group.shown else hidden]]
    breakdown_header = [_("Group"), _("Answers"), *[a.area.title for a in results.areas]]
    breakdown_rows = [
        [row.label or _("Not stated"), row.cell.count if row.cell.shown else hidden,
         *[(_round(m) if row.cell.shown else hidden) for m in row.area_means]]
        for row in results.breakdown
    ]
    heat_header = [_("Competence"), *[c.label or _("Not stated") for c in results.heatmap_columns]]
    heat_rows = [
        [row["competence"].title,
         *[(_round(cell["mean"]) if cell["column"].cell.shown else hidden)
           for cell in row["cells"]]]
        for row in results.heatmap_rows
    ]
    result = [
        (_("Group"), [_("What"), _("Value")], group_rows),
        (_("Profile"), profile_header, profile_rows),
        (_("Breakdown"), breakdown_header, breakdown_rows),
        (_("Heatmap"), heat_header, heat_rows),
    ]
    if results.comparison is not None:
        result.append((_("Change"), [
            _("Competence area"), _("Baseline mean"), _("Mean"), _("Change"),
            _("Pairs"), _("Paired change")],
            [[c.area.title, _round(c.baseline_mean), _round(c.mean), _round(c.change),
              c.pairs if c.pairs is not None else "", _round(c.paired_change)]
             for c in results.comparison.areas]))
    if results.follow_up:
        # The follow-up items (follow-up rounds only): answers per choice, as on the page.
        rows = []
        for answers in results.follow_up:
            if answers.hidden or not answers.answered:
                rows.append([answers.item.text, hidden if answers.hidden else "", "", ""])
                continue
            rows += [[answers.item.text, choice["label"], choice["count"], choice["percent"]]
                     for choice in answers.choices]
            rows.append([answers.item.text, _("Yes, of those who answered yes or no"),
                         f"{answers.yes} / {answers.yes + answers.no}",
                         "" if answers.yes_percent is None else answers.yes_percent])
        result.append((_("Follow-up questions"),
                       [_("Question"), _("Answer"), _("People"), _("Share (%)")], rows))
    return result


def _round(value):
    return "" if value is None else round(float(value), 2)


def _safe(value):
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value) -> bool:
    return isinstance(value, int | float)


def as_csv(results: RoundResults) -> str:
    """Semicolon CSV with a BOM (as Swedish Excel opens it); one block per table."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, (name, header, rows) in enumerate(sheets(results)):
        if index:
            writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def _csv_value(value):
    """Decimal comma, as Swedish Excel reads numbers."""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return _safe(value)


def as_xlsx(results: RoundResults) -> bytes:
    """One worksheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in sheets(results):
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(v) for v in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
