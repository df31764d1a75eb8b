"""Benchmark: import a generated 2,000-participant Teams attendance report for one meeting and
match it against a region's staff, through the same functions the import pages use.

    .venv/bin/python bench/attendance_import.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/attendance_import.py            # SQLite file in a temp dir

For PostgreSQL a fresh database `modig_bench_attendance` is created next to the one in the URL
and dropped afterwards. The region: 40,000 people employed in Ale and Tjörn (names drawn from
short lists, so some share a name, as in life); a session in Ale with 1,900 enrolled. The file
(UTF-16, Teams' sectioned layout, everyone leaving and rejoining once) has 2,000 people: 1,700
enrolled who carry their e-mail, 150 enrolled under "Efternamn, Förnamn" without e-mail, 50 Ale
staff who are not enrolled, 100 guests. Reported: upload (read + check + store), matching, the
review page (GET, rendered), commit (all rows decided), and a second upload + commit of the
same file (nothing changes). Target (issue 5): import and match under 5 s.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PEOPLE = 40_000
ENROLLED = 1_900
FIRST = ["Anna", "Maria", "Fatima", "Sara", "Emma", "Lena", "Karin", "Amina", "Johan", "Erik",
         "Ali", "Mohammed", "Åsa", "Björn", "Märta", "Sofia", "Elin", "Ida", "Hassan", "Leyla",
         "Nils", "Omar", "Greta", "Ebba", "Yusuf", "Hanna", "Linnea", "Tove", "Samir", "Vera"]
LAST_START = ["Berg", "Lind", "Sjö", "Ek", "Holm", "Björk", "Strand", "Dahl", "Fors", "Ås",
              "Malm", "Hed", "Ny", "Sand", "Öst", "Väst", "Lund", "Ström", "Vik", "Hag"]
LAST_END = ["gren", "berg", "lund", "ström", "qvist", "man", "ling", "blad", "dahl", "holm",
            "ros", "by", "sten", "vall", "ek", "mark", "stedt", "näs", "hed", "torp"]
MEETING_DAY = datetime.date(2025, 3, 4)


def setup(database_url: str | None) -> str | None:
    var = Path(tempfile.mkdtemp(prefix="modig-bench-attendance-"))
    os.environ["MODIG_VAR_DIR"] = str(var)
    admin_url = None
    if database_url:
        import psycopg

        admin_url = database_url
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS modig_bench_attendance")
            conn.execute("CREATE DATABASE modig_bench_attendance")
        os.environ["DATABASE_URL"] = (database_url.rsplit("/", 1)[0]
                                      + "/modig_bench_attendance")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return admin_url


def build_region(rng: random.Random):
    """Programme, 40,000 people with employments in Ale and Tjörn, a session with 1,900."""
    from modig.accounts.models import Role, RoleAssignment, User
    from modig.organisation.models import Employment, Municipality, Person, Programme
    from modig.training.models import Enrolment
    from modig.training.tests.factories import make_course, make_session, meeting

    ale, tjorn = Municipality.objects.get(code="1440"), Municipality.objects.get(code="1419")
    programme = Programme.objects.create(
        name="Modig", owner_organisation="GR", starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31))
    programme.municipalities.set([ale, tjorn])
    people = Person.objects.bulk_create([
        Person(first_name=rng.choice(FIRST),
               last_name=rng.choice(LAST_START) + rng.choice(LAST_END),
               email=f"p{n}@kommun.example", birth_year=1970 + n % 40)
        for n in range(PEOPLE)], batch_size=2000)
    Employment.objects.bulk_create([
        Employment(person=person, municipality=ale if n % 2 == 0 else tjorn,
                   employee_id=f"E{n:06d}")
        for n, person in enumerate(people)], batch_size=2000)
    ale_people = people[0::2]
    course = make_course(programme, format="remote_live", title="Trygg i Teams")
    session = make_session(course, municipality=ale, capacity=ENROLLED + 100,
                           meetings=[meeting(MEETING_DAY, "09:00", "12:00")])
    Enrolment.objects.bulk_create([
        Enrolment(session=session, person=person, status=Enrolment.Status.ENROLLED,
                  source=Enrolment.Source.COORDINATOR)
        for person in ale_people[:ENROLLED]], batch_size=2000)
    admin = User.objects.create_user("admin@gr.example", "bench-password-123")
    RoleAssignment.objects.create(user=admin, role=Role.PROGRAMME_ADMIN, programme=programme)
    return session, ale_people, admin


def report(ale_people, rng: random.Random) -> bytes:
    """The Teams report: 2,000 people, each in twice (left and rejoined)."""
    def at(minutes: int, seconds: int) -> str:
        moment = datetime.datetime.combine(MEETING_DAY, datetime.time(9)) + datetime.timedelta(
            minutes=minutes, seconds=seconds)
        return f"{moment:%Y-%m-%d %H:%M:%S}"

    rows = []
    for person in ale_people[:1700]:
        rows.append((f"{person.first_name} {person.last_name}", person.email))
    for person in ale_people[1700:1850]:
        rows.append((f"{person.last_name}, {person.first_name}", ""))
    for person in ale_people[ENROLLED:ENROLLED + 50]:
        rows.append((f"{person.first_name} {person.last_name}", ""))
    for n in range(100):
        rows.append((f"Gäst {n} (Guest)", f"gast{n}@extern.example"))
    summary = ["1. Sammanfattning", "Mötesrubrik\tTrygg i Teams", f"Starttid\t{at(0, 0)}",
               f"Sluttid\t{at(180, 0)}", ""]
    participants = ["2. Deltagare", "Namn\tFörsta anslutning\tSenaste utträde\tTid i mötet\t"
                    "E-post\tDeltagar-ID (UPN)\tRoll"]
    activities = ["3. Aktiviteter under mötet",
                  "Namn\tAnslutningstid\tUtträdestid\tVaraktighet\tE-post\tRoll"]
    for name, email in rows:
        joined, left = rng.randint(0, 20), rng.randint(60, 100)
        back, end = left + rng.randint(1, 10), rng.randint(150, 180)
        seconds = rng.randint(0, 59)
        minutes = (left - joined) + (end - back)
        participants.append(f"{name}\t{at(joined, seconds)}\t{at(end, 0)}\t{minutes} min\t"
                            f"{email}\t{email}\tDeltagare")
        activities.append(f"{name}\t{at(joined, seconds)}\t{at(left, 0)}\t\t{email}\tDeltagare")
        activities.append(f"{name}\t{at(back, 0)}\t{at(end, 0)}\t\t{email}\tDeltagare")
    text = "\r\n".join(summary + participants + [""] + activities) + "\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


def sign_in(client, user) -> None:
    """Log in with two-factor passed (as the tests' sign_in does)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def timed(results: list, label: str, function):
    """Run and record wall-clock seconds and this process's CPU seconds (the machine is shared,
    so wall time alone swings with other people's load)."""
    started, cpu = time.perf_counter(), time.process_time()
    value = function()
    results.append((label, time.perf_counter() - started, time.process_time() - cpu))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    admin_url = setup(args.database_url or None)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from modig.training import attendance_import as imports
    from modig.training.models import Attendance

    rng = random.Random(5)
    started = time.perf_counter()
    session, ale_people, admin = build_region(rng)
    content = report(ale_people, rng)
    print(f"database: {connection.vendor}; region built in {time.perf_counter() - started:.0f} s;"
          f" file {len(content) / 1e6:.1f} MB")
    meeting = session.meetings.get()
    client = Client(HTTP_HOST="localhost")
    sign_in(client, admin)

    results: list = []
    upload = timed(results, "upload (read, check, store)", lambda: imports.start_attendance_import(
        meeting, file_name="rapport.csv", content=content, by=admin))
    rows = timed(results, "match 2,000 rows", lambda: imports.match_rows(upload, user=admin))
    url = reverse("training:attendance-import-review", kwargs={"pk": upload.pk})
    page = timed(results, "review page (GET)", lambda: client.get(url))
    assert page.status_code == 200, page.status_code
    decisions = {row.index: imports.IGNORE for row in rows if row.needs_decision}
    committed = timed(results, "commit", lambda: imports.commit_attendance_import(
        upload, by=admin, decisions=decisions))
    again = timed(results, "same file again: upload + commit", lambda: (
        imports.commit_attendance_import(
            imports.start_attendance_import(meeting, file_name="igen.csv", content=content,
                                            by=admin),
            by=admin, decisions=decisions)))

    states = {}
    for row in rows:
        states[row.state] = states.get(row.state, 0) + 1
    print(f"rows: {len(rows)}; {states}")
    print(f"recorded: {Attendance.objects.count()} (new {committed.created_count}); "
          f"second commit: new {again.created_count}, changed {again.updated_count}, "
          f"unchanged {again.unchanged_count}")
    print(f"{'step':34} {'wall s':>7} {'cpu s':>7}")
    for label, seconds, cpu in results:
        print(f"{label:34} {seconds:7.2f} {cpu:7.2f}")
    total = sum(seconds for _label, seconds, _cpu in results[:4])
    total_cpu = sum(cpu for _label, _seconds, cpu in results[:4])
    print(f"import and match (upload + match + review + commit): {total:.2f} s wall, "
          f"{total_cpu:.2f} s cpu (target < 5 s): {'OK' if total < 5 else 'TOO SLOW'}")
    connection.close()
    if admin_url:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS modig_bench_attendance")
    sys.exit(0 if total < 5 else 1)


if __name__ == "__main__":
    main()
