"""The hours ledger: the one module that says who "has been trained" and how many "training
hours" there were (DESIGN.md, "Definitions the figures depend on"; docs/training-hours.md).

A ledger entry is one record that gives a person training time on a day:
- attendance at a meeting of a session that was not cancelled (present: the meeting's length,
  partly present: the minutes recorded; absent gives no entry);
- a completed self-paced or blended course (its nominal length, on the completion day);
- coaching where the person is named (issue 6): the ambassadors app registers a third source
  with `register_source`, and every figure below includes it without other changes.
Only entries of the programme's courses dated inside the programme period count.

A person has been trained when they have at least one entry; people are counted once however
many municipalities, units or courses they appear in. Training hours are the sum of the
entries' minutes, divided by 60 only for display.

The snapshot (LedgerPersonMinutes): the figures below sum one row per trained person. With
300,000 people and 3 million attendance records, computing those rows from the entries takes
2.5–4 s; `rebuild(programme)` stores them (one INSERT … SELECT over the same UNION ALL of
every registered source), and figures read them while they are current. Current means exact:
every write of a ledger source bumps the programme's change counter (`mark_changed`, from the
signals in training/signals.py and from the bulk writes that bypass them) in the writer's
transaction, and a snapshot is read only while the counter still equals the count it was
built from. Otherwise the figure is computed from the entries (exact, slower) and a rebuild is
queued (`request_rebuild`, at most one queued at a time). A source registered by another app
must call `mark_changed(programme)` whenever its records change.

Breakdowns (`hours_by`) put a person under every group of their employments (current or
ended) that match the filter: Dana, employed in Ale and in Tjörn, is counted in both rows but
once in the total, so the rows may add up to more than the total. All aggregation is SQL:
every source is a queryset of the same seven columns, combined with UNION ALL, and grouped in
the database.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from modig.organisation.models import Employment, Person, Programme, Unit
from modig.training.models import (
    Attendance,
    Course,
    DistanceCompletion,
    LedgerAggregate,
    LedgerChanges,
    LedgerGroupChanges,
    LedgerPersonMinutes,
    LedgerPersonPart,
    LedgerSnapshot,
    Session,
)

# The columns every source yields, in this order (UNION needs the same order everywhere).
COLUMNS = ("entry_person", "entry_on", "entry_minutes", "entry_kind", "entry_id",
           "entry_course", "entry_title")

ATTENDANCE, DISTANCE = "attendance", "distance"


@dataclass(frozen=True)
class Source:
    """A kind of record that gives training time. `entries(programme)` returns a queryset
    restricted to the programme's courses (or activities) and period, annotated with COLUMNS;
    `person_field` is the lookup from its model to the Person (for filtering)."""

    kind: str
    entries: Callable[[Programme], QuerySet]
    person_field: str = "person"


def _attendance_entries(programme: Programme) -> QuerySet:
    return (
        Attendance.objects
        .filter(meeting__session__course__programme=programme,
                meeting__date__range=(programme.starts_on, programme.ends_on),
                minutes__gt=0)
        .exclude(meeting__session__status=Session.Status.CANCELLED)
        .annotate(entry_person=F("person_id"), entry_on=F("meeting__date"),
                  entry_minutes=F("minutes"),
                  entry_kind=Value(ATTENDANCE, output_field=CharField()),
                  entry_id=F("pk"), entry_course=F("meeting__session__course_id"),
                  entry_title=F("meeting__session__course__title"))
    )


def _distance_entries(programme: Programme) -> QuerySet:
    return (
        DistanceCompletion.objects
        .filter(course__programme=programme,
                completed_on__range=(programme.starts_on, programme.ends_on))
        .annotate(entry_person=F("person_id"), entry_on=F("completed_on"),
                  entry_minutes=F("course__nominal_minutes"),
                  entry_kind=Value(DISTANCE, output_field=CharField()),
                  entry_id=F("pk"), entry_course=F("course_id"),
                  entry_title=F("course__title"))
    )


SOURCES: list[Source] = [
    Source(ATTENDANCE, _attendance_entries),
    Source(DISTANCE, _distance_entries),
]


def register_source(source: Source) -> None:
    """Add a kind of training record (the ambassadors app's coaching, from its ready())."""
    if all(existing.kind != source.kind for existing in SOURCES):
        SOURCES.append(source)


# Filters --------------------------------------------------------------------------------------

@dataclass
class LedgerFilter:
    """Whom a figure is about. Employment-level fields select people by any of their
    employments (current or ended); `people` narrows further (e.g. to a user's scope)."""

    municipalities: list = field(default_factory=list)
    units: list = field(default_factory=list)  # each with the units below it
    staff_category: str = ""
    occupations: list = field(default_factory=list)
    target_groups: list = field(default_factory=list)
    people: QuerySet | None = None

    @property
    def selects_employments(self) -> bool:
        return bool(self.municipalities or self.units or self.staff_category
                    or self.occupations or self.target_groups)


def matching_employments(filters: LedgerFilter | None) -> QuerySet:
    """Employments (current or ended) that match the filter's employment-level fields."""
    employments = Employment.objects.order_by()
    if filters is None:
        return employments
    if filters.municipalities:
        employments = employments.filter(municipality__in=filters.municipalities)
    if filters.units:
        subtree = Unit.objects.in_subtree_of(filters.units).values("pk")
        employments = employments.filter(
            pk__in=Employment.units.through.objects.filter(unit__in=subtree)
            .values("employment_id"))
    if filters.staff_category:
        employments = employments.filter(staff_category=filters.staff_category)
    if filters.occupations:
        employments = employments.filter(occupation__in=filters.occupations)
    if filters.target_groups:
        employments = employments.filter(
            pk__in=Employment.target_groups.through.objects.filter(
                targetgroup__in=filters.target_groups).values("employment_id"))
    return employments


def _people_condition(filters: LedgerFilter | None, prefix: str = "") -> Q:
    condition = Q()
    if filters is None:
        return condition
    if filters.selects_employments:
        condition &= Q(**{f"{prefix}pk__in": matching_employments(filters).values("person_id")})
    if filters.people is not None:
        condition &= Q(**{f"{prefix}pk__in": filters.people.order_by().values("pk")})
    return condition


def _source_entries(source: Source, programme: Programme,
                    filters: LedgerFilter | None) -> QuerySet:
    entries = source.entries(programme).filter(
        _people_condition(filters, prefix=f"{source.person_field}__"))
    return entries.order_by().values(*COLUMNS)


def entries(programme: Programme, filters: LedgerFilter | None = None) -> QuerySet:
    """Every ledger entry of the programme (dicts of COLUMNS), all sources in one UNION ALL."""
    parts = [_source_entries(source, programme, filters) for source in SOURCES]
    # order_by(): no model ordering on the compound (its columns are the entry columns).
    return parts[0].union(*parts[1:], all=True).order_by()


# The snapshot ---------------------------------------------------------------------------------

# A queued rebuild that has not run after this long (no worker?) is queued again.
STALE_REQUEST_MINUTES = 15


def month_sql(column: str) -> str:
    """SQL for the month ("YYYY-MM") of a date column."""
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _pk(programme) -> int:
    return programme if isinstance(programme, int) else programme.pk


def mark_changed(programme) -> None:
    """Record that a ledger source of the programme (a Programme or its id) changed. Call it
    inside the transaction of the write, so no reader sees the new records with the old
    count. One upsert; the counter has its own row per programme."""
    table = _table(LedgerChanges)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, changes) VALUES (%s, 1) "  # noqa: S608 - names from models
            f"ON CONFLICT (programme_id) DO UPDATE SET changes = {table}.changes + 1",
            [_pk(programme)])


