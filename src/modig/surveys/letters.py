"""Printed invitations: one A4 page per person with a QR code of their link and their short
code in large type, for staff without e-mail or a mobile number on record.

The link token and short code are derived again from each invitation's salt while the PDF is
built; they exist only in the PDF that is sent to the person who prints it. Text is set in
DejaVu Sans (shipped in modig/lib/fonts with its licence) so å, ä and ö print; the short code
is set in Courier, whose letters and digits are easy to tell apart.
"""

import logging
from pathlib import Path

import segno
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from modig.surveys import tokens
from modig.surveys.invitations import letter_secrets
from modig.surveys.messaging import link_url, short_address
from modig.surveys.models import Delivery, Invitation, Round

# fontTools logs every table it subsets at INFO: a line per table per PDF in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVu"
MAX_PAGES = 2000  # about 15 s of work; larger sets are printed unit by unit


def letters_to_print(round_: Round, invitations: QuerySet, *, everyone: bool = False):
    """The invitations to print: people who have not answered or said no, by default only
    those reached by letter (no e-mail or mobile); ordered by unit and name so a manager can
    hand them out."""
    queryset = invitations.filter(round=round_, submitted_at__isnull=True,
                                  opted_out_at__isnull=True)
    if not everyone:
        queryset = queryset.filter(channel=Invitation.Channel.LETTER)
    return queryset.select_related("person", "unit", "municipality", "round__programme") \
        .order_by("unit__name", "person__last_name", "person__first_name", "pk")


class _LetterPdf(FPDF):
    def __init__(self):
        super().__init__(format="A4", unit="mm")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=False)
        self.set_creator("Modig")
        self._lines: dict[tuple, list[str]] = {}

    def write_lines(self, text: str, *, size: float = 12, bold: bool = False,
                    x: float | None = None, space: float = 3) -> None:
        """Left-aligned text wrapped to the right margin, from x (default: the left margin).

        Most paragraphs are the same on every page, so their line breaks are worked out once
        per document (measuring text is what costs in fpdf2) and each line is set as a cell.
        """
        self.set_font(FAMILY, "B" if bold else "", size)
        x = self.l_margin if x is None else x
        width = self.w - self.r_margin - x
        height = size * 0.5
        key = (text, bold, size, width)
        lines = self._lines.get(key)
        if lines is None:
            lines = self.multi_cell(width, height, text, align="L", dry_run=True,
                                    output=MethodReturnValue.LINES)
            self._lines[key] = lines
        for line in lines:
            self.set_x(x)
            self.cell(width, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(space)


def _draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The link as a QR code drawn with filled rectangles (one per run of dark modules in a
    row): sharp in print, and quicker than making and embedding a PNG per page."""
    qr = segno.make(url, error="m")
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module,
                         style="F")
            else:
                c += 1


def _minutes(round_: Round) -> int:
    """The same time estimate the survey's start page gives (from its number of questions)."""
    from modig.surveys.answering import questionnaire_structure

    return questionnaire_structure(round_.questionnaire).minutes


def _who_sees_what(round_: Round) -> str:
    text = _("Your manager and your colleagues do not see your answers. Answers are only shown "
             "added together, for groups of at least %(n)s people.") % {
        "n": round_.min_group_size}
    if round_.is_pseudonymous:
        return text + " " + _("Your answers are saved without your name. They can be compared "
                              "with your answers in a later survey, to see what training "
                              "has given.") + " " + _(
            "So that training can be offered first to those who need it most, your manager, "
            "the coordinator and the programme office can see your average per area, never "
            "your answer to a question.")
    return text + " " + _("Your answers are saved fully anonymously.")


def _page(pdf: _LetterPdf, invitation: Invitation) -> None:
    token, code = letter_secrets(invitation)
    round_ = invitation.round
    person = invitation.person
    pdf.add_page()
    pdf.write_lines(round_.programme.owner_organisation or round_.programme.name, size=10,
                    space=6)
    place = ", ".join(p for p in (invitation.unit.name if invitation.unit else "",
                                  invitation.municipality.name) if p)
    pdf.write_lines(person.full_name, size=14, bold=True, space=1)
    pdf.write_lines(place, size=12, space=8)
    pdf.write_lines(_("Survey about digital skills at work"), size=20, bold=True, space=4)
    pdf.write_lines(
        _("Hi %(name)s! We want to know how you yourself see your digital skills at work, "
          "for example documenting on a phone or having a video call with a relative. It "
          "takes about %(minutes)s minutes. There are no right or wrong answers.")
        % {"name": person.first_name, "minutes": _minutes(invitation.round)}, space=6)
    pdf.write_lines(_("How to answer"), size=15, bold=True, space=2)
    top = pdf.get_y()
    _draw_qr(pdf, link_url(token), x=pdf.l_margin, y=top, size=50)
    pdf.set_y(top)
    column = pdf.l_margin + 56
    pdf.write_lines(_("1. Point your phone's camera at the square code and open the link."),
                    x=column)
    pdf.write_lines(_("2. Or go to this address on your phone:"), x=column, space=0)
    pdf.write_lines(short_address(), size=16, bold=True, x=column, space=1)
    pdf.write_lines(_("and type your code:"), x=column, space=0)
    pdf.set_x(column)
    pdf.set_font("Courier", "B", 24)
    pdf.cell(0, 12, tokens.display_short_code(code), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + 52) + 6)
    pdf.write_lines(_("The last day to answer is %(date)s.") % {
        "date": formats.date_format(round_.closes_on, "j F Y")}, size=14, bold=True, space=6)
    pdf.write_lines(_("Who sees what?"), size=15, bold=True, space=2)
    pdf.write_lines(_who_sees_what(round_), space=5)
    pdf.write_lines(_("The code is yours. Do not give it to anyone else. You can stop and go "
                      "on later with the same code, on any phone or computer."), space=5)
    pdf.write_lines(_("You decide if you want to answer. If you do not want to, you do not "
                      "need to do anything."), size=11, space=0)


def letters_pdf(invitations) -> bytes:
    """One page per invitation, in the given order, in Swedish."""
    pdf = _LetterPdf()
    pdf.set_title(_("Survey letters"))
    with translation.override("sv"):
        for invitation in invitations:
            _page(pdf, invitation)
    if pdf.page == 0:
        raise ValueError("no letters to print")
    return bytes(pdf.output())


@transaction.atomic
def record_printed(invitations: list[Invitation]) -> None:
    """Log the printed letters; a letter-channel invitation counts as sent when first printed
    (reminders and the "sent" figure read it)."""
    now = timezone.now()
    Delivery.objects.bulk_create([
        Delivery(invitation=invitation, kind=Delivery.Kind.INVITATION,
                 channel=Invitation.Channel.LETTER)
        for invitation in invitations
    ], batch_size=1000)
    first_time = [i.pk for i in invitations
                  if i.sent_at is None and i.channel == Invitation.Channel.LETTER]
    for start in range(0, len(first_time), 1000):
        Invitation.objects.filter(pk__in=first_time[start:start + 1000],
                                  sent_at__isnull=True).update(sent_at=now)
