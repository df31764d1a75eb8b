"""The outcome figures of a programme: one function per figure, each saying what it counts and
its denominator (docs/outcome-definitions.md has the same definitions in prose).

Trained people and training hours come from `modig.training.ledger` (the one definition of
both); survey figures from the submitted responses of pseudonymous rounds. Every figure about
people goes through `modig.lib.privacy`: a group below the programme's minimum group size is
returned hidden (`hidden=True`, no count, no hours), and a breakdown is suppressed as one line
so a hidden group cannot be computed from its siblings and the total. All aggregation is SQL.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Avg, Max, Q
from django.db.models import Count as SqlCount
from django.utils import timezone

from modig.lib import privacy
from modig.organisation.models import Programme, StaffCategory
from modig.outcomes.models import ImprovementCount, ImprovementSnapshot, PairedImprovement
from modig.plans import queries as plans_queries
from modig.surveys.models import Item, Response, Round
from modig.training import ledger
from modig.training.ledger import LedgerFilter

# A paired respondent "improved" when their follow-up mean is at least this many scale steps
# above their baseline mean (the scale has five steps; half a step is a visible change).
IMPROVEMENT_MARGIN = 0.5
# Floating point slack for the comparison (a mean difference of exactly 0.5 counts).
_EPSILON = 1e-9

# Training-hours bands for dose and response: (key, lower minutes exclusive, upper inclusive).
HOUR_BANDS = ("0", "under_4", "4_8", "8_16", "over_16")
AGE_BANDS = ledger.AGE_BANDS
BREAKDOWNS = (*ledger.GROUPINGS, "age_band")


@dataclass(frozen=True)
class Count:
    """A figure about a group of people: its key, people and minutes; both None when the
    group is hidden by the privacy rules (`reason` says why)."""

    key: object
    people: int | None
    minutes: int | None
    hidden: bool = False
    reason: str = ""

    @property
    def hours(self) -> float | None:
        return None if self.minutes is None else self.minutes / 60


@dataclass(frozen=True)
class Proportion:
    """`numerator` of `denominator` people, with a Wilson 95 % interval; hidden (all None)
    when the denominator is below the minimum group size."""

    key: object
    numerator: int | None
    denominator: int | None
    hidden: bool = False
    reason: str = ""

    @property
    def share(self) -> float | None:
        if self.hidden or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.hidden or not self.denominator:
            return None
        return wilson(self.numerator, self.denominator)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % with z = 1.96) of successes/n, as shares 0..1."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def min_size(programme: Programme) -> int:
    return privacy.effective_min_size(programme.min_group_size)


def _cell_count(key, people: int, minutes: int, cell: privacy.Cell) -> Count:
    if cell.hidden:
        return Count(key, None, None, hidden=True, reason=cell.reason)
    return Count(key, people, int(minutes))


def _run(sql: str, params) -> list[tuple]:
    # SQL composed only of querysets compiled by Django (values stay parameters) and fixed text.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Trained people and hours ---------------------------------------------------------------------

def trained(programme: Programme, filters: LedgerFilter | None = None) -> Count:
    """People trained (distinct: each person once however many municipalities, units or
    courses) and their training minutes, from the ledger. Denominator: none (a count).
    Hidden when fewer people than the minimum group size."""
    total = ledger.totals(programme, filters)
    cell = privacy.Cell(total.people)
    if privacy.is_small(total.people, min_size(programme)):
        cell.hide(privacy.SMALL)
    return _cell_count(None, total.people, total.minutes, cell)


def _person_attribute_rows(programme: Programme, filters: LedgerFilter | None,
                           wanted) -> dict[str, list[tuple]]:
    """Gender and age band rows from one pass (ledger.by_gender_and_age_band: each
    combination's people), summed per gender and per band (both partition the people)."""
    totals: dict[str, dict] = {"gender": {}, "age_band": {}}
    for gender, age_band, people, minutes in ledger.by_gender_and_age_band(programme, filters):
        for group_by, key in (("gender", gender), ("age_band", age_band)):
            people_so_far, minutes_so_far = totals[group_by].get(key, (0, 0))
            totals[group_by][key] = (people_so_far + people, minutes_so_far + int(minutes))
    order = {"gender": sorted, "age_band": lambda keys: sorted(keys, key=AGE_BANDS.index)}
    return {group_by: [(key, *totals[group_by][key]) for key in order[group_by](totals[group_by])]
            for group_by in wanted}


def _suppressed(programme: Programme, rows: list[tuple]) -> list[Count]:
    counts = {key: people for key, people, _minutes in rows}
    cells, _sum = privacy.suppress_breakdown(counts, min_size=min_size(programme))
    return [_cell_count(key, people, minutes, cells[key]) for key, people, minutes in rows]


def breakdowns(programme: Programme, group_bys, filters: LedgerFilter | None = None,
               ) -> dict[str, list[Count]]:
    """trained_by's rows for several breakdowns in as few passes as the database allows
    ({group_by: rows}, each exactly as trained_by(..., with_total=False) returns them):
    gender and age band from one pass over the trained people, the employment-level ones
    from ledger.hours_by_many (one statement on PostgreSQL)."""
    group_bys = list(dict.fromkeys(group_bys))
    unknown = [g for g in group_bys if g not in BREAKDOWNS]
    if unknown:
        raise ValueError(f"unknown breakdown: {unknown[0]}")
    people_level = [g for g in group_bys if g in ("gender", "age_band")]
    raw = _person_attribute_rows(programme, filters, people_level) if people_level else {}
    employment_level = [g for g in group_bys if g not in people_level]
    for group_by, figures in ledger.hours_by_many(programme, employment_level,
                                                  filters).items():
        raw[group_by] = [(f.key, f.people, f.minutes) for f in figures]
    return {group_by: _suppressed(programme, raw[group_by]) for group_by in group_bys}


def trained_by(programme: Programme, group_by: str, filters: LedgerFilter | None = None,
               *, with_total: bool = True) -> tuple[list[Count], Count | None]:
    """People trained (distinct per group) and training minutes per group: municipality,
    staff_category, unit, occupation, target_group, gender (ledger.hours_by) or age_band
    (age at the programme start from Person.birth_year: under 30, 30-39, 40-49, 50-59, 60+,
    unknown). Denominator: none. A person with employments in two groups is in both rows and
    once in the total, so rows of municipality/unit/occupation/target group/staff category may
    add up to more than the total; gender and age band partition the people.

    Returns (rows, total), suppressed as one line: small groups hidden, and the smallest
    siblings hidden too when one hidden group could otherwise be recovered. The total (a
    second pass over the ledger) is None with with_total=False."""
    rows = breakdowns(programme, [group_by], filters)[group_by]
    return rows, trained(programme, filters) if with_total else None


@dataclass(frozen=True)
class Target:
    """One target against its actual: `actual` is a Count (hidden when small)."""

    key: str
    target: int
    actual: Count

    @property
    def share(self) -> float | None:
        if self.actual.hidden or not self.target or self.actual.people is None:
            return None
        return self.actual.people / self.target


def targets(programme: Programme, filters: LedgerFilter | None = None, *,
            total: Count | None = None, rows: dict | None = None) -> list[Target]:
    """The programme's targets against actuals: people trained in total, base staff and
    managers (by staff category of any employment), each ProgrammeTarget's target group, and
    training hours (key "hours": the actual's minutes against target hours × 60). Targets of
    0 are left out. Denominator of `share`: the target. `total` and `rows` (breakdowns() of
    staff_category and target_group) may be passed when the caller has them already."""
    total = total if total is not None else trained(programme, filters)
    if rows is None or not {"staff_category", "target_group"} <= set(rows):
        rows = breakdowns(programme, ["staff_category", "target_group"], filters)
    result = []
    if programme.target_people_total:
        result.append(Target("people", programme.target_people_total, total))
    by_category = {row.key: row for row in rows["staff_category"]}
    empty = Count(None, 0, 0)
    for key, target in ((StaffCategory.BASE, programme.target_people_base),
                        (StaffCategory.MANAGEMENT, programme.target_people_management)):
        if target:
            result.append(Target(str(key), target, by_category.get(key, empty)))
    by_group = {row.key: row for row in rows["target_group"]}
    for target in programme.targets.select_related("target_group").order_by(
            "target_group__code"):
        result.append(Target(f"target_group:{target.target_group.code}", target.people,
                             by_group.get(target.target_group_id, empty)))
    if programme.target_training_hours:
        result.append(Target("hours", programme.target_training_hours, total))
    return result


def trained_by_format(programme: Programme,
                      filters: LedgerFilter | None = None) -> list[Count]:
    """People trained (distinct per format) and training minutes by the course's format (on
    site, remote live, self-paced, blended). Coaching entries (no course) are under key None.
    Denominator: none. Suppressed as one line."""
    rows = [(f.key, f.people, f.minutes) for f in ledger.hours_by_format(programme, filters)]
    cells, _total = privacy.suppress_breakdown({key: people for key, people, _m in rows},
                                               min_size=min_size(programme))
    return [_cell_count(key, people, minutes, cells[key]) for key, people, minutes in rows]


def trend(programme: Programme, filters: LedgerFilter | None = None) -> list[dict]:
    """Per month: people newly trained (their first ledger entry falls in the month), training
    minutes of the month, and both cumulative. A month with fewer newly trained people than
    the minimum group size is joined with the following months until the group is large
    enough (the last group joins the one before), so neither a month nor a difference of two
    cumulative figures is ever about fewer people. Each row: {"months": [..], "people",
    "minutes", "cumulative_people", "cumulative_minutes"}. Empty when the whole programme has
    fewer trained people than the minimum."""
    new = ledger.new_people_by_month(programme, filters)
    minutes = ledger.minutes_by_month(programme, filters)
    minimum = min_size(programme)
    if sum(new.values()) < minimum:
        return []
    groups: list[dict] = []
    current = {"months": [], "people": 0, "minutes": 0}
    for month in sorted(set(new) | set(minutes)):
        current["months"].append(month)
        current["people"] += new.get(month, 0)
        current["minutes"] += minutes.get(month, 0)
        if current["people"] >= minimum:
            groups.append(current)
            current = {"months": [], "people": 0, "minutes": 0}
    if current["months"]:
        if groups:
            last = groups[-1]
            last["months"] += current["months"]
            last["people"] += current["people"]
            last["minutes"] += current["minutes"]
        else:
            groups.append(current)
    people = total_minutes = 0
    for group in groups:
        people += group["people"]
        total_minutes += group["minutes"]
        group["cumulative_people"] = people
        group["cumulative_minutes"] = total_minutes
    return groups


# Surveys --------------------------------------------------------------------------------------

def response_rates(programme: Programme) -> list[tuple[Round, Proportion]]:
    """Per survey round of the programme: submitted responses (numerator) of invitations
    (denominator: everyone invited in the round). Hidden when fewer invited than the round's
    minimum group size."""
    rounds = list(programme.survey_rounds.order_by("opens_on", "pk"))
    rows = ({pk: (invited, answered) for pk, invited, answered
             in _run(*_invitation_counts(rounds))} if rounds else {})
    result = []
    for round_ in rounds:
        invited, answered = rows.get(round_.pk, (0, 0))
        minimum = privacy.effective_min_size(round_.min_group_size)
        if invited < minimum:
            result.append((round_, Proportion(round_.pk, None, None, hidden=True,
                                              reason=privacy.SMALL)))
        else:
            result.append((round_, Proportion(round_.pk, answered, invited)))
    return result


def _invitation_counts(rounds):
    from django.db.models import Count as SqlCount

    from modig.surveys.models import Invitation

    queryset = (Invitation.objects.filter(round__in=rounds).values("round_id")
                .annotate(invited=SqlCount("pk"),
                          answered=SqlCount("pk", filter=Q(submitted_at__isnull=False)))
                .order_by().values_list("round_id", "invited", "answered"))
    sql, params = queryset.query.sql_with_params()
    return (f"SELECT q.round_id, q.invited, q.answered FROM ({sql}) q", params)  # noqa: S608


def _ratings(round_: Round, municipalities=None):
    """Submitted pseudonymous responses of a round with their mean self-rating (rating items,
    "don't know" = 0 left out)."""
    responses = Response.objects.filter(round=round_, submitted_at__isnull=False,
                                        respondent_key__isnull=False)
    if municipalities:
        responses = responses.filter(municipality__in=municipalities)
    return (responses.order_by()
            .annotate(mean=Avg("answers__value",
                               filter=Q(answers__value__gt=0,
                                        answers__item__kind=Item.Kind.RATING)))
            .values("respondent_key", "municipality_id", "mean"))


def _pairs_sql(follow_up: Round, municipalities=None, current=None) -> tuple[str, tuple]:
    """SQL of one row per paired respondent: respondent_key, the follow-up's municipality_id,
    improved (1/0): from the improvement snapshot while it is current (outcomes/models.py),
    else from the answers (and a rebuild is queued)."""
    if current is None:
        current = _use_improvement_snapshot(follow_up)
    if current:
        pairs = PairedImprovement.objects.filter(follow_up=follow_up).order_by()
        if municipalities:
            pairs = pairs.filter(municipality_id__in=[m.pk for m in municipalities])
        return pairs.values("respondent_key", "municipality_id",
                            "improved").query.sql_with_params()
    return _live_pairs_sql(follow_up, municipalities)


def _live_pairs_sql(follow_up: Round, municipalities=None) -> tuple[str, tuple]:
    """The pairs from the answers: the follow-up's submitted responses whose pseudonym also
    submitted the baseline, both with at least one rated item."""
    follow_sql, follow_params = _ratings(follow_up, municipalities).query.sql_with_params()
    base_sql, base_params = _ratings(follow_up.baseline).query.sql_with_params()
    margin = IMPROVEMENT_MARGIN - _EPSILON
    sql = ("SELECT f.respondent_key, f.municipality_id, "  # noqa: S608
           f"CASE WHEN f.mean - b.mean >= {margin!r} THEN 1 ELSE 0 END AS improved "
           f"FROM ({follow_sql}) f JOIN ({base_sql}) b ON b.respondent_key = f.respondent_key "
           "WHERE f.mean IS NOT NULL AND b.mean IS NOT NULL")
    return sql, (*follow_params, *base_params)


# The improvement snapshot ---------------------------------------------------------------------

# A queued rebuild that has not run after this long (no worker?) is queued again.
STALE_REQUEST_MINUTES = 15


def _signature(follow_up: Round) -> str:
    """What the pairs depend on, cheap to read: per round (the follow-up and its baseline)
    the submitted responses' count and latest submission (an index-only scan). Submitted
    answers never change; a removed response lowers the count and a new one raises the
    latest; a merge of two people (which can move a pseudonym) deletes the snapshots."""
    rows = (Response.objects.filter(round_id__in=[follow_up.pk, follow_up.baseline_id],
                                    submitted_at__isnull=False)
            .values("round_id").annotate(n=SqlCount("*"), latest=Max("submitted_at"))
            .order_by("round_id").values_list("round_id", "n", "latest"))
    parts = [f"{follow_up.baseline_id}"]
    parts += [f"{pk}:{n}:{latest.isoformat() if latest else ''}" for pk, n, latest in rows]
    return ";".join(parts)


def rebuild_improvement(follow_up: Round) -> ImprovementSnapshot:
    """Store the follow-up round's paired respondents and whether each improved."""
    ImprovementSnapshot.objects.get_or_create(follow_up=follow_up)
    snapshot = _rebuild_improvement(follow_up)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(PairedImprovement._meta.db_table)}")
    return snapshot


