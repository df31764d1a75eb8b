"""The results of a survey round: profiles, breakdowns, heatmap, baseline against follow-up.

Reads the snapshot tables (surveys.results_snapshot) with a handful of GROUP BY queries; no
response or answer row is loaded into Python. Every figure goes through modig.lib.privacy:

- A page looks at one *place* (the programme, a municipality or a unit with its subtree),
  optionally narrowed to one occupation and one target group. Its figures are the cells of
  one cube: place children × occupation × target group, each with an "all" margin. The
  group shown, each breakdown (by unit, occupation or target group) and the heatmap columns
  are lines of that cube, so a group is shown or hidden the same way whichever view asks.
- The cube of a place is built under the cube of its parent (programme → municipality →
  units …): what the parent published stays shown, and what it hid stays hidden with
  everything below it. A coordinator's and a unit manager's views are cuts of the same
  chain, so two people's pages cannot be combined to recover a hidden group either.
- Means and distributions are only given for shown groups. Means leave "don't know" (0) out;
  an area's mean pools every answer on the area's items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Sum, Value, When

from modig.competence.models import CompetenceArea
from modig.lib import privacy
from modig.lib.privacy import ALL, Cell, Cube
from modig.organisation.models import Municipality, Occupation, Person, TargetGroup, Unit
from modig.surveys import scale
from modig.surveys.access import MUNICIPALITY, PROGRAMME, UNIT, Place
from modig.surveys.models import (
    OUTCOME_DONT_KNOW,
    OUTCOME_NO,
    OUTCOME_YES,
    Answer,
    Item,
    Response,
    ResultCount,
    ResultGroup,
    ResultPair,
    Round,
)
from modig.surveys.results_snapshot import current_snapshot

PER_PLACE, PER_OCCUPATION, PER_TARGET_GROUP = "plats", "yrke", "malgrupp"
PER_CHOICES = (PER_PLACE, PER_OCCUPATION, PER_TARGET_GROUP)
_DIMENSION = {PER_PLACE: 0, PER_OCCUPATION: 1, PER_TARGET_GROUP: 2}
STEPS = [value for value, _label in scale.STEPS]


# The tree of places ----------------------------------------------------------------------------

def place_chain(round_: Round, place: Place) -> list[Place]:
    """From the programme down to the place."""
    chain = [Place(PROGRAMME)]
    if place.kind == MUNICIPALITY:
        chain.append(place)
    elif place.kind == UNIT:
        unit = place.obj
        chain.append(Place(MUNICIPALITY, unit.municipality))
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        ancestors = Unit.objects.in_bulk(ids[:-1])
        chain += [Place(UNIT, ancestors[pk]) for pk in ids[:-1] if pk in ancestors]
        chain.append(place)
    return chain


def children_of(round_: Round, place: Place) -> list[Place]:
    if place.kind == PROGRAMME:
        return [Place(MUNICIPALITY, m) for m in round_.programme.municipalities.order_by("name")]
    if place.kind == MUNICIPALITY:
        units = Unit.objects.filter(municipality=place.obj, parent__isnull=True)
    else:
        units = Unit.objects.filter(parent=place.obj)
    return [Place(UNIT, u) for u in units.order_by("name")]


def _scope(place: Place) -> Q:
    if place.kind == MUNICIPALITY:
        return Q(municipality_id=place.pk)
    if place.kind == UNIT:
        subtree = Unit.objects.filter(path__startswith=place.obj.path).values("pk")
        return Q(municipality_id=place.obj.municipality_id, unit_id__in=subtree)
    return Q()


def _child_key(place: Place, children: list[Place]):
    """SQL for "which child of the place does this row fall under" (None: none of them)."""
    if place.kind == PROGRAMME:
        return F("municipality_id")
    whens = [When(unit__path__startswith=c.obj.path, then=Value(c.pk)) for c in children]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _narrow(occupation, target_group) -> Q:
    condition = Q()
    if occupation is not ALL:
        condition &= Q(occupation_id=occupation)
    if target_group is not ALL:
        condition &= Q(target_group_id=target_group)
    return condition


# Cubes -----------------------------------------------------------------------------------------

def _place_cube(round_: Round, place: Place, children: list[Place], *, min_size: int,
                domains: list | None) -> Cube:
    rows = (ResultGroup.objects.filter(round=round_).filter(_scope(place))
            .annotate(child=_child_key(place, children))
            .values("child", "occupation_id", "target_group_id")
            .annotate(n=Sum("respondents")).order_by())
    counts = {(r["child"], r["occupation_id"], r["target_group_id"]): r["n"] for r in rows}
    values = [[c.pk for c in children], *(domains or [[], []])]
    return Cube(3, counts, min_size=min_size, values=values)


def cube_for(round_: Round, place: Place) -> tuple[Cube, list[Place], list[Place]]:
    """The suppressed cube of a place, built down the chain from the programme:
    (cube, chain, children)."""
    min_size = privacy.effective_min_size(round_.min_group_size)
    chain = place_chain(round_, place)
    parent: Cube | None = None
    domains = None
    children: list[Place] = []
    for depth, node in enumerate(chain):
        children = children_of(round_, node)
        cube = _place_cube(round_, node, children, min_size=min_size, domains=domains)
        if parent is None:
            cube.fix((ALL, ALL, ALL))
            domains = [cube.domains[1], cube.domains[2]]
        else:
            key = node.pk
            for o in [*cube.domains[1], ALL]:
                for t in [*cube.domains[2], ALL]:
                    above = parent.cells.get((key, o, t))
                    if above is not None and above.shown:
                        cube.fix((ALL, o, t))
                    else:
                        cube.hide((ALL, o, t))
                        for c in cube.domains[0]:
                            cube.hide((c, o, t))
        cube.suppress()
        parent = cube
        del depth
    return parent, chain, children


# Figures ---------------------------------------------------------------------------------------

@dataclass
class Distribution:
    """Answers per scale step, "don't know" apart, and the mean of the steps."""

    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))
    dont_know: int = 0

    def add(self, value: int, n: int) -> None:
        if value == scale.DONT_KNOW:
            self.dont_know += n
        else:
            self.counts[value] = self.counts.get(value, 0) + n

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        rated = self.rated
        return sum(v * n for v, n in self.counts.items()) / rated if rated else None

    @property
    def steps(self) -> list[dict]:
        total = self.rated + self.dont_know
        return [{"value": v, "count": self.counts[v],
                 "percent": round(100 * self.counts[v] / total) if total else 0}
                for v in STEPS]

    @property
    def dont_know_percent(self) -> int:
        total = self.rated + self.dont_know
        return round(100 * self.dont_know / total) if total else 0


@dataclass
class CompetenceProfile:
    competence: object
    distribution: Distribution


@dataclass
class AreaProfile:
    area: CompetenceArea
    distribution: Distribution
    competences: list[CompetenceProfile]


@dataclass
class BreakdownRow:
    key: object
    label: str
    cell: Cell
    area_means: list[float | None]
    competence_means: dict[int, float | None]


@dataclass
class AreaChange:
    area: CompetenceArea
    baseline_mean: float | None
    mean: float | None
    change: float | None
    pairs: int | None
    paired_change: float | None


@dataclass
class Comparison:
    baseline: Round
    paired: bool
    baseline_cell: Cell | None
    areas: list[AreaChange]


@dataclass
class RoundResults:
    round: Round
    place: Place
    chain: list[Place]
    children: list[Place]
    occupation: object
    target_group: object
    per: str
    min_size: int
    group: Cell
    areas: list[AreaProfile]
    breakdown: list[BreakdownRow]
    breakdown_total: Cell
    heatmap_columns: list[BreakdownRow]
    heatmap_rows: list[dict]
    comparison: Comparison | None
    occupations: list[Occupation]
    target_groups: list[TargetGroup]
    snapshot: object
    # The follow-up items' answers in the group shown (follow-up rounds only).
    follow_up: list[FollowUpAnswers] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.group.shown


@dataclass
class FollowUpAnswers:
    """A follow-up item's answers in a shown group: per choice (count and share of all who
    answered the item), and the share of "yes" among those who answered yes or no ("don't
    know" left out, as in outcomes.reported). `hidden` when fewer than the minimum group
    size answered the item: then there are no figures."""

    item: Item
    answered: int
    choices: list[dict]
    yes: int = 0
    no: int = 0
    dont_know: int = 0
    hidden: bool = False

    @property
    def yes_percent(self) -> int | None:
        if self.hidden or not (self.yes + self.no):
            return None
        return round(100 * self.yes / (self.yes + self.no))


def _follow_up_answers(round_: Round, condition: Q, min_size: int) -> list[FollowUpAnswers]:
    """The follow-up items' distributions (from the snapshot's counts) for the group that
    `condition` selects; the caller shows them only when the group itself is shown."""
    items = list(Item.objects.filter(questionnaire=round_.questionnaire,
                                     kind=Item.Kind.OUTCOME).order_by("position", "pk"))
    if not items:
        return []
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (ResultCount.objects.filter(round=round_, item__in=items).filter(condition)
                .values("item_id", "value").annotate(n=Sum("answers")).order_by()):
        counts[row["item_id"]][row["value"]] = row["n"]
    result = []
    for item in items:
        found = counts.get(item.pk, {})
        answered = sum(found.values())
        if answered < min_size:
            result.append(FollowUpAnswers(item, 0, [], hidden=bool(answered)))
            continue
        choices = [{"value": value, "label": label, "count": found.get(value, 0),
                    "percent": round(100 * found.get(value, 0) / answered)}
                   for value, label in _item_choices(item)]
        result.append(FollowUpAnswers(
            item, answered, choices,
            yes=sum(found.get(v, 0) for v in OUTCOME_YES), no=found.get(OUTCOME_NO, 0),
            dont_know=found.get(OUTCOME_DONT_KNOW, 0)))
    return result


def _item_choices(item: Item) -> list[tuple[int, str]]:
    from modig.surveys.answering import item_choices

    return item_choices(item)


def _rating_items(questionnaire) -> list[Item]:
    return list(Item.objects.filter(questionnaire=questionnaire, kind=Item.Kind.RATING)
                .select_related("competence__area").order_by("position", "pk"))


def _areas_of(items: list[Item]) -> list[CompetenceArea]:
    areas = {item.competence.area_id: item.competence.area for item in items}
    return sorted(areas.values(), key=lambda a: (a.position, a.code))


def _profile(round_: Round, items: list[Item], condition: Q) -> list[AreaProfile]:
    rows = (ResultCount.objects.filter(round=round_).filter(condition)
            .values("item_id", "value").annotate(n=Sum("answers")).order_by())
    by_item: dict[int, Distribution] = defaultdict(Distribution)
    for row in rows:
        by_item[row["item_id"]].add(row["value"], row["n"])
    profiles = []
    for area in _areas_of(items):
        area_distribution = Distribution()
        competences: dict[int, CompetenceProfile] = {}
        for item in items:
            if item.competence.area_id != area.pk:
                continue
            distribution = by_item.get(item.pk, Distribution())
            profile = competences.setdefault(
                item.competence_id, CompetenceProfile(item.competence, Distribution()))
            for value, n in distribution.counts.items():
                profile.distribution.add(value, n)
                area_distribution.add(value, n)
            profile.distribution.add(scale.DONT_KNOW, distribution.dont_know)
            area_distribution.add(scale.DONT_KNOW, distribution.dont_know)
        profiles.append(AreaProfile(area, area_distribution, list(competences.values())))
    return profiles


def _means_by(round_: Round, items: list[Item], condition: Q, key) -> dict:
    """{key: {"areas": {area_id: mean}, "competences": {competence_id: mean}}}."""
    rows = (ResultCount.objects.filter(round=round_, value__gt=0).filter(condition)
            .annotate(key=key).values("key", "item_id")
            .annotate(total=Sum(F("value") * F("answers")), n=Sum("answers")).order_by())
    item_by_id = {item.pk: item for item in items}
    sums: dict = defaultdict(lambda: {"areas": defaultdict(lambda: [0, 0]),
                                      "competences": defaultdict(lambda: [0, 0])})
    for row in rows:
        item = item_by_id.get(row["item_id"])
        if item is None:
            continue
        for part, pk in (("areas", item.competence.area_id), ("competences", item.competence_id)):
            bucket = sums[row["key"]][part][pk]
            bucket[0] += row["total"]
            bucket[1] += row["n"]
    return {key: {part: {pk: (s / n if n else None) for pk, (s, n) in parts[part].items()}
                  for part in ("areas", "competences")}
            for key, parts in sums.items()}


def _labels(per: str, keys, children: list[Place]) -> dict:
    if per == PER_PLACE:
        return {c.pk: c.name for c in children}
    model = Occupation if per == PER_OCCUPATION else TargetGroup
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=[k for k in keys if k])}


def _breakdown(round_, items, areas, cube: Cube, place, children, occupation, target_group,
               per) -> tuple[list[BreakdownRow], Cell]:
    dimension = _DIMENSION[per]
    at = [ALL, occupation, target_group]
    at[dimension] = ALL
    line = cube.line(dimension, tuple(at))
    total = cube.cells[tuple(at)]
    narrowed = [ALL, occupation, target_group]
    narrowed[dimension] = ALL
    condition = _scope(place) & _narrow(narrowed[1], narrowed[2])
    key = {PER_PLACE: _child_key(place, children), PER_OCCUPATION: F("occupation_id"),
           PER_TARGET_GROUP: F("target_group_id")}[per]
    means = _means_by(round_, items, condition, key) if any(
        c.shown and c.count for _k, c in line) else {}
    labels = _labels(per, [k for k, _c in line], children)
    rows = []
    for value, cell in line:
        found = means.get(value, {"areas": {}, "competences": {}}) if cell.shown else None
        rows.append(BreakdownRow(
            key=value, label=labels.get(value, ""), cell=cell,
            area_means=[found["areas"].get(a.pk) if found else None for a in areas],
            competence_means=found["competences"] if found else {},
        ))
    return rows, total


def _comparison(round_: Round, place: Place, occupation, target_group, areas, profile,
                min_size: int) -> Comparison | None:
    baseline = round_.baseline
    if baseline is None or current_snapshot(baseline).built_at is None:
        return None
    paired = round_.is_pseudonymous and baseline.is_pseudonymous
    base_cube, _chain, _children = cube_for(baseline, place)
    base_cell = base_cube.cells.get((ALL, occupation, target_group))
    condition = _scope(place) & _narrow(occupation, target_group)
    base_means = {}
    if base_cell is not None and base_cell.shown:
        base_items = _rating_items(baseline.questionnaire)
        base_means = {p.area.pk: p.distribution.mean
                      for p in _profile(baseline, base_items, condition)}
    pairs = {}
    if paired:
        pairs = {row["area_id"]: row for row in
                 ResultPair.objects.filter(round=round_).filter(condition)
                 .values("area_id").annotate(pairs=Sum("pairs"), change=Sum("change_sum"))
                 .order_by()}
    current = {p.area.pk: p.distribution.mean for p in profile}
    changes = []
    for area in areas:
        mean, base = current.get(area.pk), base_means.get(area.pk)
        pair = pairs.get(area.pk)
        n_pairs = pair["pairs"] if pair else 0
        paired_change = (pair["change"] / n_pairs
                         if paired and n_pairs >= min_size else None)
        changes.append(AreaChange(
            area=area, baseline_mean=base, mean=mean,
            change=(mean - base) if mean is not None and base is not None else None,
            pairs=n_pairs if paired and n_pairs >= min_size else None,
            paired_change=paired_change,
        ))
    return Comparison(baseline, paired, base_cell, changes)


def round_results(round_: Round, place: Place, *, occupation=ALL, target_group=ALL,
                  per: str = PER_PLACE, snapshot=None) -> RoundResults:
    """Everything the results page and the exports show, privacy rules applied."""
    snapshot = snapshot or current_snapshot(round_)
    min_size = privacy.effective_min_size(round_.min_group_size)
    cube, chain, children = cube_for(round_, place)
    if occupation is not ALL and occupation not in cube.domains[1]:
        occupation = ALL
    if target_group is not ALL and target_group not in cube.domains[2]:
        target_group = ALL
    group = cube.cells[(ALL, occupation, target_group)]
    items = _rating_items(round_.questionnaire)
    areas = _areas_of(items)
    profile, breakdown, heat_columns, heat_rows, comparison = [], [], [], [], None
    breakdown_total = group
    if not children and per == PER_PLACE:
        per = PER_OCCUPATION  # a unit with no units below: compare its occupations
    if group.shown and group.count:
        profile = _profile(round_, items, _scope(place) & _narrow(occupation, target_group))
        breakdown, breakdown_total = _breakdown(round_, items, areas, cube, place, children,
                                                occupation, target_group, per)
        if per == PER_PLACE:
            heat_columns = breakdown
        elif children:
            heat_columns, _total = _breakdown(round_, items, areas, cube, place, children,
                                              occupation, target_group, PER_PLACE)
        heat_rows = _heatmap_rows(items, heat_columns)
        comparison = _comparison(round_, place, occupation, target_group, areas, profile,
                                 min_size)
    follow_up = []
    if group.shown and group.count and round_.asks_follow_up_items:
        follow_up = _follow_up_answers(round_, _scope(place) & _narrow(occupation, target_group),
                                       min_size)
    occupations = list(Occupation.objects.filter(pk__in=[o for o in cube.domains[1] if o]))
    target_groups = list(TargetGroup.objects.filter(pk__in=[t for t in cube.domains[2] if t]))
    return RoundResults(
        round=round_, place=place, chain=chain, children=children, occupation=occupation,
        target_group=target_group, per=per, min_size=min_size, group=group, areas=profile,
        breakdown=breakdown, breakdown_total=breakdown_total, heatmap_columns=heat_columns,
        heatmap_rows=heat_rows, comparison=comparison, occupations=occupations,
        target_groups=target_groups, snapshot=snapshot, follow_up=follow_up,
    )


def _heatmap_rows(items: list[Item], columns: list[BreakdownRow]) -> list[dict]:
    competences = []
    seen = set()
    for item in items:
        if item.competence_id not in seen:
            seen.add(item.competence_id)
            competences.append(item.competence)
    rows = []
    for competence in competences:
        cells = []
        for column in columns:
            mean = column.competence_means.get(competence.pk) if column.cell.shown else None
            cells.append({"column": column, "mean": mean,
                          "css": heat_class(mean) if column.cell.shown else "heat-hidden"})
        rows.append({"competence": competence, "cells": cells})
    return rows


def heat_class(mean: float | None) -> str:
    """A CSS class for a heatmap cell: heat-1 … heat-5 by the rounded mean."""
    if mean is None:
        return "heat-none"
    return f"heat-{min(5, max(1, round(mean)))}"


# Lowest scores (personal data: surveys.access decides who; the view logs every look) ----------

@dataclass
class LowScore:
    person: Person | None
    unit_name: str
    mean: float
    rated: int
    area_means: list[float | None]


def lowest_scores(round_: Round, place: Place, *, limit: int = 20) -> tuple[list[LowScore],
                                                                            list]:
    """The people with the lowest mean self-rating in a pseudonymous round, within a place:
    (rows, areas). Only respondent keys are read from responses; names come from the
    registry through the pseudonym."""
    if not round_.is_pseudonymous:
        raise ValueError("anonymous round")
    responses = (Response.objects.filter(round=round_, submitted_at__isnull=False,
                                         respondent_key__isnull=False).filter(_scope(place)))
    lowest = list(
        Answer.objects.filter(response__in=responses.values("pk"), value__gt=0)
        .values("response_id", "response__respondent_key", "response__unit__name")
        .annotate(mean=Avg("value"), rated=Count("pk"))
        .order_by("mean", "response_id")[:limit]
    )
    items = _rating_items(round_.questionnaire)
    areas = _areas_of(items)
    per_area = defaultdict(dict)
    for row in (Answer.objects.filter(response_id__in=[r["response_id"] for r in lowest],
                                      value__gt=0)
                .values("response_id", "item__competence__area_id")
                .annotate(mean=Avg("value")).order_by()):
        per_area[row["response_id"]][row["item__competence__area_id"]] = row["mean"]
    people = Person.objects.in_bulk([r["response__respondent_key"] for r in lowest],
                                    field_name="pseudonym")
    return [LowScore(person=people.get(r["response__respondent_key"]),
                     unit_name=r["response__unit__name"] or "",
                     mean=float(r["mean"]), rated=r["rated"],
                     area_means=[per_area[r["response_id"]].get(a.pk) for a in areas])
            for r in lowest], areas


def municipalities_of(places: list[Place]) -> list[Municipality]:
    return [p.obj for p in places if p.kind == MUNICIPALITY]