def _changes(programme) -> int:
    return (LedgerChanges.objects.filter(programme_id=_pk(programme))
            .values_list("changes", flat=True).first() or 0)


def _group_changes() -> int:
    return LedgerGroupChanges.objects.filter(pk=1).values_list("changes", flat=True).first() or 0


def _state(programme: Programme) -> tuple[bool, bool, bool, tuple]:
    """(current, current with the people's groups unchanged since the rebuild too, rebuild
    queued, the stored period) in one query."""
    row = (LedgerSnapshot.objects.filter(programme=programme)
           .annotate(changes=Coalesce(Subquery(
               LedgerChanges.objects.filter(programme=OuterRef("programme"))
               .values("changes")[:1]), 0),
                     group_changes=Coalesce(Subquery(
                         LedgerGroupChanges.objects.filter(pk=1).values("changes")[:1]), 0))
           .values_list("built_at", "version", "changes", "rebuild_requested_at",
                        "programme__starts_on", "programme__ends_on", "groups_version",
                        "group_changes").first())
    if row is None:
        return False, False, False, None
    (built_at, version, changes, requested_at, starts_on, ends_on, groups_version,
     group_changes) = row
    lost = timezone.now() - datetime.timedelta(minutes=STALE_REQUEST_MINUTES)
    current = built_at is not None and version == changes
    return (current, current and groups_version == group_changes,
            requested_at is not None and requested_at >= lost, (starts_on, ends_on))