@transaction.atomic
def _rebuild_improvement(follow_up: Round) -> ImprovementSnapshot:
    snapshot = ImprovementSnapshot.objects.select_for_update().get(follow_up=follow_up)
    # Read before the pairs: a response submitted in between changes the signature, so the
    # snapshot is (rightly) stale at once, never wrongly current.
    signature, ledger_version = _signature(follow_up), ledger.version(follow_up.programme)
    PairedImprovement.objects.filter(follow_up=follow_up).delete()
    ImprovementCount.objects.filter(follow_up=follow_up).delete()
    sql, params = _live_pairs_sql(follow_up)
    table = connection.ops.quote_name(PairedImprovement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (follow_up_id, respondent_key, municipality_id, improved) "  # noqa: S608
            f"SELECT %s, x.respondent_key, x.municipality_id, x.improved FROM ({sql}) x",
            (follow_up.pk, *params))
    pairs = (PairedImprovement.objects.filter(follow_up=follow_up).order_by()
             .values("respondent_key", "municipality_id", "improved").query.sql_with_params())
    counts = [("municipality", "" if key is None else str(key), n, improved)
              for key, n, improved in _run(*_municipality_sql(pairs))]
    counts += [("band", key, n, improved) for key, n, improved in _run(*_band_sql(
        follow_up, pairs))]
    ImprovementCount.objects.bulk_create(
        ImprovementCount(follow_up=follow_up, kind=kind, key=key, pairs=n, improved=improved)
        for kind, key, n, improved in counts)
    snapshot.signature, snapshot.built_at = signature, timezone.now()
    snapshot.ledger_version = ledger_version
    snapshot.rebuild_requested_at = None
    snapshot.save()
    return snapshot


