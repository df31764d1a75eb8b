"""Benchmark: the outcome dashboards at national scale, on PostgreSQL.

1. Creates a fresh database (default modig_speed_bench) and generates the region of
   bench/training_ledger.py (290 municipalities, 300,000 people, 3,000,000 attendance
   records, 200,000 distance completions) with its generator, plus two pseudonymous survey
   rounds of all 300,000 people (baseline and paired follow-up, 25 ratings each: 15 million
   answers; bench/survey_results.py's `rounds_for_people`). With --keep the database is kept
   afterwards, and a kept database is used again (migrated, not regenerated).
2. Rebuilds the ledger snapshot (training.ledger.rebuild) and the outcome snapshots
   (outcomes.figures.rebuild_improvement: the paired improvement of each follow-up round),
   each timed, then VACUUM ANALYZE; a kept database whose snapshots are current is not
   rebuilt (unless --rebuild). The figures below are "cold": the snapshots current, no cache
   of a page or figure.
3. Figures: builds every chart of the programme dashboard and of one municipality's
   (outcomes/dashboard.py, as the view builds them); one warm-up, then --runs runs; prints
   median and max per chart, for the whole page, and the SQL statements per page.
4. HTTP: starts `.venv/bin/modig serve` (MODIG_PRODUCTION=1, DEBUG off) on a free 127.0.0.1
   port, signs in a programme administrator (a session that has passed two-factor
   verification), and GETs the programme dashboard and one municipality's --requests times
   each after a warm-up; median and p95. The queries per page are counted in this process
   with Django's test client and the same session. The server is stopped by its pid.
5. Drops the database (unless --keep).

    .venv/bin/python bench/outcomes_dashboard.py [--people 300000] [--runs 3]
        [--requests 10] [--keep] [--skip-http] [--skip-figures]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from survey_results import (  # noqa: E402
    Server,
    drop_database,
    free_port,
    setup_database,
    use_bench_environment,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/modig_speed_bench"
ADMIN_EMAIL = "bench-admin@example.com"


def database_exists(database_url: str) -> bool:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [name]).fetchone() is not None


def prepare(args, report: dict):
    """The region (generated, or the kept one), migrated; returns (programme, municipality)."""
    reuse = args.keep and database_exists(args.database_url)
    if reuse:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from modig.organisation.models import Programme

        programme = Programme.objects.filter(name="Bench").first()
        reuse = programme is not None and programme.survey_rounds.count() == 2
    if not reuse:
        setup_database(args.database_url)
        from survey_results import rounds_for_people
        from training_ledger import generate

        programme, _municipalities, report["generated"] = generate(args.people)
        started = time.perf_counter()
        rounds_for_people(programme)
        report["generated"]["survey_rounds_s"] = round(time.perf_counter() - started, 1)
        print(json.dumps(report["generated"]), flush=True)
        vacuum()
    from modig.organisation.models import Person
    from modig.surveys.models import Answer, Response

    report["region"] = {
        "municipalities": programme.municipalities.count(),
        "people": Person.objects.count(),
        "responses": Response.objects.filter(round__programme=programme).count(),
        "answers": Answer.objects.filter(response__round__programme=programme).count(),
        "reused": reuse,
    }
    print(json.dumps(report["region"]), flush=True)
    municipality = programme.municipalities.order_by("code").first()
    return programme, municipality


def vacuum() -> None:
    """VACUUM ANALYZE, as autovacuum would have done on a live database (index-only scans
    need the visibility map)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"vacuum analyze: {time.perf_counter() - started:.1f} s", flush=True)