def version(programme: Programme) -> str:
    """The programme's ledger version: its change counter and the people-and-groups counter.
    Anything computed from the ledger's figures (minutes per person included) is still exact
    while this is unchanged."""
    return f"{_changes(programme)}:{_group_changes()}"


def is_current(programme: Programme) -> bool:
    """Whether the programme's snapshot holds exactly what the entries say now."""
    return _state(programme)[0]


def rebuild(programme: Programme) -> LedgerSnapshot:
    """Rebuild the programme's per-person minutes from every registered source."""
    # The row exists (committed) before the count is read, so a concurrent rebuild waits on
    # it rather than building twice.
    LedgerSnapshot.objects.get_or_create(programme=programme)
    snapshot = _rebuild(programme)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, so breakdowns are planned for the new rows.
        with connection.cursor() as cursor:
            for model in (LedgerPersonMinutes, LedgerPersonPart, LedgerAggregate):
                cursor.execute(f"ANALYZE {_table(model)}")
    return snapshot


@transaction.atomic
def _rebuild(programme: Programme) -> LedgerSnapshot:
    snapshot = LedgerSnapshot.objects.select_for_update().get(programme=programme)
    # Read before the entries: a write committed in between makes the counter larger than
    # the version stored, so the snapshot is (rightly) stale at once, never wrongly current.
    version, groups_version = _changes(programme), _group_changes()
    for model in (LedgerPersonMinutes, LedgerPersonPart, LedgerAggregate):
        model.objects.filter(programme=programme).delete()
    union_sql, params = entries(programme).query.sql_with_params()
    _execute(
        f"INSERT INTO {_table(LedgerPersonMinutes)} "  # noqa: S608 - names from models
        "(programme_id, person_id, minutes, entries, first_on, last_on) "
        "SELECT %s, e.entry_person, SUM(e.entry_minutes), COUNT(*), MIN(e.entry_on), "
        f"MAX(e.entry_on) FROM ({union_sql}) e GROUP BY e.entry_person",
        (programme.pk, *params))
    month = month_sql("e.entry_on")
    _execute(
        f"INSERT INTO {_table(LedgerPersonPart)} "  # noqa: S608 - names from models
        "(programme_id, person_id, month, format, minutes) "
        f"SELECT %s, e.entry_person, {month}, COALESCE(c.format, ''), SUM(e.entry_minutes) "
        f"FROM ({union_sql}) e LEFT JOIN {_table(Course)} c ON c.id = e.entry_course "
        f"GROUP BY e.entry_person, {month}, COALESCE(c.format, '')",
        (programme.pk, *params))
    parts = _table(LedgerPersonPart)
    _execute(
        f"INSERT INTO {_table(LedgerAggregate)} "  # noqa: S608 - names from models
        "(programme_id, kind, key, people, minutes) "
        f"SELECT %s, 'format', format, COUNT(DISTINCT person_id), SUM(minutes) FROM {parts} "
        "WHERE programme_id = %s GROUP BY format "
        f"UNION ALL SELECT %s, 'month', month, 0, SUM(minutes) FROM {parts} "
        "WHERE programme_id = %s GROUP BY month",
        (programme.pk, programme.pk, programme.pk, programme.pk))
    _store_aggregates(programme)
    snapshot.built_at, snapshot.version = timezone.now(), version
    snapshot.groups_version = groups_version
    snapshot.rebuild_requested_at = None
    snapshot.save()
    return snapshot