def improvement_is_current(follow_up: Round) -> bool:
    snapshot = ImprovementSnapshot.objects.filter(follow_up=follow_up).first()
    return (snapshot is not None and snapshot.built_at is not None
            and snapshot.signature == _signature(follow_up))


def _stored_counts(follow_up: Round, kind: str, current=None) -> list[tuple] | None:
    """The snapshot's counts of a kind while current (bands: with the ledger unchanged too),
    else None (and a rebuild queued). `current`: the caller's _use_improvement_snapshot."""
    if current is None:
        current = _use_improvement_snapshot(follow_up)
    if not current:
        return None
    if kind == "band":
        built_from = (ImprovementSnapshot.objects.filter(follow_up=follow_up)
                      .values_list("ledger_version", flat=True).first())
        if built_from != ledger.version(follow_up.programme):
            return None
    return list(ImprovementCount.objects.filter(follow_up=follow_up, kind=kind)
                .values_list("key", "pairs", "improved"))


def _use_improvement_snapshot(follow_up: Round) -> bool:
    snapshot = ImprovementSnapshot.objects.filter(follow_up=follow_up).first()
    if (snapshot is not None and snapshot.built_at is not None
            and snapshot.signature == _signature(follow_up)):
        return True
    lost = timezone.now() - datetime.timedelta(minutes=STALE_REQUEST_MINUTES)
    if snapshot is None:
        snapshot, _created = ImprovementSnapshot.objects.get_or_create(follow_up=follow_up)
    claimed = ImprovementSnapshot.objects.filter(
        Q(rebuild_requested_at__isnull=True) | Q(rebuild_requested_at__lt=lost),
        pk=snapshot.pk).update(rebuild_requested_at=timezone.now())
    if claimed:
        from modig.outcomes.tasks import rebuild_improvement as task

        transaction.on_commit(lambda: task.enqueue(follow_up.pk))
    return False


