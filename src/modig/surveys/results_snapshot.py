"""The results snapshot: counts per group, item and scale value, built in the database.

Results pages read these small tables instead of the answers (a round of 300,000 people has
7.5 million answers). A rebuild is a few INSERT … SELECT … GROUP BY statements in one
transaction, so a page never sees half a snapshot.

When it is rebuilt:
- the first time a round's results are opened (synchronously: small rounds take milliseconds);
- when responses have come in since the last build: the page queues `refresh_results` at most
  every REFRESH_MINUTES while the round is open, and at once after it has closed;
- whenever `request_refresh(round)` is called (submit and close can call it).
"""

import datetime

from django.db import connection, transaction
from django.db.models import Max, Q
from django.tasks import task
from django.utils import timezone

from modig.competence.models import Competence
from modig.surveys.models import (
    OUTCOME_FIELDS,
    Answer,
    Item,
    Response,
    ResultCount,
    ResultGroup,
    ResultPair,
    ResultSnapshot,
    Round,
)

REFRESH_MINUTES = 3
# Above this many submitted responses the first build runs as a task, not in the request
# (300,000 responses take about 40 s); the page says the figures are being prepared.
SYNC_BUILD_LIMIT = 20_000
# A queued rebuild that has not run after this long (no worker?) is queued again.
STALE_REQUEST_MINUTES = 15

_GROUP_COLUMNS = "municipality_id, unit_id, occupation_id, target_group_id"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def build_snapshot(round_: Round) -> ResultSnapshot:
    """Rebuild the round's result tables from its submitted responses."""
    snapshot = _build(round_)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, so the pages' queries are planned for the new rows (with stale
        # ones PostgreSQL may pick a nested loop over half a million rows).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(
                _table(m) for m in (ResultGroup, ResultCount, ResultPair)))
    return snapshot


@transaction.atomic
def _build(round_: Round) -> ResultSnapshot:
    snapshot, _created = ResultSnapshot.objects.select_for_update().get_or_create(round=round_)
    submitted = Response.objects.filter(round=round_, submitted_at__isnull=False)
    latest = submitted.aggregate(latest=Max("submitted_at"))["latest"]
    for model in (ResultGroup, ResultCount, ResultPair):
        model.objects.filter(round=round_).delete()
    response, answer = _table(Response), _table(Answer)
    item, competence = _table(Item), _table(Competence)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ResultGroup)} (round_id, {_GROUP_COLUMNS}, respondents) "  # noqa: S608 - names from models
            f"SELECT round_id, {_GROUP_COLUMNS}, COUNT(*) FROM {response} "
            f"WHERE round_id = %s AND submitted_at IS NOT NULL "
            f"GROUP BY round_id, {_GROUP_COLUMNS}",
            [round_.pk],
        )
        r_columns = ", ".join(f"r.{c.strip()}" for c in _GROUP_COLUMNS.split(","))
        cursor.execute(
            f"INSERT INTO {_table(ResultCount)} "  # noqa: S608 - names from models
            f"(round_id, {_GROUP_COLUMNS}, item_id, value, answers) "
            f"SELECT r.round_id, {r_columns}, a.item_id, a.value, COUNT(*) "
            f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
            f"WHERE r.round_id = %s AND r.submitted_at IS NOT NULL "
            f"GROUP BY r.round_id, {r_columns}, a.item_id, a.value",
            [round_.pk],
        )
        if round_.asks_follow_up_items:
            # Follow-up items keep their answers on the response row (one column each): their
            # counts go to ResultCount as the ratings' do, item and value alike.
            for item_id, column in (
                    Item.objects.filter(questionnaire_id=round_.questionnaire_id,
                                        kind=Item.Kind.OUTCOME,
                                        background_field__in=OUTCOME_FIELDS)
                    .values_list("pk", "background_field")):
                quoted = connection.ops.quote_name(column)
                cursor.execute(
                    f"INSERT INTO {_table(ResultCount)} "  # noqa: S608 - names from models
                    f"(round_id, {_GROUP_COLUMNS}, item_id, value, answers) "
                    f"SELECT r.round_id, {r_columns}, %s, r.{quoted}, COUNT(*) "
                    f"FROM {response} r WHERE r.round_id = %s AND r.submitted_at IS NOT NULL "
                    f"AND r.{quoted} IS NOT NULL "
                    f"GROUP BY r.round_id, {r_columns}, r.{quoted}",
                    [item_id, round_.pk],
                )
        baseline = round_.baseline
        if baseline is not None and round_.is_pseudonymous and baseline.is_pseudonymous:
            # Each person's mean per area in each round ("don't know" left out), joined on
            # the pseudonymous key: one pair per person and area rated in both rounds.
            per_person = (
                f"SELECT r.respondent_key AS k, {r_columns}, c.area_id AS area_id, "  # noqa: S608 - names from models
                f"AVG(a.value * 1.0) AS m FROM {answer} a "
                f"JOIN {response} r ON r.id = a.response_id "
                f"JOIN {item} i ON i.id = a.item_id "
                f"JOIN {competence} c ON c.id = i.competence_id "
                f"WHERE r.round_id = %s AND r.submitted_at IS NOT NULL "
                f"AND r.respondent_key IS NOT NULL AND a.value > 0 "
                f"GROUP BY r.id, r.respondent_key, {r_columns}, c.area_id"
            )
            f_columns = ", ".join(f"f.{c.strip()}" for c in _GROUP_COLUMNS.split(","))
            cursor.execute(
                f"INSERT INTO {_table(ResultPair)} "  # noqa: S608 - names from models
                f"(round_id, {_GROUP_COLUMNS}, area_id, pairs, change_sum) "
                f"SELECT %s, {f_columns}, f.area_id, COUNT(*), SUM(f.m - b.m) "
                f"FROM ({per_person}) f JOIN ({per_person}) b "
                f"ON b.k = f.k AND b.area_id = f.area_id "
                f"GROUP BY {f_columns}, f.area_id",
                [round_.pk, round_.pk, baseline.pk],
            )
    snapshot.built_at = timezone.now()
    snapshot.latest_submitted_at = latest
    snapshot.responses = submitted.count()
    snapshot.refresh_requested_at = None
    snapshot.save()
    return snapshot


