"""Benchmark: the results page of a survey round with 300,000 respondents, on PostgreSQL,
served by the production server command.

1. Creates a fresh database (default modig_bench_results), migrates it, and generates a
   programme of 6 municipalities, each with an administration, 4 areas and 12 units per area
   (294 units), and one round whose 300,000 submitted responses rate 25 items each
   (7.5 million answers): plain INSERT … SELECT over generate_series, no Python per row.
   Occupations (4), target groups (3) and ratings are spread pseudo-randomly.
2. Builds the results snapshot (surveys.results_snapshot.build_snapshot) and times it.
3. Starts `.venv/bin/modig serve` (MODIG_PRODUCTION=1, DEBUG off) on a free 127.0.0.1 port,
   signs in a programme administrator whose session has passed two-factor verification
   (a session made in the database with a confirmed TOTP device, as the 2FA form would),
   and times ~20 GETs of each results view: the whole programme, one municipality compared by
   occupation, and one unit narrowed to an occupation. Prints median and p95 per view.
   With --follow-up, a paired follow-up round of the same 300,000 people is generated too and
   its page is timed (it also reads the baseline and the paired changes).
4. Stops the server by pid and drops the database (unless --keep).

    .venv/bin/python bench/survey_results.py [--respondents 300000] [--requests 20]
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_bench_environment(database_url: str, prefix: str, **extra: str) -> Path:
    """The environment a benchmark's Django runs in: its database, a fresh secret key and a
    var directory of its own (returned), production logging quietened."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update({
        "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(50),
        "MODIG_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "modig.settings",
        "LOG_LEVEL": "WARNING", **extra,
    })
    return work