def forget_improvement_snapshots(sender=None, **kwargs) -> None:
    """Make every improvement snapshot stale (merging people can move a pseudonym)."""
    ImprovementSnapshot.objects.update(built_at=None)


def rebuild_snapshots(programme: Programme) -> None:
    """Rebuild the ledger snapshot and the improvement snapshot of every pairable follow-up
    round of the programme (what a dashboard reads)."""
    ledger.rebuild(programme)
    for follow_up in programme.survey_rounds.filter(baseline__isnull=False):
        if _pairable(follow_up):
            rebuild_improvement(follow_up)


def _pairable(follow_up: Round) -> bool:
    return (follow_up.baseline_id is not None
            and follow_up.anonymity == Round.Anonymity.PSEUDONYMOUS
            and follow_up.baseline.anonymity == Round.Anonymity.PSEUDONYMOUS)


def _proportion(key, improved: int, pairs: int, cell: privacy.Cell | None,
                minimum: int) -> Proportion:
    hidden = cell.hidden if cell is not None else privacy.is_small(pairs, minimum)
    if hidden or pairs == 0:
        return Proportion(key, None, None, hidden=bool(pairs), reason=privacy.SMALL
                          if cell is None else cell.reason)
    return Proportion(key, int(improved), int(pairs))


def _municipality_sql(pairs) -> tuple[str, tuple]:
    sql, params = pairs
    return (f"SELECT x.municipality_id, COUNT(*), SUM(x.improved) FROM ({sql}) x "  # noqa: S608
            "GROUP BY 1 ORDER BY 1", params)


