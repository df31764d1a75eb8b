"""The final report in one click: an accessible HTML page and the same document as PDF (both
read reports.final_sections.final_document), and the evaluator's extract (a ZIP of CSV files,
reports.evaluator)."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from modig.accounts import access as account_access
from modig.accounts.models import AccessLogEntry
from modig.outcomes.charts import BarChart
from modig.reports import evaluator
from modig.reports.access import programme_for_office
from modig.reports.final_sections import Document, final_document
from modig.reports.timereport_files import FAMILY, FONTS

logging.getLogger("fontTools").setLevel(logging.WARNING)


def final_report_page(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    document = final_document(programme)
    return render(request, "reports/final_report.html", {
        "programme": programme, "document": document, "report": document.report})


# PDF ------------------------------------------------------------------------------------------

WIDTH = 170  # mm between A4's 20 mm margins
LABEL_WIDTH = 50
BAR_WIDTH = 90
BAR_COLOUR = (0, 88, 122)  # the dashboards' .bar-actual
TRACK_COLOUR = (243, 245, 247)
TARGET_COLOUR = (163, 0, 27)


class ReportPdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"{self.page_no()}", align="C")


def _text(pdf: FPDF, text: str, size: float = 10, style: str = "", space: float = 1.5):
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(space)


def _table(pdf: FPDF, caption: str, header: list[str], rows: list[list[str]]):
    _text(pdf, caption, 10, "B", 1)
    pdf.set_font(FAMILY, "", 8 if len(header) > 5 else 9)
    first = min(60, WIDTH - 18 * (len(header) - 1)) if len(header) > 1 else WIDTH
    rest = (WIDTH - first) / max(1, len(header) - 1)
    with pdf.table(col_widths=(first, *[rest] * (len(header) - 1)), line_height=4.5,
                   text_align=("LEFT", *["RIGHT"] * (len(header) - 1)),
                   first_row_as_headings=True) as table:
        heading = table.row()
        for text in header:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(str(text))
    pdf.ln(3)


def _chart(pdf: FPDF, chart: BarChart):
    """The chart's bars drawn from the same spec as the page's SVG, then its table."""
    _text(pdf, chart.title, 11, "B", 1)
    if chart.summary:
        _text(pdf, chart.summary, 9, "", 1)
    if not chart.rows:
        return
    row_height = 6
    if pdf.will_page_break(row_height * len(chart.rows) + 4):
        pdf.add_page()
    top = pdf.get_y()
    left = pdf.l_margin
    pdf.set_font(FAMILY, "", 8)
    for index, row in enumerate(chart.rows):
        y = top + index * row_height
        pdf.set_xy(left, y)
        pdf.cell(LABEL_WIDTH, row_height, row.label[:38])
        pdf.set_fill_color(*TRACK_COLOUR)
        pdf.rect(left + LABEL_WIDTH, y + 1, BAR_WIDTH, row_height - 2, style="F")
        if row.width:
            pdf.set_fill_color(*BAR_COLOUR)
            pdf.rect(left + LABEL_WIDTH, y + 1, BAR_WIDTH * row.width / chart.width,
                     row_height - 2, style="F")
        pdf.set_xy(left + LABEL_WIDTH + BAR_WIDTH + 2, y)
        pdf.cell(WIDTH - LABEL_WIDTH - BAR_WIDTH - 2, row_height, row.text)
    if chart.target_x:
        x = left + LABEL_WIDTH + BAR_WIDTH * chart.target_x / chart.width
        pdf.set_draw_color(*TARGET_COLOUR)
        pdf.line(x, top, x, top + row_height * len(chart.rows))
        pdf.set_draw_color(0, 0, 0)
    pdf.set_y(top + row_height * len(chart.rows) + 2)
    _table(pdf, chart.title, [_("Group"), chart.value_heading, *chart.extra_headings],
           [[row.label, row.text, *row.extra] for row in chart.rows])


def document_pdf(document: Document) -> bytes:
    pdf = ReportPdf(format="A4", unit="mm")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_creator("Modig")
    pdf.set_lang("sv")
    pdf.set_title(document.title)
    pdf.add_page()
    _text(pdf, document.title, 18, "B", 2)
    _text(pdf, document.subtitle, 10, "", 1)
    _text(pdf, _("Made in Modig on %(date)s.") % {
        "date": timezone.localdate().isoformat()}, 8, "", 4)
    for section in document.sections:
        pdf.ln(2)
        _text(pdf, section.heading, 14, "B", 2)
        for paragraph in section.text:
            _text(pdf, paragraph)
        for item in section.items:
            _text(pdf, f"• {item}")
        for chart, note in section.figures:
            _chart(pdf, chart)
            if note:
                _text(pdf, _("How it is counted: %(method)s") % {"method": note}, 8, "", 3)
        for table in section.tables:
            _table(pdf, table.caption, table.header, table.rows)
        if section.method:
            _text(pdf, _("How it is counted: %(method)s") % {"method": section.method}, 8,
                  "", 3)
    return bytes(pdf.output())


def final_report_pdf(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    with translation.override("sv"):
        content = document_pdf(final_document(programme))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="slutrapport.pdf"'
    return response


# The evaluator's extract ----------------------------------------------------------------------

def evaluator_extract(request, programme_pk: int):
    """The ZIP of de-identified tables (docs/evaluator-extract.md), logged as an export."""
    programme = programme_for_office(request, programme_pk)
    with translation.override("sv"):
        content, names = evaluator.extract_zip(programme)
    account_access.log_access(
        request, AccessLogEntry.Action.EXPORT,
        detail=f"evaluator extract: programme {programme.pk}, files {len(names)}")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="utvardering-{timezone.localdate().isoformat()}.zip"')
    return response
