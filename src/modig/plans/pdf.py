"""A plan as PDF for the municipality's steering documents: title, period, status, goals, the
actions table (owner, due date, status) and the follow-up notes.

Set in DejaVu Sans (modig/lib/fonts) like the certificates and survey letters, so å, ä and ö
print. The content is built first as blocks (`plan_blocks`), which is also what the tests read:
the PDF's text is stored as glyph ids of the embedded font, not as readable text."""

import logging
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from modig.plans.models import ActionPlan

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVu"


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def plan_blocks(plan: ActionPlan, *, printed_on) -> list[tuple]:
    """The document as blocks: ("title"|"heading"|"text", str) or ("table", header, rows)."""
    where = plan.municipality.name + (f", {plan.unit.name}" if plan.unit_id else "")
    blocks = [
        ("title", plan.title),
        ("text", _("Digital action plan for %(where)s") % {"where": where}),
        ("text", _("Period: %(start)s to %(end)s") % {"start": _date(plan.starts_on),
                                                      "end": _date(plan.ends_on)}),
        ("text", _("Status: %(status)s") % {"status": plan.get_status_display()}),
    ]
    goals = list(plan.goals.select_related("source_round").prefetch_related(
        "competences", "technologies", "actions__competences", "actions__technologies"))
    blocks.append(("heading", _("Goals and actions")))
    if not goals:
        blocks.append(("text", _("The plan has no goals yet.")))
    for number, goal in enumerate(goals, start=1):
        blocks.append(("goal", _("Goal %(number)s: %(text)s") % {"number": number,
                                                                 "text": goal.text}))
        competences = ", ".join(f"{c.code} {c.title_sv}" for c in goal.competences.all())
        if competences:
            blocks.append(("text", _("Competences: %(list)s") % {"list": competences}))
        technologies = ", ".join(t.name for t in goal.technologies.all())
        if technologies:
            blocks.append(("text", _("Welfare technologies: %(list)s") % {"list": technologies}))
        if goal.source_round_id:
            blocks.append(("text", _("Based on the results of %(round)s.") % {
                "round": goal.source_round.name}))
        actions = list(goal.actions.all())
        if actions:
            blocks.append(("table", [_("Planned action"), _("Owner"), _("Due date"), _("Status")],
                           [[a.text, a.owner_name, formats.date_format(a.due_on, "Y-m-d"),
                             a.get_status_display()] for a in actions]))
            for a in actions:
                links = [f"{c.code} {c.title_sv}" for c in a.competences.all()] + [
                    t.name for t in a.technologies.all()]
                if links:
                    blocks.append(("text", _("%(action)s: linked to %(list)s") % {
                        "action": a.text[:60], "list": ", ".join(links)}))
        else:
            blocks.append(("text", _("No actions yet.")))
    blocks.append(("heading", _("Follow-up")))
    notes = list(plan.notes.all())
    if not notes:
        blocks.append(("text", _("No follow-up notes yet.")))
    for note in notes:
        author = f" ({note.author_name})" if note.author_name else ""
        blocks.append(("text", f"{formats.date_format(note.noted_on, 'Y-m-d')}{author}: "
                               f"{note.text}"))
    blocks.append(("small", _("Printed from Modig on %(date)s.") % {"date": _date(printed_on)}))
    return blocks


STYLES = {"title": (18, "B", 4), "heading": (14, "B", 3), "goal": (11, "B", 2),
          "text": (10, "", 1), "small": (8, "", 0)}
WIDTHS = (80, 40, 25, 25)  # mm on A4 with 15 mm margins


def plan_pdf(plan: ActionPlan, *, printed_on) -> bytes:
    """The plan as an A4 PDF, in Swedish."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("Modig")
    with translation.override("sv"):
        pdf.set_title(plan.title)
        pdf.set_subject(plan.municipality.name)
        pdf.add_page()
        for block in plan_blocks(plan, printed_on=printed_on):
            if block[0] == "table":
                header, rows = block[1], block[2]
                pdf.set_font(FAMILY, "", 9)
                with pdf.table(col_widths=WIDTHS, text_align="LEFT", line_height=5) as table:
                    heading = table.row()
                    for text in header:
                        heading.cell(text)
                    for values in rows:
                        row = table.row()
                        for text in values:
                            row.cell(text)
                pdf.ln(3)
                continue
            style, text = block
            size, weight, space = STYLES[style]
            pdf.set_font(FAMILY, weight, size)
            pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(space)
    return bytes(pdf.output())