def request_rebuild(programme: Programme) -> bool:
    """Queue a rebuild unless one is already queued (claimed with a conditional update)."""
    from modig.training.tasks import rebuild_ledger

    snapshot, _created = LedgerSnapshot.objects.get_or_create(programme=programme)
    lost = timezone.now() - datetime.timedelta(minutes=STALE_REQUEST_MINUTES)
    claimed = LedgerSnapshot.objects.filter(
        Q(rebuild_requested_at__isnull=True) | Q(rebuild_requested_at__lt=lost),
        pk=snapshot.pk).update(rebuild_requested_at=timezone.now())
    if claimed:
        transaction.on_commit(lambda: rebuild_ledger.enqueue(programme.pk))
    return bool(claimed)


def _snapshot_level(programme: Programme) -> int:
    """What a figure may read: 0 nothing (from the entries), 1 the per-person rows, parts
    and entry-only aggregates, 2 also the breakdown rows (the people's groups unchanged); a
    rebuild is queued (once) below 2. The snapshot holds the stored period's entries, so a
    programme whose period a caller narrowed (outcomes' period filter passes an unsaved copy)
    reads live."""
    entries_current, groups_current, queued, period = _state(programme)
    if entries_current and period != (programme.starts_on, programme.ends_on):
        return 0
    if not groups_current and not queued:
        request_rebuild(programme)
    return 2 if groups_current else 1 if entries_current else 0


def _use_snapshot(programme: Programme) -> bool:
    """Whether a figure may read the per-person rows (see _snapshot_level)."""
    return _snapshot_level(programme) >= 1


def _snapshot_people(programme: Programme, filters: LedgerFilter | None) -> QuerySet:
    # A person's row holds all their entries, and a filter selects people: the filtered
    # sum of rows equals the sum of the filtered entries.
    return (LedgerPersonMinutes.objects.filter(programme=programme)
            .filter(_people_condition(filters, prefix="person__")).order_by())


# Figures --------------------------------------------------------------------------------------

def trained_people(programme: Programme, filters: LedgerFilter | None = None) -> QuerySet:
    """The people who have been trained (a Person queryset, each person once)."""
    if _use_snapshot(programme):
        return Person.objects.filter(pk__in=_snapshot_people(programme, filters)
                                     .values("person_id"))
    # One IN over the sources' UNION ALL, which PostgreSQL runs as a hashed semi-join. An OR
    # of one IN per source cannot be: once a source's people outgrow work_mem, PostgreSQL
    # scanned that source again for every person (over ten minutes for 300,000 people and
    # 3,000,000 attendance records; bench/training_ledger.py).
    people = [_source_entries(source, programme, filters).values("entry_person")
              for source in SOURCES]
    trained = people[0].union(*people[1:], all=True) if len(people) > 1 else people[0]
    return Person.objects.filter(pk__in=trained)


def _run(sql: str, params) -> list[tuple]:
    # The SQL is composed only of querysets compiled by Django (values stay parameters) and
    # fixed text; nothing from a request is formatted into it.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _union_sql(programme: Programme, filters: LedgerFilter | None) -> tuple[str, tuple]:
    return entries(programme, filters).query.sql_with_params()


@dataclass(frozen=True)
class Figure:
    """Trained people and training minutes for one group (key None: the total)."""

    key: object
    people: int
    minutes: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


def per_person_sql(programme: Programme, filters: LedgerFilter | None) -> tuple[str, tuple]:
    """Each trained person once with their minutes (entry_person, minutes): from the
    snapshot while it is current, else from the entries. Figures count and sum these rows
    rather than COUNT(DISTINCT …) over the entries: one hash aggregate instead of sorting
    every entry, and a breakdown joins one row per person instead of one per entry."""
    return _per_person_sql(programme, filters, _snapshot_level(programme))


def _per_person_sql(programme: Programme, filters: LedgerFilter | None,
                    level: int) -> tuple[str, tuple]:
    if level >= 1:
        return (_snapshot_people(programme, filters)
                .annotate(entry_person=F("person_id")).values("entry_person", "minutes")
                .query.sql_with_params())
    union_sql, params = _union_sql(programme, filters)
    return (f"SELECT e.entry_person, SUM(e.entry_minutes) AS minutes FROM ({union_sql}) e "  # noqa: S608
            "GROUP BY e.entry_person", params)


