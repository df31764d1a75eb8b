"""Benchmark: the final report (HTML page and PDF) and the evaluator's extract for the demo
region, on a fresh SQLite database.

1. Makes an empty var/ directory (default /tmp/modig-bench-final), runs `modig migrate` and
   `modig demo` there (skipped with --reuse when the database is already there).
2. Signs the demo's programme administrator in with Django's test client and fetches
   /rapporter/<programme>/slutrapport/, slutrapport.pdf and utvardering.zip: one warm-up,
   then --runs runs each; prints the median and max seconds and the size.

    .venv/bin/python bench/final_report.py [--var /tmp/modig-bench-final] [--runs 3] [--reuse]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "modig-bench-final"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    var = Path(args.var)
    env = {**os.environ, "MODIG_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    os.environ.update({"MODIG_VAR_DIR": str(var)})
    os.environ.pop("DATABASE_URL", None)
    modig = str(ROOT / ".venv" / "bin" / "modig")
    if not (args.reuse and (var / "modig.sqlite3").exists()):
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        subprocess.run([modig, "migrate", "--noinput"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        subprocess.run([modig, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"demo generated in {time.perf_counter() - started:.1f} s")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modig.settings")
    import django

    django.setup()
    from django.test import Client

    from conftest import sign_in
    from modig.accounts.models import User
    from modig.organisation.models import Programme

    programme = Programme.objects.order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="sv")
    sign_in(client, User.objects.get(email="admin@modig.demo"))
    print(f"load average: {os.getloadavg()[0]:.1f}")
    for name, url in [("final report HTML", f"/rapporter/{programme.pk}/slutrapport/"),
                      ("final report PDF", f"/rapporter/{programme.pk}/slutrapport.pdf"),
                      ("evaluator's extract ZIP", f"/rapporter/{programme.pk}/utvardering.zip")]:
        times, size = [], 0
        for run in range(args.runs + 1):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
            if run:
                times.append(elapsed)
            else:
                first = elapsed
        print(f"{name}: first {first:.2f} s, then median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s, {size:,} bytes")


if __name__ == "__main__":
    main()
