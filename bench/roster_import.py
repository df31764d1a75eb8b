"""Benchmark: preview and commit a generated 50,000-row staff list through the same services
the pages and `modig import-roster` use, against a real database file (SQLite) or PostgreSQL.

    .venv/bin/python bench/roster_import.py                       # SQLite file in a temp dir
    .venv/bin/python bench/roster_import.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For PostgreSQL a fresh database `modig_bench_roster` is created next to the one in the URL and
dropped afterwards. Reports seconds and peak resident memory for: a first import (all new),
a re-import of the same people (nothing changes) and an updated file (10 % changed).
Target (issue 3): preview and commit each under 30 s on the two-core machine.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FIRST = ["Anna", "Maria", "Fatima", "Sara", "Emma", "Lena", "Karin", "Amina", "Johan", "Erik",
         "Ali", "Mohammed", "Åsa", "Björn", "Märta", "Sofia", "Elin", "Ida", "Hassan", "Leyla"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Hussein", "Ahmed", "Öberg", "Ström", "Lindqvist"]
TITLES = ["Undersköterska"] * 10 + ["Vårdbiträde"] * 4 + ["Personlig assistent"] * 3 + [
    "Boendestödjare"] * 2 + ["Sjuksköterska", "Stödpedagog", "Enhetschef"]
HEADER = ["Anställningsnummer", "Förnamn", "Efternamn", "E-post", "Mobil", "Personnummer",
          "Kön", "Befattning", "Förvaltning", "Område", "Enhet", "Startdatum"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(rows: int, seed: int, *, changed_share: float = 0.0) -> bytes:
    from modig.roster.tests.helpers import identity_number

    rng = random.Random(seed)
    change = random.Random(seed + 1)
    lines = [";".join(HEADER)]
    for n in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        admin = "Äldreomsorg" if n % 3 else "Funktionsstöd"
        area = f"Område {n % 12 + 1}"
        unit = f"Enhet {admin[:3]} {n % 180 + 1}"
        title = rng.choice(TITLES)
        mobile = f"070-{rng.randrange(1000000, 9999999)}"
        if change.random() < changed_share:
            title, mobile = "Vårdbiträde", "073" + mobile[3:]
        lines.append(";".join([
            f"E{n:06d}", first, last, f"e{n}@kommun.example", mobile,
            identity_number(n) if n % 2 else "", "K" if n % 4 else "M", title, admin, area, unit,
            f"20{n % 20 + 5:02d}-0{n % 9 + 1}-15",
        ]))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def setup(database_url: str | None):
    var = Path(tempfile.mkdtemp(prefix="modig-bench-roster-"))
    os.environ["MODIG_VAR_DIR"] = str(var)
    admin_url = None
    if database_url:
        import psycopg

        admin_url = database_url
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS modig_bench_roster")
            conn.execute("CREATE DATABASE modig_bench_roster")
        os.environ["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/modig_bench_roster"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return admin_url


def build_units(municipality) -> None:
    """The unit tree the file names: 2 administrations × 12 areas, 180 units each side."""
    from modig.organisation.services import create_unit

    for admin in ("Äldreomsorg", "Funktionsstöd"):
        top = create_unit(municipality, name=admin, kind="administration")
        areas = [create_unit(municipality, name=f"Område {i + 1}", parent=top, kind="area")
                 for i in range(12)]
        for n in range(180):
            create_unit(municipality, name=f"Enhet {admin[:3]} {n + 1}", parent=areas[n % 12])


def run(label: str, municipality, content: bytes, results: list) -> None:
    from modig.roster import services

    started = time.perf_counter()
    roster_import = services.start_import(municipality, file_name=f"{label}.csv",
                                          content=content)
    roster_import = services.save_mapping(roster_import, mapping=roster_import.mapping,
                                          inline=True)
    preview = time.perf_counter() - started
    assert roster_import.errors_count == 0, roster_import.problems[:5]
    started = time.perf_counter()
    roster_import = services.request_commit(roster_import, inline=True)
    commit = time.perf_counter() - started
    assert roster_import.status == "committed", roster_import.failure
    results.append((label, roster_import.rows_total, preview, commit, peak_mb(),
                    roster_import.created_count, roster_import.updated_count,
                    roster_import.unchanged_count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    admin_url = setup(args.database_url or None)
    from django.db import connection

    from modig.organisation.models import Municipality

    ale = Municipality.objects.get(code="1440")
    build_units(ale)
    first = generate(args.rows, seed=1)
    results: list = []
    run("first", ale, first, results)
    same_people = first.replace(b"\r\n", b"\n")  # other bytes, same content
    run("again", ale, same_people, results)
    run("updated", ale, generate(args.rows, seed=1, changed_share=0.1), results)
    vendor = connection.vendor
    print(f"database: {vendor}, rows: {args.rows}, file: {len(first) / 1e6:.1f} MB")
    print(f"{'run':8} {'rows':>7} {'preview s':>10} {'commit s':>9} {'peak MB':>8} "
          f"{'new':>6} {'upd':>6} {'same':>6}")
    for label, rows, preview, commit, peak, created, updated, unchanged in results:
        print(f"{label:8} {rows:7d} {preview:10.1f} {commit:9.1f} {peak:8.0f} "
              f"{created:6d} {updated:6d} {unchanged:6d}")
    worst = max(max(r[2], r[3]) for r in results)
    print(f"slowest step: {worst:.1f} s (target < 30 s): {'OK' if worst < 30 else 'TOO SLOW'}")
    connection.close()
    if admin_url:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS modig_bench_roster")
    sys.exit(0 if worst < 30 else 1)


if __name__ == "__main__":
    main()
