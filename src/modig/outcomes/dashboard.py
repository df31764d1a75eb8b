"""What a dashboard shows for one place (programme, municipality or unit): the figures of
outcomes.figures turned into chart specs (outcomes.charts), each with its table, summary,
definition anchor and, for those who may see people, a link to the records behind it."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modig.organisation.models import (
    Municipality,
    Occupation,
    Person,
    Programme,
    StaffCategory,
    TargetGroup,
    Unit,
)
from modig.outcomes import figures
from modig.outcomes.charts import BarChart, BarRow, draw
from modig.training.ledger import LedgerFilter
from modig.training.models import Course

PROGRAMME, MUNICIPALITY, UNIT = "programme", "municipality", "unit"


@dataclass
class Place:
    kind: str
    programme: Programme
    municipality: Municipality | None = None
    unit: Unit | None = None
    may_see_records: bool = False
    # From the filter form:
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    municipalities: list = field(default_factory=list)
    target_group: TargetGroup | None = None
    # Figures already computed for this place while one page is built (one request): a
    # page's breakdowns come from one pass, not one per chart. Never kept between requests.
    _computed: dict = field(default_factory=dict, repr=False, compare=False)

    def computed(self, name: str, compute):
        """compute() once per page for this place's current filter and period."""
        key = (name, self.starts_on, self.ends_on, self.municipality and self.municipality.pk,
               self.unit and self.unit.pk, tuple(m.pk for m in self.municipalities),
               self.target_group and self.target_group.pk)
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]

    @property
    def title(self) -> str:
        if self.kind == UNIT:
            return str(self.unit)
        if self.kind == MUNICIPALITY:
            return str(self.municipality)
        return str(self.programme)

    def ledger_filter(self) -> LedgerFilter:
        return LedgerFilter(
            municipalities=([self.municipality] if self.municipality else self.municipalities),
            units=[self.unit] if self.unit else [],
            target_groups=[self.target_group] if self.target_group else [],
        )

    def period_programme(self) -> Programme:
        """The programme with its period narrowed to the filter's (an unsaved copy: the
        ledger counts entries of the programme's courses inside programme.starts_on ..
        ends_on)."""
        narrowed = copy.copy(self.programme)
        if self.starts_on and self.starts_on > narrowed.starts_on:
            narrowed.starts_on = self.starts_on
        if self.ends_on and self.ends_on < narrowed.ends_on:
            narrowed.ends_on = self.ends_on
        return narrowed

    def records_query(self, **extra) -> str:
        params = {}
        if self.municipality:
            params["kommun"] = self.municipality.code
        elif len(self.municipalities) == 1:
            params["kommun"] = self.municipalities[0].code
        if self.unit:
            params["enhet"] = self.unit.pk
        if self.target_group:
            params["malgrupp"] = self.target_group.code
        if self.starts_on:
            params["fran"] = self.starts_on.isoformat()
        if self.ends_on:
            params["till"] = self.ends_on.isoformat()
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return f"{reverse('outcomes:records')}?{urlencode(params)}"


def _hours(minutes: int | None) -> str:
    return "" if minutes is None else number_format(round(minutes / 60, 1), decimal_pos=1)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{round(100 * share)} %"


def labels(group_by: str, keys) -> dict:
    """Display names for breakdown keys."""
    keys = [k for k in keys if k is not None]
    if group_by == "municipality":
        return {m.pk: m.name for m in Municipality.objects.filter(pk__in=keys)}
    if group_by == "unit":
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=keys)}
    if group_by == "occupation":
        return {o.pk: str(o) for o in Occupation.objects.filter(pk__in=keys)}
    if group_by == "target_group":
        return {t.pk: t.get_code_display() for t in TargetGroup.objects.filter(pk__in=keys)}
    if group_by == "staff_category":
        return dict(StaffCategory.choices)
    if group_by == "gender":
        return dict(Person.Gender.choices)
    if group_by == "format":
        return {**dict(Course.Format.choices), None: _("Coaching and other")}
    if group_by == "age_band":
        return {"under_30": _("Under 30"), "30_39": "30–39", "40_49": "40–49",
                "50_59": "50–59", "60_plus": _("60 and over"), "unknown": _("Not known")}
    if group_by == "hours_band":
        return {"0": _("0 hours"), "under_4": _("Under 4 hours"), "4_8": _("4–8 hours"),
                "8_16": _("Over 8 up to 16 hours"), "over_16": _("Over 16 hours")}
    return {}


