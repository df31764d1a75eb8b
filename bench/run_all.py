"""Run every benchmark in bench/ one after the other (`make bench`); each prints its own table.

    .venv/bin/python bench/run_all.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

The roster benchmark runs on SQLite and then on the PostgreSQL server given; the survey
benchmarks create and drop their own databases on 127.0.0.1:5432 (see their --help).
Figures go into docs/performance.md.
"""

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=POSTGRES,
                        help="PostgreSQL for the roster benchmark's second run")
    args = parser.parse_args()
    runs = [
        ["roster_import.py"],
        ["roster_import.py", "--database-url", args.database_url],
        ["survey_campaign.py", "--kill"],
        ["survey_results.py"],
    ]
    failed = []
    for run in runs:
        print(f"== {' '.join(run)}", flush=True)
        code = subprocess.call([sys.executable, str(BENCH / run[0]), *run[1:]])
        if code:
            failed.append(run[0])
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
