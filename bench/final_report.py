"""Benchmark: the final report (issue 7: "generated in under ten seconds for the demo region";
under 30 seconds at national scale), timed through its public entry points only.

For each region: `reports.finalreport.final_report(programme)` (the totals), then the HTML
page, the PDF and the evaluator's extract as the programme administrator gets them (the URL
names reports:final-report, reports:final-report-pdf and reports:evaluator-extract, through
Django's test client in this process with a session that has passed two-factor
verification, so whatever the views build is what is timed); one warm-up, then --runs runs
each; median and max, and the SQL statements.

- demo: `modig demo` on a fresh SQLite database in a temporary directory (removed at the end).
- national: the region of bench/outcomes_dashboard.py on PostgreSQL (default database
  modig_speed_bench, generated unless kept from an earlier --keep run; the ledger and outcome
  snapshots rebuilt first unless a kept database's are current, as a current snapshot is the
  normal state). Dropped unless --keep.

Each region runs in its own process (one Django settings each).

    .venv/bin/python bench/final_report.py [--regions demo national] [--runs 3] [--keep]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/modig_speed_bench"


def timed(function, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up
    times = []
    for run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        if run == 0:
            queries = len(captured.captured_queries)
    return {"median_ms": round(statistics.median(times) * 1000),
            "max_ms": round(max(times) * 1000), "queries": queries}


def time_report(programme, runs: int) -> dict:
    from django.test import Client
    from django.urls import reverse
    from survey_results import session_for_admin

    from modig.accounts.models import User
    from modig.reports.finalreport import final_report

    User.objects.filter(email="bench-admin@example.com").delete()
    cookie = session_for_admin(programme)
    client = Client()
    name, value = cookie.split("=", 1)
    client.cookies[name] = value

    def get(url_name: str, expect: bytes):
        def fetch():
            response = client.get(reverse(url_name, args=[programme.pk]), secure=True,
                                  HTTP_ACCEPT_LANGUAGE="sv")
            assert response.status_code == 200, (url_name, response.status_code)
            assert expect in response.content[:2000], (url_name, response.content[:300])
            return response
        return fetch

    result = {
        "final_report()": timed(lambda: final_report(programme), runs),
        "HTML page": timed(get("reports:final-report", b"<html"), runs),
        "PDF": timed(get("reports:final-report-pdf", b"%PDF"), runs),
        "evaluator's extract (ZIP)": timed(get("reports:evaluator-extract", b"PK"), runs),
    }
    result["all four"] = {"median_ms": sum(r["median_ms"] for r in result.values())}
    return result


def run_demo(args) -> dict:
    from survey_results import use_bench_environment

    work = use_bench_environment("", "modig-bench-final-demo-",
                                 ALLOWED_HOSTS="127.0.0.1,testserver")
    os.environ.pop("DATABASE_URL")  # SQLite under the var directory
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        generated = round(time.perf_counter() - started, 1)
        from modig.organisation.models import Person, Programme
        from modig.training import ledger

        programme = Programme.objects.order_by("pk").first()
        ledger.rebuild(programme)
        report = {"name": "demo (SQLite)", "generated_s": generated,
                  "people": Person.objects.count(),
                  "trained": ledger.totals(programme).people,
                  "timings": time_report(programme, args.runs)}
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
    return report


def run_national(args) -> dict:
    from outcomes_dashboard import prepare, rebuild, snapshots_current
    from survey_results import drop_database, use_bench_environment

    use_bench_environment(args.database_url, "modig-bench-final-national-",
                          ALLOWED_HOSTS="127.0.0.1,testserver")
    report = {"name": "national (PostgreSQL)"}
    try:
        args.people = 300_000
        programme, _municipality = prepare(args, report)
        if not snapshots_current(programme):
            rebuild(programme, report)
        report["timings"] = time_report(programme, args.runs)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", nargs="+", choices=["demo", "national"],
                        default=["demo", "national"])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true",
                        help="keep the national database afterwards, and use a kept one again")
    parser.add_argument("--only", choices=["demo", "national"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        report = run_demo(args) if args.only == "demo" else run_national(args)
        print("RESULT " + json.dumps(report), flush=True)
        return
    reports = []
    for region in args.regions:
        command = [sys.executable, __file__, "--only", region, "--runs", str(args.runs),
                   "--database-url", args.database_url, *(["--keep"] if args.keep else [])]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(output, end="", flush=True)
        reports.append(json.loads(output.rsplit("RESULT ", 1)[1]))
    summary = {"command": " ".join(sys.argv), "regions": reports,
               "load_average": [round(x, 1) for x in os.getloadavg()]}
    for report in reports:
        for name, timing in report["timings"].items():
            print(f"{report['name']}, {name}: median {timing['median_ms']} ms"
                  + (f", max {timing['max_ms']} ms, {timing['queries']} queries"
                     if "max_ms" in timing else ""), flush=True)
    print(f"load average {summary['load_average']}", flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "final_report.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
