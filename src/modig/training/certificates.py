"""A PDF certificate per completed course (issue 5, "Hours ledger"): one A4 page that says who
took which course, when, and for how long, with the hours from the ledger.

Set in DejaVu Sans (modig/lib/fonts) like the survey letters, so å, ä and ö print. The text is
built first as a list of lines (`certificate_lines`), which is also what the tests read.
"""

import logging
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from modig.training.records import Certificate
from modig.training.templatetags.attendance_tags import duration

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVu"


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def certificate_lines(certificate: Certificate, *, issued_on) -> list[tuple[str, str]]:
    """The certificate's text as (style, text) lines: style "title", "name", "big" or ""."""
    course, programme = certificate.course, certificate.programme
    if certificate.first_on and certificate.first_on != certificate.last_on:
        when = _("%(first)s to %(last)s") % {"first": _date(certificate.first_on),
                                             "last": _date(certificate.last_on)}
    elif certificate.first_on:
        when = _date(certificate.first_on)
    else:
        when = "–"
    return [
        ("", programme.owner_organisation or programme.name),
        ("title", _("Certificate")),
        ("", _("This is to certify that")),
        ("name", certificate.person.full_name),
        ("", _("has taken part in the course")),
        ("big", course.title),
        ("", _("Format: %(format)s") % {"format": course.get_format_display()}),
        ("", _("When: %(when)s") % {"when": when}),
        ("", _("Training time: %(time)s") % {"time": duration(certificate.minutes)}),
        ("", _("Part of the programme %(programme)s.") % {"programme": programme.name}),
        ("", _("Issued on %(date)s.") % {"date": _date(issued_on)}),
    ]


STYLES = {"title": (26, "B", 10), "name": (20, "B", 6), "big": (16, "B", 8), "": (12, "", 4)}


def certificate_pdf(certificate: Certificate, *, issued_on) -> bytes:
    """The certificate as a one-page PDF, in Swedish."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(25, 30, 25)
    pdf.set_auto_page_break(auto=False)
    pdf.set_creator("Modig")
    with translation.override("sv"):
        pdf.set_title(_("Certificate: %(course)s") % {"course": certificate.course.title})
        pdf.set_subject(certificate.person.full_name)
        pdf.add_page()
        for style, text in certificate_lines(certificate, issued_on=issued_on):
            size, weight, space = STYLES[style]
            pdf.set_font(FAMILY, weight, size)
            pdf.multi_cell(0, size * 0.5, text, align="C", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            pdf.ln(space)
    return bytes(pdf.output())