def totals(programme: Programme, filters: LedgerFilter | None = None) -> Figure:
    """Trained people (distinct) and training minutes for the programme."""
    level = _snapshot_level(programme)
    if _unfiltered(filters) and level >= 1:
        rows = _aggregate(programme, "total")
        return Figure(None, rows[0][1], int(rows[0][2])) if rows else Figure(None, 0, 0)
    per_person, params = _per_person_sql(programme, filters, level)
    sql = ("SELECT COUNT(*), COALESCE(SUM(p.minutes), 0) "  # noqa: S608
           f"FROM ({per_person}) p")
    (people, minutes), = _run(sql, params)
    return Figure(None, people, int(minutes))


def _pairs(queryset: QuerySet, person: str, key: str) -> QuerySet:
    return (queryset.order_by().annotate(pair_person=F(person), group_key=F(key))
            .values("pair_person", "group_key").distinct())


def _dimension_pairs(group_by: str, filters: LedgerFilter | None) -> QuerySet:
    """(pair_person, group_key) rows, each pair once, for a breakdown."""
    employments = matching_employments(filters)
    if group_by == "municipality":
        return _pairs(employments, "person_id", "municipality_id")
    if group_by == "staff_category":
        return _pairs(employments, "person_id", "staff_category")
    if group_by == "occupation":
        return _pairs(employments, "person_id", "occupation_id")
    if group_by == "unit":
        links = Employment.units.through.objects.filter(
            employment__in=employments.values("pk"))
        if filters is not None and filters.units:
            links = links.filter(unit__in=Unit.objects.in_subtree_of(filters.units).values("pk"))
        return _pairs(links, "employment__person_id", "unit_id")
    if group_by == "target_group":
        links = Employment.target_groups.through.objects.filter(
            employment__in=employments.values("pk"))
        if filters is not None and filters.target_groups:
            links = links.filter(targetgroup__in=filters.target_groups)
        return _pairs(links, "employment__person_id", "targetgroup_id")
    if group_by == "gender":
        people = Person.objects.all()
        if filters is not None and filters.selects_employments:
            people = people.filter(pk__in=employments.values("person_id"))
        return _pairs(people, "pk", "gender")
    raise ValueError(f"unknown breakdown: {group_by}")


GROUPINGS = ("municipality", "staff_category", "unit", "occupation", "target_group", "gender")


def hours_by(programme: Programme, group_by: str,
             filters: LedgerFilter | None = None) -> list[Figure]:
    """Trained people (distinct per group) and minutes per group of a person attribute."""
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown breakdown: {group_by}")
    level = _snapshot_level(programme)
    if _unfiltered(filters) and level == 2:
        return _stored_breakdown(programme, group_by)
    return _hours_by(group_by, filters, _per_person_sql(programme, filters, level))


def _hours_by(group_by: str, filters: LedgerFilter | None, per_person) -> list[Figure]:
    pairs_sql, pairs_params = _dimension_pairs(group_by, filters).query.sql_with_params()
    per_person, union_params = per_person
    # The pairs are distinct, so each person is one row per group: COUNT(*) counts people.
    sql = ("SELECT g.group_key, COUNT(*), SUM(p.minutes) "  # noqa: S608
           f"FROM ({per_person}) p "
           f"JOIN ({pairs_sql}) g ON g.pair_person = p.entry_person "
           "GROUP BY g.group_key ORDER BY g.group_key")
    rows = _run(sql, (*union_params, *pairs_params))
    return [Figure(key, people, int(minutes)) for key, people, minutes in rows]


def minutes_by_person(programme: Programme,
                      filters: LedgerFilter | None = None) -> dict[int, int]:
    """Training minutes per trained person (for a manager's view of their staff)."""
    per_person, params = per_person_sql(programme, filters)
    return {person: int(minutes) for person, minutes in _run(per_person, params)}


