"""Benchmark: the outcome dashboards' figures at national scale, on PostgreSQL.

1. Creates a fresh database (default modig_bench_outcomes) and generates the region of
   bench/training_ledger.py (290 municipalities, 300,000 people, 3,000,000 attendance
   records, 200,000 distance completions), with its generator.
2. Builds every chart of the programme dashboard (outcomes/dashboard.py, as the view does:
   targets, trend, per municipality, staff category, target group, gender, age band, course
   format; no survey rounds in this region) and of one municipality's dashboard; one warm-up,
   then --runs runs; prints median and max per chart and for the whole page's figures.
3. Drops the database (unless --keep).

    .venv/bin/python bench/outcomes_dashboard.py [--people 300000] [--runs 3] [--keep]
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

from survey_results import drop_database, setup_database, use_bench_environment  # noqa: E402


def charts(place) -> dict:
    from modig.outcomes import dashboard

    built = {"total": lambda: dashboard.figures.trained(place.period_programme(),
                                                         place.ledger_filter())}
    if place.kind == dashboard.PROGRAMME:
        built["targets"] = lambda: dashboard.targets_chart(place)
        built["per municipality"] = lambda: dashboard.breakdown_chart(place, "municipality", "")
    else:
        built["per unit"] = lambda: dashboard.breakdown_chart(place, "unit", "")
    built["trend"] = lambda: dashboard.trend_chart(place)
    for group_by in ("staff_category", "target_group", "gender", "age_band", "format"):
        built[group_by] = lambda g=group_by: dashboard.breakdown_chart(place, g, "")
    built["surveys"] = lambda: dashboard.survey_charts(place)
    return built


def time_page(functions: dict, runs: int) -> dict:
    for function in functions.values():
        function()  # warm-up
    per_chart = {name: [] for name in functions}
    pages = []
    for _ in range(runs):
        page_started = time.perf_counter()
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            per_chart[name].append(time.perf_counter() - started)
        pages.append(time.perf_counter() - page_started)
    result = {name: {"median_ms": round(statistics.median(t) * 1000),
                     "max_ms": round(max(t) * 1000)} for name, t in per_chart.items()}
    result["whole page"] = {"median_ms": round(statistics.median(pages) * 1000),
                            "max_ms": round(max(pages) * 1000)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/modig_bench_outcomes")
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    use_bench_environment(args.database_url, "modig-bench-outcomes-")
    report = {"command": " ".join(sys.argv), "people": args.people, "runs": args.runs}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    try:
        setup_database(args.database_url)
        from training_ledger import generate

        programme, municipalities, report["generated"] = generate(args.people)
        print(json.dumps(report["generated"]), flush=True)
        from django.utils import translation

        from modig.outcomes.dashboard import MUNICIPALITY, PROGRAMME, Place

        translation.activate("sv")
        places = {"programme": Place(PROGRAMME, programme, may_see_records=True),
                  "one municipality": Place(MUNICIPALITY, programme,
                                            municipality=municipalities[0],
                                            may_see_records=True)}
        report["dashboards"] = {}
        for label, place in places.items():
            timing = time_page(charts(place), args.runs)
            report["dashboards"][label] = timing
            for name, figures in timing.items():
                print(f"{label}, {name}: median {figures['median_ms']} ms, "
                      f"max {figures['max_ms']} ms", flush=True)
        report["load_average"] = round(os.getloadavg()[0], 1)
        print(f"load average {report['load_average']}", flush=True)
    finally:
        if not args.keep:
            drop_database(args.database_url)
    (out / "outcomes_dashboard.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