def setup_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop_database(database_url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(respondents: int):
    """The organisation and one round of `respondents` submitted responses."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from modig.organisation.models import Municipality, Occupation, Programme, TargetGroup, Unit
    from modig.organisation.services import create_unit
    from modig.surveys.models import Answer, Item, Response
    from modig.surveys.tests.factories import make_questionnaire, make_round

    programme = Programme.objects.create(
        name="Bench", owner_organisation="Bench", starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31))
    municipalities = list(Municipality.objects.order_by("code")[:6])
    programme.municipalities.set(municipalities)
    leaves = []
    for municipality in municipalities:
        top = create_unit(municipality, name=f"Vård och omsorg {municipality.name}",
                          parent=None, kind=Unit.Kind.ADMINISTRATION)
        for a in range(4):
            area = create_unit(municipality, name=f"Område {a + 1}", parent=top,
                               kind=Unit.Kind.AREA)
            for u in range(12):
                leaves.append(create_unit(municipality, name=f"Enhet {a + 1}.{u + 1}",
                                          parent=area))
    # One item per DigComp competence (21) and four more: 25 ratings, as the default form.
    questionnaire = make_questionnaire(code="bench", items_per_area=6, background=False)
    extra = list(Item.objects.filter(questionnaire=questionnaire).order_by("position")[:4])
    for position, item in enumerate(extra, start=100):
        Item.objects.create(questionnaire=questionnaire, position=position,
                            kind=Item.Kind.RATING, competence=item.competence,
                            text_sv=f"{item.text_sv} (igen)")
    items = list(Item.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    round_ = make_round(programme, questionnaire, name="Bench 300k", min_group_size=5)
    occupations = list(Occupation.objects.order_by("ssyk_code").values_list("pk", flat=True)[:4])
    target_groups = list(TargetGroup.objects.order_by("code").values_list("pk", flat=True)[:3])
    response, answer = Response._meta.db_table, Answer._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_leaf (n int PRIMARY KEY, unit_id int, "
                       "municipality_id int)")
        cursor.executemany("INSERT INTO bench_leaf VALUES (%s, %s, %s)",
                           [(i, u.pk, u.municipality_id) for i, u in enumerate(leaves)])
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {response} (round_id, respondent_key, municipality_id, unit_id, "  # noqa: S608
            f"occupation_id, target_group_id, staff_category, current_page, started_at, "
            f"updated_at, submitted_at) "
            f"SELECT %s, gen_random_uuid(), l.municipality_id, l.unit_id, "
            f"(%s::int[])[1 + ((g / 294) * 7) %% 4], (%s::int[])[1 + ((g / 1176) * 13) %% 3], "
            f"'', 0, %s, %s, %s "
            f"FROM generate_series(0, %s - 1) g "
            f"JOIN bench_leaf l ON l.n = (g * 31) %% %s",
            [round_.pk, occupations, target_groups, now, now, now, respondents, len(leaves)])
        print(f"responses: {respondents} in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        # Ratings 0-5, higher more often, shifted a little per unit and item.
        cursor.execute(
            f"INSERT INTO {answer} (response_id, item_id, value) "  # noqa: S608
            f"SELECT r.id, i, CASE WHEN (r.id * 7 + i * 3) %% 17 = 0 THEN 0 "
            f"ELSE 1 + ((r.id * 11 + i * 5 + r.unit_id) %% 97) %% 5 END "
            f"FROM {response} r CROSS JOIN unnest(%s::int[]) i WHERE r.round_id = %s",
            [items, round_.pk])
        print(f"answers: {respondents * len(items)} in {time.perf_counter() - started:.1f} s",
              flush=True)
        cursor.execute("ANALYZE")
    return round_, municipalities, leaves, occupations


def follow_up_of(baseline):
    """A pseudonymous follow-up of the same people (same keys and places), each rating one
    step higher where they could, so the page also compares and pairs 300,000 people."""
    from django.db import connection
    from django.utils import timezone

    from modig.surveys.models import Answer, Response, Round
    from modig.surveys.tests.factories import make_round

    round_ = make_round(baseline.programme, baseline.questionnaire, name="Bench follow-up",
                        kind=Round.Kind.FOLLOW_UP, baseline=baseline, min_group_size=5)
    response, answer = Response._meta.db_table, Answer._meta.db_table
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {response} (round_id, respondent_key, municipality_id, unit_id, "  # noqa: S608
            f"occupation_id, target_group_id, staff_category, current_page, started_at, "
            f"updated_at, submitted_at) SELECT %s, respondent_key, municipality_id, unit_id, "
            f"occupation_id, target_group_id, '', 0, %s, %s, %s FROM {response} "
            f"WHERE round_id = %s", [round_.pk, now, now, now, baseline.pk])
        cursor.execute(
            f"INSERT INTO {answer} (response_id, item_id, value) "  # noqa: S608
            f"SELECT f.id, a.item_id, CASE WHEN a.value = 0 THEN 0 "
            f"ELSE LEAST(5, a.value + 1) END FROM {answer} a "
            f"JOIN {response} b ON b.id = a.response_id "
            f"JOIN {response} f ON f.respondent_key = b.respondent_key AND f.round_id = %s "
            f"WHERE b.round_id = %s", [round_.pk, baseline.pk])
        cursor.execute("ANALYZE")
    print(f"follow-up: in {time.perf_counter() - started:.1f} s", flush=True)
    return round_


def rounds_for_people(programme, *, follow_up_share: int = 100):
    """Two pseudonymous rounds (baseline and paired follow-up) of a programme whose people
    exist already (bench/training_ledger.py's region): every person invited and answering
    both, keyed by their pseudonym (so improvement pairs with the ledger's hours), placed at
    their first employment; 25 ratings each, as `generate`. The follow-up moves each rating
    by -1, 0, +1 or +2 steps (pseudo-randomly per person and item, within 1..5), so some
    people improve and some do not. Returns (baseline, follow_up)."""
    from django.db import connection
    from django.utils import timezone

    from modig.organisation.models import Employment, Person
    from modig.surveys.models import Answer, Invitation, Item, Response, Round
    from modig.surveys.tests.factories import make_questionnaire, make_round

    questionnaire = make_questionnaire(code="bench-rounds", items_per_area=6, background=False)
    extra = list(Item.objects.filter(questionnaire=questionnaire).order_by("position")[:4])
    for position, item in enumerate(extra, start=100):
        Item.objects.create(questionnaire=questionnaire, position=position,
                            kind=Item.Kind.RATING, competence=item.competence,
                            text_sv=f"{item.text_sv} (igen)")
    items = list(Item.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    baseline = make_round(programme, questionnaire, name="Nulägesmätning (bench)",
                          min_group_size=5)
    follow_up = make_round(programme, questionnaire, name="Uppföljning (bench)",
                           kind=Round.Kind.FOLLOW_UP, baseline=baseline, min_group_size=5)
    response, answer = Response._meta.db_table, Answer._meta.db_table
    invitation, person = Invitation._meta.db_table, Person._meta.db_table
    employment = Employment._meta.db_table
    unit_links = Employment.units.through._meta.db_table
    group_links = Employment.target_groups.through._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        # Each person's first employment with its first unit and target group.
        cursor.execute(
            f"CREATE TEMP TABLE bench_place AS SELECT DISTINCT ON (e.person_id) "  # noqa: S608
            f"e.person_id, p.pseudonym, e.municipality_id, u.unit_id, e.occupation_id, "
            f"t.targetgroup_id, e.staff_category FROM {employment} e "
            f"JOIN {person} p ON p.id = e.person_id "
            f"LEFT JOIN {unit_links} u ON u.employment_id = e.id "
            f"LEFT JOIN {group_links} t ON t.employment_id = e.id "
            f"ORDER BY e.person_id, e.id, u.unit_id, t.targetgroup_id")
        for round_, share in ((baseline, 100), (follow_up, follow_up_share)):
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO {invitation} (round_id, person_id, municipality_id, unit_id, "  # noqa: S608
                f"salt, token_digest, short_code_digest, channel, sent_at, reminders_sent, "
                f"submitted_at, created_at) SELECT %s, person_id, municipality_id, unit_id, "
                f"'', md5(%s || '-t-' || person_id), md5(%s || '-c-' || person_id), 'email', "
                f"%s, 0, CASE WHEN person_id %% 100 < %s THEN %s::timestamptz END, %s "
                f"FROM bench_place", [round_.pk, round_.pk, round_.pk, now, share, now, now])
            cursor.execute(
                f"INSERT INTO {response} (round_id, respondent_key, municipality_id, unit_id, "  # noqa: S608
                f"occupation_id, target_group_id, staff_category, current_page, started_at, "
                f"updated_at, submitted_at) SELECT %s, pseudonym, municipality_id, unit_id, "
                f"occupation_id, targetgroup_id, staff_category, 0, %s, %s, %s "
                f"FROM bench_place WHERE person_id %% 100 < %s",
                [round_.pk, now, now, now, share])
            print(f"{round_.name}: {cursor.rowcount} responses and invitations in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {answer} (response_id, item_id, value) "  # noqa: S608
            f"SELECT r.id, i, CASE WHEN (r.id * 7 + i * 3) %% 17 = 0 THEN 0 "
            f"ELSE 1 + ((r.id * 11 + i * 5 + r.unit_id) %% 97) %% 5 END "
            f"FROM {response} r CROSS JOIN unnest(%s::int[]) i WHERE r.round_id = %s",
            [items, baseline.pk])
        cursor.execute(
            f"INSERT INTO {answer} (response_id, item_id, value) "  # noqa: S608
            f"SELECT f.id, a.item_id, CASE WHEN a.value = 0 THEN 0 ELSE GREATEST(1, LEAST(5, "
            f"a.value + (abs(hashtext(f.respondent_key::text)) %% 4 + a.item_id) %% 4 - 1)) END "
            f"FROM {answer} a JOIN {response} b ON b.id = a.response_id "
            f"JOIN {response} f ON f.respondent_key = b.respondent_key AND f.round_id = %s "
            f"WHERE b.round_id = %s", [follow_up.pk, baseline.pk])
        print(f"answers of both rounds in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute("DROP TABLE bench_place")
        cursor.execute("ANALYZE")
    return baseline, follow_up


def session_for_admin(programme) -> str:
    """A programme administrator's session that has passed two-factor verification."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from modig.accounts.models import Role, RoleAssignment, User

    user = User.objects.create_user("bench-admin@example.com", secrets.token_urlsafe(16),
                                    full_name="Bench Admin")
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_ADMIN, programme=programme)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "modig.accounts.backends.EmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["otp_device_id"] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Server:
    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def start(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(ROOT / ".venv/bin/modig"), "serve"], env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"modig serve exited; see {self.log}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("modig serve did not answer /healthz")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: only our processes
            # (modig serve passes it on to Granian and the worker, once each)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                # modig serve runs Granian and the worker in process groups of their own:
                # kill the whole tree, not only this session's group.
                from survey_campaign import process_tree

                for pid in process_tree(self.process.pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait(10)


def time_gets(port: int, cookie: str, path: str, count: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    conn.request("GET", path, headers=headers)  # warm-up (and the check that it works)
    first = conn.getresponse()
    body = first.read().decode()
    if first.status != 200 or "svar" not in body:
        raise RuntimeError(f"{path}: {first.status} {body[:300]}")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        assert response.status == 200, response.status
    times.sort()
    return {"path": path, "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)] * 1000, 1),
            "max_ms": round(times[-1] * 1000, 1), "bytes": len(body.encode())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/modig_bench_results")
    parser.add_argument("--respondents", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--follow-up", action="store_true",
                        help="also a paired follow-up round of the same people; time its page")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modig-bench-results-"))
    os.environ.update({
        "DATABASE_URL": args.database_url, "SECRET_KEY": secrets.token_urlsafe(50),
        "MODIG_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "modig.settings",
        "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
    })
    port = free_port()
    server = Server(dict(os.environ, MODIG_PRODUCTION="1", MODIG_DEBUG="0",
                         MODIG_BIND=f"127.0.0.1:{port}", MODIG_WORKERS=str(args.workers),
                         MODIG_STATIC_ROOT=str(work / "static"), MODIG_HSTS_SECONDS="0"),
                    port, work / "server.log")
    report = {"command": " ".join(sys.argv), "respondents": args.respondents,
              "follow_up": args.follow_up}
    try:
        setup_database(args.database_url)
        round_, municipalities, leaves, occupations = generate(args.respondents)
        from modig.surveys.results_snapshot import build_snapshot

        started = time.perf_counter()
        snapshot = build_snapshot(round_)
        report["snapshot_build_s"] = round(time.perf_counter() - started, 1)
        from modig.surveys.models import ResultCount, ResultGroup

        if args.follow_up:
            round_ = follow_up_of(round_)
            started = time.perf_counter()
            build_snapshot(round_)
            report["follow_up_snapshot_build_s"] = round(time.perf_counter() - started, 1)
            print(f"follow-up snapshot in {report['follow_up_snapshot_build_s']} s", flush=True)
        report["snapshot_rows"] = {
            "groups": ResultGroup.objects.filter(round=round_).count(),
            "counts": ResultCount.objects.filter(round=round_).count()}
        print(f"snapshot: {snapshot.responses} responses, {report['snapshot_rows']} rows in "
              f"{report['snapshot_build_s']} s", flush=True)
        cookie = session_for_admin(round_.programme)
        from django.db import connections
        connections.close_all()
        server.start()
        base = f"/enkater/omgangar/{round_.pk}/resultat/"
        area = leaves[0].parent
        views = [
            base,
            f"{base}?plats=k{municipalities[0].pk}&per=yrke",
            f"{base}?plats=e{area.pk}&yrke={occupations[0]}",
        ]
        report["views"] = [time_gets(port, cookie, path, args.requests) for path in views]
        for view in report["views"]:
            print(f"{view['path']}: median {view['median_ms']} ms, p95 {view['p95_ms']} ms, "
                  f"max {view['max_ms']} ms ({view['bytes']} bytes)", flush=True)
    finally:
        server.stop()
        if not args.keep:
            drop_database(args.database_url)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "survey_results_follow_up" if args.follow_up else "survey_results"
    (out / f"{name}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
