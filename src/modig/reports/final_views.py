"""The final report in one click: an accessible HTML page and the same figures as PDF."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from modig.reports.access import programme_for_office
from modig.reports.finalreport import FinalReport, Result, final_report
from modig.reports.timereport_files import FAMILY, FONTS


def final_report_page(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    return render(request, "reports/final_report.html", {
        "programme": programme, "report": final_report(programme)})


def _figure(value) -> str:
    return "–" if value is None else f"{value:,}".replace(",", "\u00a0")


def _result_line(label: str, result: Result) -> str:
    text = _("%(label)s: %(people)s trained (target %(target)s)") % {
        "label": label, "people": _figure(result.people), "target": _figure(result.target)}
    if result.share is not None:
        text += f", {result.share} %"
    return text


def final_report_lines(report: FinalReport) -> list[tuple[str, str]]:
    programme = report.programme
    lines = [
        ("title", _("Final report: %(name)s") % {"name": programme.name}),
        ("", _("%(owner)s, %(first)s to %(last)s") % {
            "owner": programme.owner_organisation, "first": programme.starts_on.isoformat(),
            "last": programme.ends_on.isoformat()}),
        ("heading", _("Results against targets")),
        ("", _result_line(_("All people"), report.total)),
        ("", _("Training hours: %(hours)s (target %(target)s)") % {
            "hours": _figure(report.hours), "target": _figure(report.hours_target)}
         + (f", {report.hours_share} %" if report.hours_share is not None else "")),
        ("heading", _("By staff category")),
        *[("", _result_line(result.label, result)) for result in report.categories],
        ("heading", _("By target group")),
        *[("", _result_line(result.label, result)) for result in report.target_groups],
        ("", _("– means fewer than %(size)s people, or hidden so that a small group cannot be "
               "worked out.") % {"size": report.min_size}),
    ]
    return lines


def final_report_pdf(request, programme_pk: int):
    programme = programme_for_office(request, programme_pk)
    report = final_report(programme)
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_creator("Modig")
    with translation.override("sv"):
        pdf.set_lang("sv")
        lines = final_report_lines(report)
        pdf.set_title(lines[0][1])
        pdf.add_page()
        for style, text in lines:
            size = {"title": 18, "heading": 13}.get(style, 11)
            if style == "heading":
                pdf.ln(4)
            pdf.set_font(FAMILY, "B" if style else "", size)
            pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="slutrapport.pdf"'
    return response