def _band_sql(follow_up: Round, pairs) -> tuple[str, tuple]:
    sql, params = pairs
    per_person, person_params = ledger.per_person_sql(follow_up.programme, None)
    band = ("CASE WHEN COALESCE(t.minutes, 0) = 0 THEN '0' "
            "WHEN t.minutes < 240 THEN 'under_4' WHEN t.minutes <= 480 THEN '4_8' "
            "WHEN t.minutes <= 960 THEN '8_16' ELSE 'over_16' END")
    return (f"SELECT {band} AS band, COUNT(*), SUM(x.improved) FROM ({sql}) x "  # noqa: S608
            "JOIN organisation_person p ON p.pseudonym = x.respondent_key "
            f"LEFT JOIN ({per_person}) t ON t.entry_person = p.id GROUP BY 1",
            (*params, *person_params))


def _municipality_rows(follow_up: Round, municipalities=None, current=None) -> list[tuple]:
    """(municipality id, pairs, improved) per municipality of the follow-up response, ordered
    by id as the database orders it (no municipality: last on PostgreSQL, first on SQLite)."""
    stored = _stored_counts(follow_up, "municipality", current)
    if stored is None:
        return [(key, int(n), int(improved)) for key, n, improved
                in _run(*_municipality_sql(_pairs_sql(follow_up, municipalities, current)))]
    rows = [(None if key == "" else int(key), n, improved) for key, n, improved in stored]
    if municipalities:
        wanted = {m.pk for m in municipalities}
        rows = [row for row in rows if row[0] in wanted]
    none_last = connection.vendor == "postgresql"
    return sorted(rows, key=lambda r: ((r[0] is None) == none_last, r[0] or 0))