def _hidden_text() -> str:
    return _("Too few to show")


def _summary(rows: list[BarRow], what: str) -> str:
    shown = [row for row in rows if row.value is not None]
    hidden = sum(1 for row in rows if row.hidden)
    if not shown:
        text = _("No group is large enough to show.") if hidden else _("No figures yet.")
        return text
    top = max(shown, key=lambda row: row.value)
    text = _("%(what)s: most in %(label)s (%(value)s).") % {
        "what": what, "label": top.label, "value": top.text}
    if hidden:
        text += " " + ngettext("%(n)d group is hidden because it is too small.",
                               "%(n)d groups are hidden because they are too small.",
                               hidden) % {"n": hidden}
    return text


def page_breakdowns(place: Place) -> list[str]:
    """The breakdowns a dashboard of this kind shows (and the targets chart reads)."""
    first = "municipality" if place.kind == PROGRAMME else "unit"
    return [first, "staff_category", "target_group", "gender", "age_band"]


def _breakdown_rows(place: Place, group_by: str) -> list:
    programme = place.period_programme()
    if group_by == "format":
        return place.computed("format", lambda: figures.trained_by_format(
            programme, place.ledger_filter()))
    wanted = page_breakdowns(place)
    if group_by not in wanted:
        return place.computed(group_by, lambda: figures.breakdowns(
            programme, [group_by], place.ledger_filter())[group_by])
    return place.computed("breakdowns", lambda: figures.breakdowns(
        programme, wanted, place.ledger_filter()))[group_by]


def breakdown_chart(place: Place, group_by: str, title: str) -> BarChart:
    """People trained per group (bars) with their hours (table)."""
    rows = _breakdown_rows(place, group_by)
    names = labels(group_by, [row.key for row in rows])
    links = (_breakdown_links(place, group_by, [row.key for row in rows if not row.hidden])
             if place.may_see_records else {})
    bars = []
    for row in rows:
        label = names.get(row.key, str(row.key) if row.key is not None else _("Not stated"))
        link = links.get(row.key, "")
        bars.append(BarRow(
            label=label, value=row.people,
            text=_hidden_text() if row.hidden else str(row.people), hidden=row.hidden,
            extra=["" if row.hidden else _hours(row.minutes)], link=link))
    chart = BarChart(title=title, value_heading=_("People trained"), rows=bars,
                     extra_headings=[_("Training hours")],
                     definition="trained-by" if group_by != "format" else "formats",
                     summary=_summary(bars, _("People trained")))
    return draw(chart)


def _breakdown_links(place: Place, group_by: str, keys: list) -> dict:
    """{key: link to the records behind the row} for the rows that can be drilled into."""
    if group_by == "municipality":
        codes = dict(Municipality.objects.filter(pk__in=keys).values_list("pk", "code"))
        return {key: place.records_query(kommun=code) for key, code in codes.items()}
    if group_by == "unit":
        return {key: place.records_query(enhet=key) for key in keys if key is not None}
    if group_by == "target_group":
        codes = dict(TargetGroup.objects.filter(pk__in=keys).values_list("pk", "code"))
        return {key: place.records_query(malgrupp=code) for key, code in codes.items()}
    return {}