def rebuild(programme, report: dict) -> None:
    from modig.outcomes import figures
    from modig.training import ledger

    started = time.perf_counter()
    ledger.rebuild(programme)
    report["ledger_rebuild_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    for follow_up in programme.survey_rounds.filter(baseline__isnull=False):
        figures.rebuild_improvement(follow_up)
    report["outcome_snapshots_s"] = round(time.perf_counter() - started, 1)
    vacuum()
    print(f"ledger rebuild {report['ledger_rebuild_s']} s, outcome snapshots "
          f"{report['outcome_snapshots_s']} s", flush=True)


def snapshots_current(programme) -> bool:
    """Whether a kept database's snapshots are all current (then they are not rebuilt)."""
    from modig.outcomes import figures
    from modig.training import ledger

    return ledger._snapshot_level(programme) == 2 and all(
        figures.improvement_is_current(r)
        for r in programme.survey_rounds.filter(baseline__isnull=False))


def charts(kind: str) -> dict:
    """The charts in the order the view builds them, each a function of the page's Place (a
    fresh Place per page, as per request: the page's breakdowns come from the first chart
    that needs them, so "targets" carries their one pass and the breakdowns after it are
    read from the page's place)."""
    from modig.outcomes import dashboard

    built = {}
    if kind == dashboard.PROGRAMME:
        built["targets (+ the page's breakdowns)"] = dashboard.targets_chart
    built["trend"] = dashboard.trend_chart
    if kind == dashboard.PROGRAMME:
        built["per municipality"] = lambda p: dashboard.breakdown_chart(p, "municipality", "")
    else:
        built["per unit (+ the page's breakdowns)"] = lambda p: dashboard.breakdown_chart(
            p, "unit", "")
    for group_by in ("staff_category", "target_group", "gender", "age_band", "format"):
        built[group_by] = lambda p, g=group_by: dashboard.breakdown_chart(p, g, "")
    built["surveys"] = dashboard.survey_charts
    built["managers"] = dashboard.manager_charts
    built["total (the view's headline)"] = lambda p: dashboard.figures.trained(
        p.period_programme(), p.ledger_filter())
    return built


def time_page(new_place, functions: dict, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = new_place()
    for function in functions.values():
        function(warm)  # warm-up
    per_chart = {name: [] for name in functions}
    pages = []
    for run in range(runs):
        place = new_place()
        page_started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            for name, function in functions.items():
                started = time.perf_counter()
                function(place)
                per_chart[name].append(time.perf_counter() - started)
        pages.append(time.perf_counter() - page_started)
        if run == 0:
            queries = len(captured.captured_queries)
    result = {name: {"median_ms": round(statistics.median(t) * 1000),
                     "max_ms": round(max(t) * 1000)} for name, t in per_chart.items()}
    result["whole page"] = {"median_ms": round(statistics.median(pages) * 1000),
                            "max_ms": round(max(pages) * 1000), "queries": queries}
    return result


def admin_session(programme) -> str:
    """A programme administrator's two-factor-verified session (the kept database's user is
    replaced, so a rerun signs in afresh)."""
    from survey_results import session_for_admin

    from modig.accounts.models import User

    User.objects.filter(email=ADMIN_EMAIL).delete()
    return session_for_admin(programme)


def count_queries(cookie: str, path: str) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    client.get(path, secure=True)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    assert name == settings.SESSION_COOKIE_NAME
    return len(captured.captured_queries)


def time_http(programme, municipality, args, work: Path, report: dict) -> None:
    from django.db import connections
    from django.urls import reverse
    from survey_results import time_gets

    paths = {"programme": reverse("outcomes:programme"),
             "one municipality": reverse("outcomes:municipality", args=[municipality.code])}
    cookie = admin_session(programme)
    report["queries_per_page"] = {label: count_queries(cookie, path)
                                  for label, path in paths.items()}
    connections.close_all()
    port = free_port()
    server = Server(dict(os.environ, MODIG_PRODUCTION="1", MODIG_DEBUG="0",
                         MODIG_BIND=f"127.0.0.1:{port}", MODIG_WORKERS=str(args.workers),
                         MODIG_STATIC_ROOT=str(work / "static"), MODIG_HSTS_SECONDS="0",
                         ALLOWED_HOSTS="127.0.0.1"),
                    port, work / "server.log")
    try:
        server.start()
        report["http"] = {}
        for label, path in paths.items():
            timing = time_gets(port, cookie, path, args.requests)
            timing["queries"] = report["queries_per_page"][label]
            report["http"][label] = timing
            print(f"HTTP {label} {path}: median {timing['median_ms']} ms, p95 "
                  f"{timing['p95_ms']} ms, max {timing['max_ms']} ms, {timing['queries']} "
                  f"queries ({timing['bytes']} bytes)", flush=True)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true",
                        help="keep the database afterwards, and use a kept one again")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the snapshots even when a kept database's are current")
    parser.add_argument("--skip-figures", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--prepare-only", action="store_true",
                        help="generate (or migrate) the region and stop")
    args = parser.parse_args()
    work = use_bench_environment(args.database_url, "modig-bench-outcomes-",
                                 ALLOWED_HOSTS="127.0.0.1,testserver")
    report = {"command": " ".join(sys.argv), "people": args.people, "runs": args.runs}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    try:
        programme, municipality = prepare(args, report)
        if args.prepare_only:
            return
        if args.rebuild or not snapshots_current(programme):
            rebuild(programme, report)
        from django.utils import translation

        from modig.outcomes.dashboard import MUNICIPALITY, PROGRAMME, Place

        translation.activate("sv")
        if not args.skip_figures:
            places = {"programme": (PROGRAMME, lambda: Place(
                PROGRAMME, programme, may_see_records=True)),
                "one municipality": (MUNICIPALITY, lambda: Place(
                    MUNICIPALITY, programme, municipality=municipality, may_see_records=True))}
            report["dashboards"] = {}
            for label, (kind, new_place) in places.items():
                timing = time_page(new_place, charts(kind), args.runs)
                report["dashboards"][label] = timing
                for name, figures in timing.items():
                    print(f"{label}, {name}: median {figures['median_ms']} ms, "
                          f"max {figures['max_ms']} ms", flush=True)
                print(f"{label}: {timing['whole page']['queries']} queries", flush=True)
        if not args.skip_http:
            time_http(programme, municipality, args, work, report)
        report["load_average"] = [round(x, 1) for x in os.getloadavg()]
        print(f"load average {report['load_average']}", flush=True)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    (out / "outcomes_dashboard.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
