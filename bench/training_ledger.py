"""Benchmark: the hours ledger (trained people and training hours) at national scale, on
PostgreSQL.

1. Creates a fresh database (default modig_bench_ledger), migrates it, and generates a
   programme over 290 municipalities (the 13 the migration loads and 277 made up), each with
   an administration and 5 units; 300,000 people with 303,000 employments (10 % management,
   1 % with a second employment in a neighbouring municipality), their units and target
   groups; 20 courses (15 with meetings, 5 self-paced); 125,000 sessions with two meetings
   each (1 % of the sessions cancelled, a few meetings after the programme's end); and
   3,000,000 attendance records: each person at both meetings of five sessions, 12 % absent,
   7 % partly present. Plus 200,000 distance completions. Plain INSERT … SELECT over
   generate_series, no Python per row; then VACUUM ANALYZE, as autovacuum would have done
   on a live database.
2. Rebuilds the per-person snapshot (ledger.rebuild) --rebuilds times and times it.
3. Times the ledger's figures as every page and export calls them (training/ledger.py):
   totals (trained people and minutes), trained_people(...).count(), hours_by municipality,
   hours_by staff category, and totals filtered to one municipality (a coordinator's
   dashboard), on each --paths: "snapshot" (current, as after a rebuild) and "live" (from
   the entries, as while the snapshot is stale). One warm-up, then --runs runs each; prints
   median and p95 per figure. Once with the server's work_mem (PostgreSQL's default is 4 MB)
   and once per --work-mem value (SET on the connection, as a reporting role's setting
   would). Writes EXPLAIN (ANALYZE, BUFFERS) of each query to
   bench/results/training_ledger_plans.txt.
4. Drops the database (unless --keep).

    .venv/bin/python bench/training_ledger.py [--people 300000] [--runs 9] [--keep]
        [--work-mem 64MB ...] [--paths snapshot live] [--rebuilds 3]
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from survey_results import drop_database, setup_database, use_bench_environment  # noqa: E402

MUNICIPALITIES = 290
UNITS_PER_MUNICIPALITY = 5
SESSIONS_PER_PERSON = 5  # two meetings each: ten attendance records per person
SEATS = 12  # people per session


def timed(label: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def first_id(cursor, table: str, count: int) -> int:
    """The first id of a table filled by one INSERT in a fresh database; checks the ids run
    without gaps, which the generator's arithmetic relies on."""
    cursor.execute(f"SELECT min(id), max(id), count(*) FROM {table}")  # noqa: S608
    low, high, rows = cursor.fetchone()
    assert rows == count and high - low + 1 == count, (table, low, high, rows, count)
    return low