def targets_chart(place: Place) -> BarChart:
    programme = place.period_programme()
    rows = []
    names = {"people": _("People trained"), StaffCategory.BASE: _("Base staff trained"),
             StaffCategory.MANAGEMENT: _("Managers trained"), "hours": _("Training hours")}
    groups = dict(TargetGroup.Code.choices)
    filters = place.ledger_filter()
    total = place.computed("total", lambda: figures.trained(programme, filters))
    rows_by = {g: _breakdown_rows(place, g) for g in ("staff_category", "target_group")}
    for target in figures.targets(programme, filters, total=total, rows=rows_by):
        if target.key == "hours":
            value = None if target.actual.hidden else target.actual.minutes / 60
            text = _hidden_text() if target.actual.hidden else _hours(target.actual.minutes)
            share = None if value is None else value / target.target
        else:
            value = target.actual.people
            text = _hidden_text() if target.actual.hidden else str(value)
            share = target.share
        label = names.get(target.key) or groups.get(target.key.split(":", 1)[-1], target.key)
        rows.append(BarRow(label=label, value=share and 100 * share, text=text,
                           hidden=target.actual.hidden,
                           extra=[number_format(target.target), _percent(share)]))
    chart = BarChart(title=_("Targets against actuals"), value_heading=_("Actual"),
                     rows=rows, extra_headings=[_("Target"), _("Share of target")],
                     target=100, definition="targets")
    reached = [row for row in rows if row.value is not None and row.value >= 100]
    chart.summary = (_("%(reached)d of %(all)d targets are reached.")
                     % {"reached": len(reached), "all": len(rows)}) if rows else _(
        "The programme has no targets yet.")
    return draw(chart)


def trend_chart(place: Place) -> BarChart:
    groups = figures.trend(place.period_programme(), place.ledger_filter())
    rows = []
    for group in groups:
        months = group["months"]
        label = months[0] if len(months) == 1 else f"{months[0]} – {months[-1]}"
        rows.append(BarRow(label=label, value=group["cumulative_people"],
                           text=str(group["cumulative_people"]),
                           extra=[str(group["people"]), _hours(group["minutes"]),
                                  _hours(group["cumulative_minutes"])]))
    chart = BarChart(title=_("Trained people over time (cumulative)"),
                     value_heading=_("People trained so far"), rows=rows,
                     extra_headings=[_("Newly trained"), _("Hours in the month"),
                                     _("Hours so far")], definition="trend")
    if rows:
        chart.summary = _("By %(month)s, %(people)s people had been trained in %(hours)s "
                          "hours.") % {"month": rows[-1].label.split(" – ")[-1],
                                       "people": rows[-1].text, "hours": rows[-1].extra[2]}
    else:
        chart.summary = _("Too few people have been trained to show a trend.")
    return draw(chart)


def proportion_rows(items, names) -> list[BarRow]:
    rows = []
    for key, proportion in items:
        if proportion.hidden:
            rows.append(BarRow(label=names.get(key, str(key)), value=None,
                               text=_hidden_text(), hidden=True, extra=["", ""]))
            continue
        if not proportion.denominator:
            rows.append(BarRow(label=names.get(key, str(key)), value=None, text="–",
                               extra=["0", ""]))
            continue
        low, high = proportion.interval
        rows.append(BarRow(
            label=names.get(key, str(key)), value=100 * proportion.share,
            text=_percent(proportion.share),
            extra=[f"{proportion.numerator} / {proportion.denominator}",
                   f"{_percent(low)} – {_percent(high)}"]))
    return rows


