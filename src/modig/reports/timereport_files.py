"""The time report as PDF (for the manager's signature) and XLSX. Swedish, DejaVu Sans like
the training certificates so å, ä and ö print."""

import io
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook

from modig.reports.timereport import UnitMonth
from modig.training.templatetags.attendance_tags import duration

FONTS = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVu"


def _certified(flag: bool) -> str:
    return _("Certified") if flag else _("Not certified")


def _share(report: UnitMonth) -> str:
    return "–" if report.certified_share is None else f"{report.certified_share} %"


def summary_lines(report: UnitMonth) -> list[tuple[str, str]]:
    return [
        ("title", _("Time report %(unit)s %(month)s") % {
            "unit": report.unit.name, "month": f"{report.month:%Y-%m}"}),
        ("", f"{report.programme.name}, {report.unit.municipality.name}"),
        ("", _("Participants: %(people)s") % {"people": report.people}),
        ("", _("Training time: %(time)s") % {"time": duration(report.minutes)}),
        ("", _("Certified by the participants: %(share)s of the time") % {
            "share": _share(report)}),
    ]


def time_report_pdf(report: UnitMonth) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_creator("Modig")
    with translation.override("sv"):
        pdf.set_title(summary_lines(report)[0][1])
        pdf.set_lang("sv")
        pdf.add_page()
        for style, text in summary_lines(report):
            pdf.set_font(FAMILY, "B" if style else "", 16 if style else 11)
            pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        for participant in report.participants:
            pdf.set_font(FAMILY, "B", 11)
            pdf.multi_cell(0, 6, f"{participant.person.full_name}: "
                                 f"{duration(participant.minutes)}",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FAMILY, "", 10)
            for entry in participant.entries:
                pdf.multi_cell(0, 5, f"{entry.on:%Y-%m-%d}  {entry.title}  "
                                     f"{duration(entry.minutes)}  {_certified(entry.certified)}",
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        pdf.ln(10)
        pdf.set_font(FAMILY, "", 11)
        for label in (_("Unit manager's signature"), _("Name in block letters"), _("Date")):
            pdf.ln(8)
            pdf.multi_cell(0, 6, f"{label}: ____________________________________",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def time_report_xlsx(report: UnitMonth) -> bytes:
    workbook = Workbook(write_only=True)
    with translation.override("sv"):
        summary = workbook.create_sheet(_("Summary"))
        summary.append([_("Unit"), report.unit.name])
        summary.append([_("Month"), f"{report.month:%Y-%m}"])
        summary.append([_("Participants"), report.people])
        summary.append([_("Training minutes"), report.minutes])
        summary.append([_("Certified minutes"), report.certified_minutes])
        summary.append([_("Certified share (%)"), report.certified_share])
        entries = workbook.create_sheet(_("Entries"))
        entries.append([_("Name"), _("Date"), _("Course"), _("Minutes"), _("Certified")])
        for participant in report.participants:
            for entry in participant.entries:
                entries.append([participant.person.full_name, entry.on, entry.title,
                                entry.minutes, _("Yes") if entry.certified else _("No")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