def person_history(person: Person, programme: Programme | None = None) -> QuerySet:
    """A person's ledger entries, oldest first (every programme unless one is given)."""
    programmes = [programme] if programme else Programme.objects.filter(
        courses__isnull=False).distinct()
    filters = LedgerFilter(people=Person.objects.filter(pk=person.pk))
    # No programme with courses yet: the same query shape for a programme that cannot exist
    # (no rows), so callers get the entry columns either way.
    parts = [entries(p, filters) for p in programmes] or [entries(Programme(pk=0), filters)]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("entry_on", "entry_kind", "entry_id")


def records_behind(programme: Programme, filters: LedgerFilter | None = None) -> QuerySet:
    """The entries behind a figure (same filter), by date then person: for traceability."""
    return entries(programme, filters).order_by("entry_on", "entry_person", "entry_kind",
                                                "entry_id")


def _snapshot_parts(programme: Programme, filters: LedgerFilter | None) -> QuerySet:
    return (LedgerPersonPart.objects.filter(programme=programme)
            .filter(_people_condition(filters, prefix="person__")).order_by())


def _unfiltered(filters: LedgerFilter | None) -> bool:
    return filters is None or (not filters.selects_employments and filters.people is None)


def _aggregate(programme: Programme, kind: str) -> list[tuple]:
    return list(LedgerAggregate.objects.filter(programme=programme, kind=kind)
                .values_list("key", "people", "minutes"))


def hours_by_format(programme: Programme,
                    filters: LedgerFilter | None = None) -> list[Figure]:
    """Trained people (distinct per format) and minutes by the course's format (on site,
    remote live, self-paced, blended); entries without a course (coaching) under key None.
    Ordered by format, None last. From the snapshot while current (the whole programme from
    its aggregate rows, a filter from the per-person parts), else from the entries."""
    if _use_snapshot(programme):
        if _unfiltered(filters):
            rows = _aggregate(programme, "format")
        else:
            sql, params = (_snapshot_parts(programme, filters).values("format")
                           .annotate(people=models.Count("person_id", distinct=True),
                                     total=models.Sum("minutes"))
                           .values_list("format", "people", "total").query.sql_with_params())
            rows = _run(sql, params)
        rows = [(key or None, people, minutes) for key, people, minutes in rows]
    else:
        union_sql, params = _union_sql(programme, filters)
        rows = _run(
            "SELECT c.format, COUNT(DISTINCT e.entry_person), SUM(e.entry_minutes) "  # noqa: S608
            f"FROM ({union_sql}) e LEFT JOIN {_table(Course)} c ON c.id = e.entry_course "
            "GROUP BY c.format", params)
    rows = sorted(rows, key=lambda row: (row[0] is None, row[0] or ""))
    return [Figure(key, people, int(minutes)) for key, people, minutes in rows]


def minutes_by_month(programme: Programme, filters: LedgerFilter | None = None) -> dict:
    """Training minutes per month ("YYYY-MM": the month of the entry), snapshot or live."""
    if _use_snapshot(programme):
        if _unfiltered(filters):
            return {key: int(minutes) for key, _people, minutes
                    in _aggregate(programme, "month")}
        sql, params = (_snapshot_parts(programme, filters).values("month")
                       .annotate(total=models.Sum("minutes")).values_list("month", "total")
                       .query.sql_with_params())
    else:
        union_sql, params = _union_sql(programme, filters)
        sql = (f"SELECT {month_sql('e.entry_on')}, SUM(e.entry_minutes) "  # noqa: S608
               f"FROM ({union_sql}) e GROUP BY 1")
    return {month: int(minutes) for month, minutes in _run(sql, params)}


def new_people_by_month(programme: Programme, filters: LedgerFilter | None = None) -> dict:
    """People newly trained per month ("YYYY-MM" of their first entry), snapshot or live."""
    level = _snapshot_level(programme)
    if _unfiltered(filters) and level >= 1:
        return {key: people for key, people, _minutes in _aggregate(programme, "first")}
    if level >= 1:
        people, params = _snapshot_people(programme, filters).values(
            "first_on").query.sql_with_params()
        sql = (f"SELECT {month_sql('f.first_on')}, COUNT(*) FROM ({people}) f "  # noqa: S608
               "GROUP BY 1")
    else:
        union_sql, params = _union_sql(programme, filters)
        first = (f"SELECT e.entry_person, MIN(e.entry_on) AS first_on FROM ({union_sql}) e "  # noqa: S608
                 "GROUP BY e.entry_person")
        sql = f"SELECT {month_sql('f.first_on')}, COUNT(*) FROM ({first}) f GROUP BY 1"  # noqa: S608
    return dict(_run(sql, params))