def generate(people: int):
    """The organisation, the catalogue, sessions, meetings, attendance and completions."""
    import datetime

    from django.db import connection

    from modig.organisation.models import (
        Employment,
        Municipality,
        Occupation,
        Person,
        Programme,
        StaffCategory,
        TargetGroup,
        Unit,
    )
    from modig.organisation.services import create_unit
    from modig.training.models import (
        Attendance,
        Course,
        DistanceCompletion,
        Meeting,
        Session,
    )

    existing = Municipality.objects.count()
    Municipality.objects.bulk_create(
        Municipality(code=f"{9000 + n}", name=f"Benchkommun {n}", county_code="99")
        for n in range(1, MUNICIPALITIES - existing + 1))
    municipalities = list(Municipality.objects.order_by("code"))
    assert len(municipalities) == MUNICIPALITIES
    programme = Programme.objects.create(
        name="Bench", owner_organisation="Bench", starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 10, 31))
    programme.municipalities.set(municipalities)
    units = []  # (municipality index, unit index, unit id)
    started = time.perf_counter()
    for index, municipality in enumerate(municipalities):
        top = create_unit(municipality, name="Vård och omsorg", kind=Unit.Kind.ADMINISTRATION)
        for k in range(UNITS_PER_MUNICIPALITY):
            units.append((index, k, create_unit(municipality, name=f"Enhet {k + 1}",
                                                parent=top).pk))
    print(f"units: {len(units)} in {time.perf_counter() - started:.1f} s", flush=True)

    management = list(Occupation.objects.filter(staff_category=StaffCategory.MANAGEMENT)
                      .order_by("ssyk_code").values_list("pk", flat=True))
    base = list(Occupation.objects.filter(staff_category=StaffCategory.BASE)
                .order_by("ssyk_code").values_list("pk", flat=True))
    groups = dict(TargetGroup.objects.values_list("code", "pk"))
    live = Course.objects.bulk_create(
        Course(programme=programme, code=f"bench-live-{n}", title=f"Kurs {n}",
               format=Course.Format.ON_SITE if n % 2 else Course.Format.REMOTE_LIVE,
               nominal_minutes=270, is_published=True) for n in range(15))
    self_paced = Course.objects.bulk_create(
        Course(programme=programme, code=f"bench-distans-{n}", title=f"Distans {n}",
               format=Course.Format.SELF_PACED, nominal_minutes=45 + 15 * n,
               is_published=True) for n in range(5))

    blocks = math.ceil(people / SEATS)
    sessions = SESSIONS_PER_PERSON * blocks
    t = {model: connection.ops.quote_name(model._meta.db_table) for model in (
        Person, Employment, Attendance, Session, Meeting, DistanceCompletion)}
    unit_links = connection.ops.quote_name(Employment.units.through._meta.db_table)
    group_links = connection.ops.quote_name(Employment.target_groups.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_municipality (n int PRIMARY KEY, id int)")
        cursor.executemany("INSERT INTO bench_municipality VALUES (%s, %s)",
                           [(n, m.pk) for n, m in enumerate(municipalities)])
        cursor.execute("CREATE TEMP TABLE bench_unit (n int, k int, id int, "
                       "PRIMARY KEY (n, k))")
        cursor.executemany("INSERT INTO bench_unit VALUES (%s, %s, %s)", units)

        def run(label, sql, params=()):
            started = time.perf_counter()
            cursor.execute(sql, params)
            print(f"{label}: {cursor.rowcount} rows in {time.perf_counter() - started:.1f} s",
                  flush=True)

        run("people", f"INSERT INTO {t[Person]} (first_name, last_name, email, mobile, "  # noqa: S608
            f"gender, birth_year, identity_number, has_protected_identity, pseudonym, "
            f"created_at, updated_at) SELECT 'Person', 'P' || g, '', '', "
            f"CASE WHEN g %% 8 = 0 THEN 'male' ELSE 'female' END, 1960 + g %% 45, '', false, "
            f"gen_random_uuid(), now(), now() FROM generate_series(0, %s - 1) g ORDER BY g",
            [people])
        person0 = first_id(cursor, t[Person], people)
        # Person n: municipality n % 290, management when n % 10 = 0; one in a hundred also
        # works in the next municipality.
        run("employments", f"INSERT INTO {t[Employment]} (person_id, municipality_id, "  # noqa: S608
            f"employee_id, job_title, occupation_id, staff_category, started_on, is_active, "
            f"created_at, updated_at) "
            f"SELECT %s + g, m.id, g::text, '', CASE WHEN g %% 10 = 0 "
            f"THEN (%s::int[])[1 + g %% %s] ELSE (%s::int[])[1 + g %% %s] END, "
            f"CASE WHEN g %% 10 = 0 THEN 'management' ELSE 'base' END, DATE '2015-01-01', "
            f"true, now(), now() FROM generate_series(0, %s - 1) g "
            f"JOIN bench_municipality m ON m.n = g %% %s "
            f"UNION ALL SELECT %s + g, m.id, 'x' || g, '', (%s::int[])[1], 'base', "
            f"DATE '2020-01-01', true, now(), now() FROM generate_series(0, %s - 1) g "
            f"JOIN bench_municipality m ON m.n = (g + 1) %% %s WHERE g %% 100 = 1",
            [person0, management, len(management), base, len(base), people, MUNICIPALITIES,
             person0, base, people, MUNICIPALITIES])
        run("employment units", f"INSERT INTO {unit_links} (employment_id, unit_id) "  # noqa: S608
            f"SELECT e.id, u.id FROM {t[Employment]} e "
            f"JOIN bench_municipality m ON m.id = e.municipality_id "
            f"JOIN bench_unit u ON u.n = m.n AND u.k = (e.person_id - %s) %% %s",
            [person0, UNITS_PER_MUNICIPALITY])
        run("employment target groups", f"INSERT INTO {group_links} "  # noqa: S608
            f"(employment_id, targetgroup_id) SELECT id, CASE staff_category "
            f"WHEN 'management' THEN %s ELSE %s END FROM {t[Employment]}",
            [groups["operational_manager"], groups["base_staff"]])
        run("sessions", f"INSERT INTO {t[Session]} (course_id, label, place, video_url, "  # noqa: S608
            f"capacity, group_level, status, check_in_secret, created_at) "
            f"SELECT (%s::int[])[1 + g %% %s], '', '', '', 15, 'regular', "
            f"CASE WHEN g %% 100 = 0 THEN 'cancelled' ELSE 'planned' END, md5(g::text), now() "
            f"FROM generate_series(0, %s - 1) g ORDER BY g",
            [[c.pk for c in live], len(live), sessions])
        session0 = first_id(cursor, t[Session], sessions)
        # Two meetings a week apart (150 and 120 minutes), from February 2025 on; the last
        # days fall after the programme's end.
        run("meetings", f"INSERT INTO {t[Meeting]} (session_id, date, starts_at, ends_at) "  # noqa: S608
            f"SELECT %s + s, DATE '2025-02-03' + (s * 37 %% 640) + 7 * k, TIME '09:00', "
            f"CASE k WHEN 0 THEN TIME '11:30' ELSE TIME '11:00' END "
            f"FROM generate_series(0, %s - 1) s CROSS JOIN generate_series(0, 1) k "
            f"ORDER BY s, k", [session0, sessions])
        meeting0 = first_id(cursor, t[Meeting], 2 * sessions)
        # Person p sits in session j * blocks + p / 12 for j = 0..4, at both meetings.
        started = time.perf_counter()
        run("attendance", f"INSERT INTO {t[Attendance]} (meeting_id, person_id, status, "  # noqa: S608
            f"minutes, source, recorded_at) "
            f"SELECT %s + 2 * (j * %s + p / %s) + k, %s + p, "
            f"CASE WHEN h < 12 THEN 'absent' WHEN h < 19 THEN 'partial' ELSE 'present' END, "
            f"CASE WHEN h < 12 THEN 0 WHEN h < 19 THEN 60 WHEN k = 0 THEN 150 ELSE 120 END, "
            f"'roll_call', now() FROM (SELECT p, j, k, (p * 31 + j * 17 + k * 7) %% 100 AS h "
            f"FROM generate_series(0, %s - 1) p CROSS JOIN generate_series(0, %s - 1) j "
            f"CROSS JOIN generate_series(0, 1) k) x",
            [meeting0, blocks, SEATS, person0, people, SESSIONS_PER_PERSON])
        attendance_s = time.perf_counter() - started
        run("distance completions", f"INSERT INTO {t[DistanceCompletion]} (course_id, "  # noqa: S608
            f"person_id, completed_on, confirmed_as, created_at) "
            f"SELECT (%s::int[])[1 + g %% %s], %s + g, DATE '2025-03-01' + g %% 600, 'self', "
            f"now() FROM generate_series(0, %s - 1) g WHERE g %% 3 <> 0",
            [[c.pk for c in self_paced], len(self_paced), person0, people])
        timed("vacuum analyze", cursor.execute, "VACUUM ANALYZE")
    counts = {
        "municipalities": len(municipalities), "units": Unit.objects.count(),
        "people": Person.objects.count(), "employments": Employment.objects.count(),
        "sessions": Session.objects.count(), "meetings": Meeting.objects.count(),
        "attendance": Attendance.objects.count(),
        "distance_completions": DistanceCompletion.objects.count(),
        "attendance_insert_s": round(attendance_s, 1),
    }
    return programme, municipalities, counts


def figures(programme, municipalities) -> dict:
    """Name -> (callable, SQL it runs), as the pages call the ledger."""
    from modig.training import ledger

    one = ledger.LedgerFilter(municipalities=[municipalities[0]])
    return {
        "totals": lambda: ledger.totals(programme),
        "trained_people.count": lambda: ledger.trained_people(programme).count(),
        "hours_by municipality": lambda: ledger.hours_by(programme, "municipality"),
        "hours_by staff_category": lambda: ledger.hours_by(programme, "staff_category"),
        "totals, one municipality": lambda: ledger.totals(programme, one),
    }


class live_path:
    """Figures computed from the entries, as while the snapshot is stale (no rebuild is
    queued by the benchmark's calls)."""

    def __enter__(self):
        from modig.training import ledger

        self.saved = ledger._snapshot_level
        ledger._snapshot_level = lambda programme: 0

    def __exit__(self, *exc):
        from modig.training import ledger

        ledger._snapshot_level = self.saved


class snapshot_path:
    def __enter__(self):
        from modig.training import ledger

        assert ledger.is_current(PROGRAMME[0])

    def __exit__(self, *exc):
        pass


PROGRAMME = []
PATHS = {"snapshot": snapshot_path, "live": live_path}


def time_figure(function, runs: int) -> dict:
    function()  # warm-up (caches, plans)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    times.sort()
    return {"median_ms": round(statistics.median(times) * 1000),
            "p95_ms": round(times[max(0, math.ceil(0.95 * len(times)) - 1)] * 1000),
            "max_ms": round(times[-1] * 1000), "result": result}


def describe(result) -> str:
    if isinstance(result, list):
        return f"{len(result)} rows, first {result[0]}" if result else "0 rows"
    return str(result)


def explain_all(functions: dict, paths: list, out: Path) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL each figure runs, captured while it runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lines = []
    for path in paths:
        for name, function in functions.items():
            with PATHS[path](), CaptureQueriesContext(connection) as captured:
                function()
            for query in captured.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                lines += [f"== {path}: {name}", query["sql"], plan, ""]
    out.write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/modig_bench_ledger")
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--work-mem", nargs="*", default=["64MB"],
                        help="also time the figures with these work_mem settings")
    parser.add_argument("--paths", nargs="+", choices=list(PATHS), default=list(PATHS),
                        help="snapshot: read the per-person snapshot; live: from the entries")
    parser.add_argument("--rebuilds", type=int, default=3, help="times to rebuild the snapshot")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    use_bench_environment(args.database_url, "modig-bench-ledger-")
    report = {"command": " ".join(sys.argv), "people": args.people, "runs": args.runs}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    try:
        setup_database(args.database_url)
        programme, municipalities, report["generated"] = generate(args.people)
        print(json.dumps(report["generated"]), flush=True)
        functions = figures(programme, municipalities)
        from django.db import connection

        from modig.training import ledger

        PROGRAMME.append(programme)
        rebuilds = []
        for _ in range(max(1, args.rebuilds)):
            started = time.perf_counter()
            ledger.rebuild(programme)  # with ANALYZE of the snapshot table, as the task does
            rebuilds.append(round(time.perf_counter() - started, 2))
            print(f"rebuild: {rebuilds[-1]} s", flush=True)
        report["rebuild_s"] = rebuilds
        report["snapshot_rows"] = ledger.LedgerPersonMinutes.objects.filter(
            programme=programme).count()
        report["figures"] = {}
        for work_mem in ["server default", *args.work_mem]:
            if work_mem != "server default":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('work_mem', %s, false)", [work_mem])
            with connection.cursor() as cursor:
                cursor.execute("SHOW work_mem")
                setting = cursor.fetchone()[0]
            for path in args.paths:
                key = f"{path}, work_mem {setting}"
                report["figures"][key] = {}
                for name, function in functions.items():
                    with PATHS[path]():
                        timing = time_figure(function, args.runs)
                    result = describe(timing.pop("result"))
                    report["figures"][key][name] = {**timing, "result": result}
                    print(f"{key}, {name}: median {timing['median_ms']} ms, "
                          f"p95 {timing['p95_ms']} ms, max {timing['max_ms']} ms ({result})",
                          flush=True)
                # The machine is shared: the 1-minute load average after each set of runs.
                load = round(os.getloadavg()[0], 1)
                report.setdefault("load_average", {})[key] = load
                print(f"load average {load}", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")
        explain_all(functions, args.paths, out / "training_ledger_plans.txt")
        print(f"plans: {out / 'training_ledger_plans.txt'}", flush=True)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    (out / "training_ledger.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