def measured_improvement(follow_up: Round, municipalities=None) -> Proportion | None:
    """Measured improvement: of the paired respondents (denominator: people who submitted
    both the baseline and this follow-up, paired by pseudonym, each with at least one rating
    other than "don't know"), those whose follow-up mean self-rating is at least
    IMPROVEMENT_MARGIN (0.5) scale steps above their baseline mean (numerator). Only
    pseudonymous rounds pair; None for an anonymous or unpaired round. Hidden when fewer
    pairs than the follow-up round's minimum group size. (Each pair has one municipality of
    its follow-up response, so the sum over the municipalities is the figure.)"""
    if not _pairable(follow_up):
        return None
    return _measured(follow_up, _municipality_rows(follow_up, municipalities))


def _measured(follow_up: Round, rows: list[tuple]) -> Proportion:
    pairs, improved = sum(r[1] for r in rows), sum(r[2] for r in rows)
    minimum = privacy.effective_min_size(follow_up.min_group_size)
    return _proportion(None, improved, pairs, None, minimum)


def _suppressed_proportions(rows: list[tuple], keys, minimum: int) -> list[Proportion]:
    found = {key: (pairs, improved) for key, pairs, improved in rows}
    counts = {key: found.get(key, (0, 0))[0] for key in keys}
    cells, _total = privacy.suppress_breakdown(counts, min_size=minimum)
    return [_proportion(key, found.get(key, (0, 0))[1], counts[key], cells[key], minimum)
            for key in keys]