# The employment-level breakdowns of hours_by, with the table and column of their key.
_EMPLOYMENT_KEYS = {"municipality": "e.municipality_id", "staff_category": "e.staff_category",
                    "occupation": "e.occupation_id", "unit": "u.unit_id",
                    "target_group": "t.targetgroup_id"}


def hours_by_many(programme: Programme, group_bys, filters: LedgerFilter | None = None,
                  ) -> dict[str, list[Figure]]:
    """hours_by for several breakdowns at once ({group_by: rows}, each as hours_by returns
    it). On PostgreSQL the employment-level breakdowns (municipality, staff category,
    occupation, unit, target group) are one statement: the people's employments, units and
    target groups are read once, each (person, group) pair made distinct by GROUPING SETS and
    joined once to the per-person rows. Elsewhere, one hours_by per breakdown."""
    group_bys = list(dict.fromkeys(group_bys))
    together = [g for g in group_bys if g in _EMPLOYMENT_KEYS]
    result = {}
    if _unfiltered(filters) and _snapshot_level(programme) == 2:
        return {group_by: _stored_breakdown(programme, group_by) for group_by in group_bys}
    if connection.vendor == "postgresql" and len(together) > 1:
        result.update(_grouped_sets(programme, together, filters))
    for group_by in group_bys:
        if group_by not in result:
            result[group_by] = hours_by(programme, group_by, filters)
    return {group_by: result[group_by] for group_by in group_bys}


def _grouped_sets(programme: Programme, group_bys: list[str],
                  filters: LedgerFilter | None) -> dict[str, list[Figure]]:
    employments_sql, employment_params = (
        matching_employments(filters).values("id", "person_id", "municipality_id",
                                             "staff_category", "occupation_id")
        .query.sql_with_params())
    joins, params = "", list(employment_params)
    if "unit" in group_bys:
        links = Employment.units.through.objects.order_by()
        if filters is not None and filters.units:
            links = links.filter(unit__in=Unit.objects.in_subtree_of(filters.units).values("pk"))
        links_sql, links_params = links.values("employment_id", "unit_id").query.sql_with_params()
        joins += f" LEFT JOIN ({links_sql}) u ON u.employment_id = e.id"
        params += links_params
    if "target_group" in group_bys:
        links = Employment.target_groups.through.objects.order_by()
        if filters is not None and filters.target_groups:
            links = links.filter(targetgroup__in=filters.target_groups)
        links_sql, links_params = links.values("employment_id",
                                               "targetgroup_id").query.sql_with_params()
        joins += f" LEFT JOIN ({links_sql}) t ON t.employment_id = e.id"
        params += links_params
    columns = [_EMPLOYMENT_KEYS[g] for g in group_bys]
    keys = ", ".join(f"{column} AS k{i}" for i, column in enumerate(columns))
    flags = ", ".join(f"GROUPING({column}) AS g{i}" for i, column in enumerate(columns))
    sets = ", ".join(f"(e.person_id, {column})" for column in columns)
    per_person, person_params = per_person_sql(programme, filters)
    outer = ", ".join(f"d.k{i}, d.g{i}" for i in range(len(columns)))
    # A unit or target group pair comes from a link; the LEFT JOIN's empty link is no pair.
    no_link = " AND ".join(
        f"NOT (d.g{i} = 0 AND d.k{i} IS NULL)" for i, g in enumerate(group_bys)
        if g in ("unit", "target_group")) or "TRUE"
    sql = (f"SELECT {outer}, COUNT(*), SUM(p.minutes) FROM ("  # noqa: S608
           f"SELECT e.person_id, {keys}, {flags} FROM ({employments_sql}) e{joins} "
           f"GROUP BY GROUPING SETS ({sets})) d "
           f"JOIN ({per_person}) p ON p.entry_person = d.person_id "
           f"WHERE {no_link} GROUP BY {outer}")
    rows = _run(sql, (*params, *person_params))
    result: dict[str, list] = {g: [] for g in group_bys}
    for row in rows:
        people, minutes = row[-2], row[-1]
        for i, group_by in enumerate(group_bys):
            if row[2 * i + 1] == 0:  # this grouping set's key
                result[group_by].append(Figure(row[2 * i], people, int(minutes)))
                break
    for figures in result.values():
        # As hours_by's ORDER BY on PostgreSQL: by key, NULL last.
        figures.sort(key=lambda f: (f.key is None, f.key if f.key is not None else 0))
    return result