def survey_charts(place: Place) -> list[BarChart]:
    """Response rates per round; measured improvement per follow-up round, by municipality
    and by training-hours band."""
    programme = place.programme
    municipalities = [place.municipality] if place.municipality else place.municipalities
    charts = []
    rates = figures.response_rates(programme)
    if rates:
        rows = proportion_rows([(r.name, p) for r, p in rates], {})
        chart = BarChart(title=_("Response rate per survey round"), value_heading=_("Answered"),
                         rows=rows, extra_headings=[_("Answered / invited"),
                                                    _("95 % confidence interval")],
                         definition="response-rates",
                         summary=_summary(rows, _("Response rate")))
        charts.append(draw(chart))
    for round_ in programme.survey_rounds.filter(baseline__isnull=False).order_by("opens_on"):
        whole_programme = place.kind == PROGRAMME and not municipalities
        overall, by_municipality, bands = figures.improvement_figures(
            round_, municipalities or None, breakdowns=whole_programme)
        if overall is None:
            continue
        items = [(_("All paired respondents"), overall)]
        if whole_programme:
            by_municipality = by_municipality or []
            names = labels("municipality", [p.key for p in by_municipality])
            items += [(names.get(p.key, p.key), p) for p in by_municipality]
        rows = proportion_rows(items, {})
        chart = BarChart(
            title=_("Measured improvement: %(round)s") % {"round": round_.name},
            value_heading=_("Improved"), rows=rows,
            extra_headings=[_("Improved / paired"), _("95 % confidence interval")],
            definition="measured-improvement", summary=_summary(rows, _("Improved")))
        charts.append(draw(chart))
        if whole_programme:
            bands = bands or []
            band_names = labels("hours_band", figures.HOUR_BANDS)
            rows = proportion_rows([(band_names[p.key], p) for p in bands], {})
            chart = BarChart(
                title=_("Improvement by training hours: %(round)s") % {"round": round_.name},
                value_heading=_("Improved"), rows=rows,
                extra_headings=[_("Improved / paired"), _("95 % confidence interval")],
                definition="dose-response", summary=_summary(rows, _("Improved")))
            charts.append(draw(chart))
    return charts


def manager_charts(place: Place) -> list[BarChart]:
    """The managers' outcome recorded as it happens: changed at least one routine (change
    log), for the place as a whole, with its denominator and interval."""
    municipalities = [place.municipality] if place.municipality else place.municipalities
    units = [place.unit] if place.unit else []
    share = figures.changed_routines(place.programme, municipalities, units)
    rows = proportion_rows([(_("Managers"), share)], {})
    chart = BarChart(
        title=_("Managers who changed at least one routine to a digital way of working"),
        value_heading=_("Changed"), rows=rows,
        extra_headings=[_("Changed / managers"), _("95 % confidence interval")],
        definition="changed-routines", summary=_summary(rows, _("Changed")))
    return [draw(chart)]


# Self-reported outcomes (outcomes.reported): the follow-up items -----------------------------

def _reported_scope(place: Place) -> dict:
    return {"municipalities": ([place.municipality] if place.municipality
                               else place.municipalities) or None,
            "units": [place.unit] if place.unit else None,
            "target_groups": [place.target_group] if place.target_group else None}


def _reported_rows(items) -> list[BarRow]:
    """proportion_rows for (label, Reported or Proportion or None) with a "don't know" column."""
    items = [(label, value) for label, value in items if value is not None]
    rows = proportion_rows([(label, getattr(value, "proportion", value))
                            for label, value in items], {})
    for row, (_label, value) in zip(rows, items, strict=True):
        dont_know = getattr(value, "dont_know", None)
        row.extra.append("" if dont_know is None else str(dont_know))
    return rows


def _reported_headings() -> list[str]:
    return [_("Yes / answered yes or no"), _("95 % confidence interval"),
            _("Answered “don't know” (left out)")]


def _reported_summary(overall, what: str) -> str:
    if overall is None or overall.hidden:
        return _("Too few answers to show.")
    if not overall.denominator:
        return _("No answers yet.")
    text = _("%(share)s of those who answered say %(what)s (%(yes)d of %(answered)d).") % {
        "share": _percent(overall.share), "what": what, "yes": overall.numerator,
        "answered": overall.denominator}
    if overall.dont_know:
        text += " " + ngettext("%(n)d answered “don't know” and is left out.",
                               "%(n)d answered “don't know” and are left out.",
                               overall.dont_know) % {"n": overall.dont_know}
    return text