@task()
def refresh_results(round_id: int) -> None:
    """Background rebuild of one round's result tables."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is not None:
        build_snapshot(round_)


def request_refresh(round_: Round) -> bool:
    """Queue a rebuild unless one is already queued (claimed with a conditional update)."""
    snapshot, _created = ResultSnapshot.objects.get_or_create(round=round_)
    lost = timezone.now() - datetime.timedelta(minutes=STALE_REQUEST_MINUTES)
    claimed = ResultSnapshot.objects.filter(
        Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=lost), pk=snapshot.pk
    ).update(refresh_requested_at=timezone.now())
    if claimed:
        transaction.on_commit(lambda: refresh_results.enqueue(round_.pk))
    return bool(claimed)


def current_snapshot(round_: Round) -> ResultSnapshot:
    """The snapshot a page should read: built now if there is none (queued instead for a big
    round: `built_at` stays None until the task has run); a rebuild queued when newer
    responses exist (at most every REFRESH_MINUTES while the round is open)."""
    snapshot = ResultSnapshot.objects.filter(round=round_).first()
    if snapshot is None or snapshot.built_at is None:
        submitted = Response.objects.filter(round=round_, submitted_at__isnull=False)
        if submitted[:SYNC_BUILD_LIMIT + 1].count() > SYNC_BUILD_LIMIT:
            request_refresh(round_)
            return ResultSnapshot.objects.get(round=round_)
        return build_snapshot(round_)
    newer = Response.objects.filter(round=round_, submitted_at__isnull=False)
    if snapshot.latest_submitted_at is not None:
        newer = newer.filter(submitted_at__gt=snapshot.latest_submitted_at)
    if newer.exists():
        age = timezone.now() - snapshot.built_at
        if round_.has_ended or age >= datetime.timedelta(minutes=REFRESH_MINUTES):
            request_refresh(round_)
    return snapshot