def improvement_by_hours(follow_up: Round) -> list[Proportion] | None:
    """Dose and response: measured improvement (as in measured_improvement) per band of the
    respondent's training hours in the follow-up round's programme (ledger minutes of the
    person whose pseudonym paired): 0 h, more than 0 and under 4 h, 4 to 8 h, more than 8 to
    16 h, more than 16 h. Denominator of each band: the paired respondents in the band.
    Suppressed as one line over the bands."""
    if not _pairable(follow_up):
        return None
    return _by_hours(follow_up)


def _by_hours(follow_up: Round, current=None) -> list[Proportion]:
    rows = _stored_counts(follow_up, "band", current)
    if rows is None:
        rows = _run(*_band_sql(follow_up, _pairs_sql(follow_up, None, current)))
    return _suppressed_proportions(rows, HOUR_BANDS,
                                   privacy.effective_min_size(follow_up.min_group_size))


def improvement_by_municipality(follow_up: Round, municipalities=None) -> list[Proportion] | None:
    """Comparison between municipalities: measured improvement per municipality of the
    follow-up response (denominator: paired respondents in that municipality). Suppressed as
    one line over the municipalities (key: municipality id)."""
    if not _pairable(follow_up):
        return None
    return _by_municipality(follow_up, _municipality_rows(follow_up, municipalities))


def _by_municipality(follow_up: Round, rows: list[tuple]) -> list[Proportion]:
    keys = [key for key, _p, _i in rows]
    return _suppressed_proportions(rows, keys,
                                   privacy.effective_min_size(follow_up.min_group_size))


def improvement_figures(follow_up: Round, municipalities=None, *, breakdowns: bool = True,
                        ) -> tuple[Proportion | None, list | None, list | None]:
    """(measured_improvement, improvement_by_municipality, improvement_by_hours) of a
    follow-up round, each exactly as those functions return it, with one snapshot check and
    one read of the municipalities' pairs; the two breakdowns are None with
    breakdowns=False (or for a round that does not pair)."""
    if not _pairable(follow_up):
        return None, None, None
    current = _use_improvement_snapshot(follow_up)
    rows = _municipality_rows(follow_up, municipalities, current)
    overall = _measured(follow_up, rows)
    if not breakdowns:
        return overall, None, None
    return overall, _by_municipality(follow_up, rows), _by_hours(follow_up, current)


def changed_routines(programme: Programme, municipalities=None, units=None) -> Proportion:
    """Managers who changed at least one routine to a digital or mobile way of working, from
    the managers' change log (plans app): numerator, the managers in scope who recorded at
    least one change inside the programme period at a unit in scope; denominator, the people
    with an active management employment in the programme's municipalities (narrowed to the
    given municipalities or units). Changed and unchanged managers are suppressed together as
    one breakdown (plans.queries.routine_change_share), so neither can be had from the other."""
    share = plans_queries.routine_change_share(
        programme, municipalities=list(municipalities or ()), units=list(units or ()))
    if share.changed.hidden or share.managers.hidden:
        return Proportion(None, None, None, hidden=True,
                          reason=share.changed.reason or share.managers.reason)
    return Proportion(None, share.changed.count, share.managers.count)