def self_reported_charts(place: Place) -> list[BarChart]:
    """Self-reported stronger digital knowledge (outcomes.reported), per follow-up round that
    asks it: all who answered, by staff category and target group, and on the programme
    dashboard by municipality. Counts only: no link to answers."""
    from modig.outcomes import reported

    scope = _reported_scope(place)
    charts = []
    for round_ in reported.follow_up_rounds(place.programme, reported.KNOWLEDGE):
        overall = reported.self_reported_improvement(round_, **scope)
        items = [(_("All who answered"), overall)]
        groupings = ["staff_category", "target_group"]
        if place.kind == PROGRAMME and not scope["municipalities"]:
            groupings.append("municipality")
        # Staff categories and target groups share names ("Base staff"): their rows say which.
        prefixes = {"staff_category": _("Staff category"), "target_group": _("Target group")}
        for group_by in groupings:
            rows = reported.self_reported_improvement_by(round_, group_by, **scope) or []
            names = labels(group_by, [row.key for row in rows])
            for row in rows:
                name = names.get(row.key) or _("Not stated")
                if group_by in prefixes:
                    name = f"{prefixes[group_by]}: {name}"
                items.append((name, row))
        chart = BarChart(
            title=_("Self-reported stronger digital knowledge: %(round)s") % {
                "round": round_.name},
            value_heading=_("Yes"), rows=_reported_rows(items),
            extra_headings=_reported_headings(), definition="self-reported",
            summary=_reported_summary(overall, _("their digital knowledge has become "
                                                 "stronger")))
        charts.append(draw(chart))
    return charts


def manager_reported_charts(place: Place) -> list[BarChart]:
    """The managers' outcomes from the manager follow-up items (outcomes.reported): changed
    at least one routine, beside the change log (each source with its own denominator), and
    stronger leadership of a digitalised workplace."""
    from modig.outcomes import reported

    scope = _reported_scope(place)
    charts = []
    for round_ in reported.follow_up_rounds(place.programme, reported.ROUTINE):
        sources = reported.changed_routine_sources(round_, scope["municipalities"],
                                                   units=scope["units"])
        rows = _reported_rows([
            (_("Survey: answered yes"), sources.questionnaire),
            (_("Change log: all managers"), sources.change_log),
            (_("Change log: managers who answered the survey"),
             sources.change_log_respondents),
        ])
        if place.may_see_records and len(rows) > 1:
            rows[1].link = reverse("plans:change-list")
        summary = _reported_summary(sources.questionnaire,
                                    _("they have changed at least one routine"))
        summary += " " + _("The change log is a separate source with its own denominator; "
                           "the two are not added together.")
        chart = BarChart(
            title=_("Managers who changed at least one routine: survey and change log, "
                    "%(round)s") % {"round": round_.name},
            value_heading=_("Changed"), rows=rows, extra_headings=_reported_headings(),
            definition="routine-sources", summary=summary)
        charts.append(draw(chart))
    for round_ in reported.follow_up_rounds(place.programme, reported.LEADERSHIP):
        overall = reported.managers_strengthened_leadership(round_, **scope)
        items = [(_("All managers who answered"), overall)]
        if place.kind == PROGRAMME and not scope["municipalities"]:
            rows = reported.reported_share_by(round_, reported.LEADERSHIP, "municipality",
                                              target_groups=scope["target_groups"])
            names = labels("municipality", [row.key for row in rows or []])
            items += [(names.get(row.key) or _("Not stated"), row) for row in rows or []]
        chart = BarChart(
            title=_("Managers who lead a digitalised workplace better: %(round)s") % {
                "round": round_.name},
            value_heading=_("Yes"), rows=_reported_rows(items),
            extra_headings=_reported_headings(), definition="stronger-leadership",
            summary=_reported_summary(overall, _("they have become better at leading a "
                                                 "digitalised workplace")))
        charts.append(draw(chart))
    return charts