# Person attributes and the stored breakdowns ---------------------------------------------------

AGE_BANDS = ("under_30", "30_39", "40_49", "50_59", "60_plus", "unknown")


def _person_attribute_sql(programme: Programme, per_person) -> tuple[str, tuple]:
    per_person, params = per_person
    start = programme.starts_on.year
    # Age at the programme's start: start year minus birth year (the day is not known).
    age = f"({start:d} - p.birth_year)"
    band = (f"CASE WHEN p.birth_year IS NULL THEN 'unknown' WHEN {age} < 30 THEN 'under_30' "
            f"WHEN {age} < 40 THEN '30_39' WHEN {age} < 50 THEN '40_49' "
            f"WHEN {age} < 60 THEN '50_59' ELSE '60_plus' END")
    return (f"SELECT p.gender, {band} AS band, COUNT(*), SUM(t.minutes) "  # noqa: S608
            f"FROM ({per_person}) t JOIN {_table(Person)} p ON p.id = t.entry_person "
            "GROUP BY p.gender, 2", params)


def by_gender_and_age_band(programme: Programme, filters: LedgerFilter | None = None,
                           ) -> list[tuple]:
    """(gender, age band, trained people, minutes) per combination that has people: the age
    at the programme's start (its start year minus the birth year) in AGE_BANDS. Both
    partition the people, so summing over one gives the other's breakdown."""
    level = _snapshot_level(programme)
    if _unfiltered(filters) and level == 2:
        return [(*key.split("|", 1), people, int(minutes))
                for key, people, minutes in _aggregate(programme, "person")]
    rows = _run(*_person_attribute_sql(programme, _per_person_sql(programme, filters, level)))
    return [(gender, band, people, int(minutes)) for gender, band, people, minutes in rows]


_INTEGER_KEYS = {"municipality", "occupation", "unit", "target_group"}


def _stored_breakdown(programme: Programme, group_by: str) -> list[Figure]:
    rows = []
    for key, people, minutes in _aggregate(programme, f"g:{group_by}"):
        if key == "":
            key = None
        elif group_by in _INTEGER_KEYS:
            key = int(key)
        rows.append(Figure(key, people, int(minutes)))
    rows.sort(key=lambda f: (f.key is None, f.key if f.key is not None else 0))
    return rows


def _store_aggregates(programme: Programme) -> None:
    """The snapshot's rows that need the people's groups or a pass over every person: the
    total, first months, each GROUPINGS breakdown and the gender and age band combinations
    (LedgerAggregate), computed from the per-person rows just written."""
    per_person = (_snapshot_people(programme, None).annotate(entry_person=F("person_id"))
                  .values("entry_person", "minutes").query.sql_with_params())
    people, params = _snapshot_people(programme, None).values(
        "person_id", "minutes", "first_on").query.sql_with_params()
    rows = [("total", "", count, minutes or 0) for count, minutes in _run(
        f"SELECT COUNT(*), SUM(t.minutes) FROM ({people}) t", params)]  # noqa: S608
    rows += [("first", month, count, 0) for month, count in _run(
        f"SELECT {month_sql('t.first_on')}, COUNT(*) FROM ({people}) t GROUP BY 1",  # noqa: S608
        params)]
    for group_by in GROUPINGS:
        rows += [(f"g:{group_by}", "" if f.key is None else str(f.key), f.people, f.minutes)
                 for f in _hours_by(group_by, None, per_person)]
    rows += [("person", f"{gender}|{band}", count, minutes) for gender, band, count, minutes
             in _run(*_person_attribute_sql(programme, per_person))]
    LedgerAggregate.objects.bulk_create(
        LedgerAggregate(programme=programme, kind=kind, key=key, people=count,
                        minutes=int(minutes)) for kind, key, count, minutes in rows)
