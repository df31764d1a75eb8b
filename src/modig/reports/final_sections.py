"""The final report's content as one document of sections, read by both the HTML page and the
PDF (reports/final_views.py), so the two always say the same (docs/esf-reports.md, "Final
report").

Sections: the goals (one sentence per target, "Målet nåddes: X av Y"), totals against targets
(finalreport.final_report), people trained and hours per municipality (charts with tables),
the outcome indicators (outcomes.figures: response rates, measured improvement overall, by
municipality and by hours band, changed routines; each with its denominator, its Wilson
interval and a method note as in docs/outcome-definitions.md), self-reported improvement and
the managers' questionnaire results (`reported_rows`, wired after the merge of
outcomes/reported.py), the ambassadors' work (ambassadors.queries.programme_work) and the
action plans' status (plans.queries.plan_status).

Every count of people goes through lib/privacy: the figures module's own suppression for
the training and survey figures, `privacy.suppress_breakdown` here for the ambassadors and
the people their coaching reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from modig.ambassadors import queries as ambassador_queries
from modig.lib import privacy
from modig.organisation.models import Programme, StaffCategory, TargetGroup
from modig.outcomes import dashboard, figures, reported
from modig.outcomes.charts import BarChart, BarRow, draw
from modig.outcomes.figures import Proportion
from modig.plans import queries as plan_queries
from modig.reports.finalreport import FinalReport, final_report


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]  # the first column of each row is its header cell


@dataclass
class Section:
    anchor: str
    heading: str
    text: list[str] = field(default_factory=list)  # paragraphs
    items: list[str] = field(default_factory=list)  # a bulleted list (the goal sentences)
    charts: list[BarChart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # a method note per chart (or none)
    tables: list[Table] = field(default_factory=list)
    method: str = ""  # how the section's figures are counted
    definition: str = ""  # the anchor on the definitions page

    @property
    def figures(self) -> list[tuple[BarChart, str]]:
        """Each chart with its own method note ("" when the section has one note only)."""
        notes = self.notes + [""] * (len(self.charts) - len(self.notes))
        return list(zip(self.charts, notes, strict=True))


@dataclass
class Document:
    programme: Programme
    title: str
    subtitle: str
    report: FinalReport
    sections: list[Section]
    min_size: int

    @property
    def headline(self) -> list[str]:
        """The goal sentences: what the browser test finds in both the page and the PDF."""
        return self.sections[0].items


def number(value) -> str:
    """A whole number with a non-breaking space between thousands (Swedish style)."""
    return "–" if value is None else f"{value:,}".replace(",", "\u00a0")


def _hours(minutes: int | None) -> int | None:
    return None if minutes is None else round(minutes / 60)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)} %"


def _hidden() -> str:
    return _("Too few to show")


# Goals ----------------------------------------------------------------------------------------

def goal_label(key: str) -> str:
    names = {"people": _("people trained"), StaffCategory.BASE: _("base staff trained"),
             StaffCategory.MANAGEMENT: _("managers trained"), "hours": _("training hours")}
    if key in names:
        return names[key]
    code = key.split(":", 1)[-1]
    return _("trained in the target group %(group)s") % {
        "group": str(dict(TargetGroup.Code.choices).get(code, code)).lower()}


def goal_sentence(target: figures.Target) -> str:
    """'Målet nåddes: 2 704 av 1 600 utbildade personer (169 %).' or '… nåddes inte …', or
    that the figure is too small to show."""
    label = goal_label(target.key)
    if target.actual.hidden:
        return _("Too few to show against the target of %(target)s %(what)s.") % {
            "target": number(target.target), "what": label}
    actual = _hours(target.actual.minutes) if target.key == "hours" else target.actual.people
    share = actual / target.target
    values = {"actual": number(actual), "target": number(target.target), "what": label,
              "share": round(100 * share)}
    if actual >= target.target:
        return _("The target was reached: %(actual)s of %(target)s %(what)s "
                 "(%(share)s %%).") % values
    return _("The target was not reached: %(actual)s of %(target)s %(what)s "
             "(%(share)s %%).") % values


def goals_section(programme: Programme) -> Section:
    targets = figures.targets(programme)
    items = [goal_sentence(target) for target in targets]
    reached = sum(1 for target in targets if not target.actual.hidden and (
        (_hours(target.actual.minutes) if target.key == "hours" else target.actual.people)
        >= target.target))
    text = [_("%(reached)s of the programme's %(all)s targets were reached.") % {
        "reached": reached, "all": len(targets)}] if targets else [
        _("The programme has no targets.")]
    return Section("goals", _("Goals reached"), text=text, items=items, definition="targets",
                   method=_("Targets are the programme's own (people in total, base staff, "
                            "managers, each target group, training hours). A person counts "
                            "once in the total and under each staff category and target group "
                            "of their employments."))


def totals_section(report: FinalReport) -> Section:
    def row(label, result):
        share = f"{result.share} %" if result.share is not None else "–"
        return [label, number(result.people), number(result.target), share,
                number(_hours(result.minutes))]

    header = [_("Group"), _("People trained"), _("Target"), _("Share of target"),
              _("Training hours")]
    hours_share = f"{report.hours_share} %" if report.hours_share is not None else "–"
    totals = Table(_("Results against targets"),
                   [_("Figure"), _("Result"), _("Target"), _("Share of target")],
                   [[_("People trained"), number(report.total.people),
                     number(report.total.target), f"{report.total.share} %"
                     if report.total.share is not None else "–"],
                    [_("Training hours"), number(report.hours), number(report.hours_target),
                     hours_share]])
    return Section(
        "totals", _("Totals against targets"), tables=[
            totals,
            Table(_("People trained by staff category"), header,
                  [row(r.label, r) for r in report.categories]),
            Table(_("People trained by target group"), header,
                  [row(r.label, r) for r in report.target_groups])],
        definition="trained",
        method=_("People trained: people with at least one attended session, completed "
                 "distance course or coaching entry where they are named, inside the "
                 "programme period, each counted once. Training hours: attended time, "
                 "completed distance courses at their nominal length and named coaching "
                 "time. – means fewer than %(size)s people, or hidden so that a small group "
                 "cannot be worked out.") % {"size": report.min_size})


# Municipalities -------------------------------------------------------------------------------

def municipality_section(programme: Programme) -> Section:
    rows, total = figures.trained_by(programme, "municipality")
    names = dashboard.labels("municipality", [row.key for row in rows])
    rows = sorted(rows, key=lambda row: names.get(row.key, ""))
    people_bars, hours_bars, table_rows = [], [], []
    for row in rows:
        name = names.get(row.key, str(row.key))
        hours = _hours(row.minutes)
        people_bars.append(BarRow(name, row.people, _hidden() if row.hidden
                                  else number(row.people), hidden=row.hidden))
        hours_bars.append(BarRow(name, hours, _hidden() if row.hidden else number(hours),
                                 hidden=row.hidden))
        table_rows.append([name, number(row.people), number(hours)])
    table_rows.append([_("The whole programme"), number(total.people),
                       number(_hours(total.minutes))])
    charts = [
        draw(BarChart(_("People trained per municipality"), _("People trained"), people_bars,
                      summary=_summary(people_bars, _("People trained")),
                      definition="trained-by")),
        draw(BarChart(_("Training hours per municipality"), _("Training hours"), hours_bars,
                      summary=_summary(hours_bars, _("Training hours")),
                      definition="trained-by")),
    ]
    return Section(
        "municipalities", _("Per municipality"), charts=charts,
        tables=[Table(_("People trained and training hours per municipality"),
                      [_("Municipality"), _("People trained"), _("Training hours")],
                      table_rows)],
        definition="trained-by",
        method=_("A person employed in two municipalities is counted in both, so the "
                 "municipalities can add up to more than the whole programme, where each "
                 "person counts once."))


def _summary(rows: list[BarRow], what: str) -> str:
    shown = [row for row in rows if row.value is not None]
    if not shown:
        return _("No group is large enough to show.") if rows else _("No figures yet.")
    top = max(shown, key=lambda row: row.value)
    return _("%(what)s: most in %(label)s (%(value)s).") % {
        "what": what, "label": top.label, "value": top.text}


# Outcome indicators ---------------------------------------------------------------------------

def _proportion_chart(title: str, value_heading: str, counted_heading: str,
                      items: list[tuple[str, Proportion]], definition: str) -> BarChart:
    rows = dashboard.proportion_rows(items, {})
    return draw(BarChart(title, value_heading, rows,
                         extra_headings=[counted_heading, _("95 % confidence interval")],
                         summary=_summary(rows, value_heading), definition=definition))


def outcome_section(programme: Programme) -> Section:
    charts, notes = [], []
    rates = figures.response_rates(programme)
    if rates:
        charts.append(_proportion_chart(
            _("Response rate per survey round"), _("Answered"), _("Answered / invited"),
            [(round_.name, proportion) for round_, proportion in rates], "response-rates"))
        notes.append(_("Response rate: submitted answers of everyone invited in the round."))
    margin = str(figures.IMPROVEMENT_MARGIN).replace(".", ",")
    for round_ in programme.survey_rounds.filter(baseline__isnull=False).order_by("opens_on",
                                                                                   "pk"):
        overall = figures.measured_improvement(round_)
        if overall is None:
            continue
        by_municipality = figures.improvement_by_municipality(round_) or []
        names = dashboard.labels("municipality", [p.key for p in by_municipality])
        places = sorted(((names.get(p.key, str(p.key)), p) for p in by_municipality),
                        key=lambda item: item[0])
        charts.append(_proportion_chart(
            _("Measured improvement: %(round)s") % {"round": round_.name}, _("Improved"),
            _("Improved / paired"), [(_("All paired respondents"), overall), *places],
            "measured-improvement"))
        notes.append(_(
            "Measured improvement: of the people who answered both the baseline and the "
            "follow-up (paired by a pseudonym), those whose mean self-rating rose by at "
            "least %(margin)s steps on the five-step scale; \"don't know\" is left out.")
            % {"margin": margin})
        bands = figures.improvement_by_hours(round_) or []
        band_names = dashboard.labels("hours_band", figures.HOUR_BANDS)
        charts.append(_proportion_chart(
            _("Improvement by training hours: %(round)s") % {"round": round_.name},
            _("Improved"), _("Improved / paired"),
            [(band_names[p.key], p) for p in bands], "dose-response"))
        notes.append(_("Improvement by training hours: the same, per band of the person's "
                       "training hours in the programme."))
    charts.append(_proportion_chart(
        _("Managers who changed at least one routine to a digital way of working"),
        _("Changed"), _("Changed / managers"),
        [(_("Managers"), figures.changed_routines(programme))], "changed-routines"))
    notes.append(_("Changed routines: managers who recorded at least one routine moved to a "
                   "digital or mobile way of working in the change log, of all people with a "
                   "management employment."))
    text = [] if rates else [_("The programme has no survey rounds yet.")]
    return Section(
        "outcomes", _("Outcome indicators"), text=text, charts=charts, notes=notes,
        definition="confidence",
        method=_("Each share has a Wilson 95 %% confidence interval; groups below %(size)s "
                 "people are hidden.") % {"size": figures.min_size(programme)})


def reported_rows(programme: Programme) -> list[tuple[str, Proportion]]:
    """Self-reported improvement and the managers' questionnaire outcomes (outcomes.reported),
    as (label, Proportion) rows from the programme's latest follow-up round that asks each
    item: all staff and base staff who say their digital knowledge got stronger, managers who
    say they changed a routine and who say their leadership got stronger. "Vet inte" is left
    out of the denominators (the section's method note says so). Empty when no follow-up
    round asks the items; the section then reads "No data yet" ("Inga uppgifter ännu")."""
    rows: list[tuple[str, Proportion]] = []
    knowledge_rounds = reported.follow_up_rounds(programme, reported.KNOWLEDGE)
    if knowledge_rounds:
        round_ = knowledge_rounds[-1]
        overall = reported.self_reported_improvement(round_)
        if overall is not None:
            rows.append((_("All staff: their digital knowledge got stronger"),
                         overall.proportion))
        for line in reported.self_reported_improvement_by(round_, "staff_category") or ():
            if line.proportion.key == StaffCategory.BASE:
                rows.append((_("Base staff: their digital knowledge got stronger"),
                             line.proportion))
    for item, label in ((reported.ROUTINE,
                          _("Managers: changed at least one routine (as they answered)")),
                         (reported.LEADERSHIP,
                          _("Managers: their ability to lead a digital workplace got "
                            "stronger"))):
        rounds = reported.follow_up_rounds(programme, item)
        if rounds:
            share = reported.reported_share(rounds[-1], item)
            if share is not None:
                rows.append((label, share.proportion))
    return rows


def reported_section(programme: Programme) -> Section:
    rows = reported_rows(programme)
    section = Section(
        "self-reported", _("Self-reported improvement and the managers' results"),
        definition="self-reported",
        method=_("From the follow-up questionnaires' own questions (\"has your digital "
                 "knowledge been strengthened?\", the managers' questions on routines and "
                 "leadership): those who answered yes of those who answered the question."))
    if rows:
        section.charts.append(_proportion_chart(
            _("Self-reported improvement and the managers' results"), _("Yes"),
            _("Yes / answered"), rows, "self-reported"))
    else:
        section.text.append(_("No data yet."))
    return section


# Ambassadors ----------------------------------------------------------------------------------

def ambassador_rows(programme: Programme) -> tuple[list, privacy.Cell, privacy.Cell, dict,
                                                   dict, int]:
    """(work per municipality, ambassadors total cell, reached total cell, ambassador cells
    by municipality id, reached cells by municipality id, reached total count)."""
    work = ambassador_queries.programme_work(programme)
    minimum = figures.min_size(programme)
    ambassadors, ambassadors_total = privacy.suppress_breakdown(
        {w.municipality.pk: w.ambassadors for w in work}, min_size=minimum)
    reached_total = ambassador_queries.people_reached(programme)
    reached, reached_cell = privacy.suppress_breakdown(
        {w.municipality.pk: w.people_reached for w in work}, min_size=minimum)
    # The breakdown's own total counts a person coached in two municipalities twice: the
    # distinct total is shown instead, under the same rule.
    reached_cell = privacy.Cell(reached_total, hidden=reached_cell.hidden
                                or privacy.is_small(reached_total, minimum))
    return work, ambassadors_total, reached_cell, ambassadors, reached, reached_total


def ambassador_section(programme: Programme) -> Section:
    work, ambassadors_total, reached_total, ambassadors, reached, _n = ambassador_rows(
        programme)

    def people(cell):
        return _hidden() if cell.hidden else number(cell.count)

    rows = [[w.municipality.name, people(ambassadors[w.municipality.pk]),
             number(w.units_covered), number(w.units_uncovered), number(w.entries),
             number(_hours(w.coaching_minutes)), people(reached[w.municipality.pk]),
             number(w.micro_trainings)] for w in work]
    rows.append([_("The whole programme"), people(ambassadors_total),
                 number(sum(w.units_covered for w in work)),
                 number(sum(w.units_uncovered for w in work)),
                 number(sum(w.entries for w in work)),
                 number(_hours(sum(w.coaching_minutes for w in work))), people(reached_total),
                 number(sum(w.micro_trainings for w in work))])
    covered = sum(w.units_covered for w in work)
    workplaces = covered + sum(w.units_uncovered for w in work)
    text = [_("%(covered)s of %(all)s workplaces have a digital ambassador. The ambassadors "
              "logged %(entries)s coaching entries, %(hours)s hours in all.") % {
        "covered": number(covered), "all": number(workplaces),
        "entries": number(sum(w.entries for w in work)),
        "hours": number(_hours(sum(w.coaching_minutes for w in work)))}]
    return Section(
        "ambassadors", _("The ambassadors' work"), text=text,
        tables=[Table(_("Digital ambassadors per municipality"),
                      [_("Municipality"), _("Ambassadors"), _("Workplaces covered"),
                       _("Workplaces without an ambassador"), _("Coaching entries"),
                       _("Coaching hours"), _("People coached"), _("Micro-trainings")],
                      rows)],
        method=_("Ambassadors: people with an appointment during the programme. Workplaces: "
                 "active units without active units under them, covered when an ambassador's "
                 "appointment covers them today (or on the programme's last day). Coaching "
                 "hours: the ambassadors' logged time. People coached: people named at a "
                 "coaching entry, each once. Micro-trainings: sessions the ambassadors ran "
                 "from a micro-training template."))


# Action plans ---------------------------------------------------------------------------------

def plans_section(programme: Programme) -> Section:
    statuses = plan_queries.plan_status(programme)
    rows = [[s.municipality.name, _("Yes") if s.plans else _("No"), number(s.goals),
             number(s.done), number(s.in_progress), number(s.not_started), number(s.overdue),
             number(s.actions)] for s in statuses]
    with_plan = sum(1 for s in statuses if s.plans)
    done = sum(s.done for s in statuses)
    actions = sum(s.actions for s in statuses)
    text = [_("%(with_plan)s of %(all)s municipalities have a digital action plan. %(done)s of "
              "its %(actions)s actions are done.") % {
        "with_plan": with_plan, "all": len(statuses), "done": number(done),
        "actions": number(actions)}]
    return Section(
        "plans", _("The action plans"), text=text,
        tables=[Table(_("Digital action plans per municipality"),
                      [_("Municipality"), _("Plan"), _("Goals"), _("Done"), _("In progress"),
                       _("Not started"), _("Overdue"), _("All actions")], rows)],
        method=_("A municipality's plans and its units' plans whose period overlaps the "
                 "programme's. Overdue: not done, not cancelled, and due before today; those "
                 "are not counted again as in progress or not started. All actions include "
                 "cancelled ones."))


def final_document(programme: Programme) -> Document:
    report = final_report(programme)
    sections = [
        goals_section(programme),
        totals_section(report),
        municipality_section(programme),
        outcome_section(programme),
        reported_section(programme),
        ambassador_section(programme),
        plans_section(programme),
    ]
    return Document(
        programme, _("Final report: %(name)s") % {"name": programme.name},
        _("%(owner)s, %(first)s to %(last)s") % {
            "owner": programme.owner_organisation, "first": programme.starts_on.isoformat(),
            "last": programme.ends_on.isoformat()},
        report, sections, report.min_size)
