"""Benchmark: a self-assessment campaign over HTTP against `modig serve` and PostgreSQL.

    .venv/bin/python bench/survey_campaign.py                         # 8 and 32 concurrent
    .venv/bin/python bench/survey_campaign.py --kill                  # + SIGKILL and restart
    .venv/bin/python bench/survey_campaign.py --respondents 600 --concurrency 8 32 \\
        --database-url postgres://postgres@127.0.0.1:5432/modig_bench_campaign

What it does (issue 4, "Speed and loss"):
1. Creates a fresh PostgreSQL database (dropped at the end), migrates it, generates the demo
   region without surveys (about 3,000 base staff at scale 1) and an open, published,
   pseudonymous round with the default staff questionnaire, everyone invited through
   `invite_population`. The secrets (links) stay in this process's memory only.
2. Starts `.venv/bin/modig serve` (Granian's main process and its worker processes, and the
   task worker) as a child process with production settings
   (MODIG_PRODUCTION=1, DEBUG off, a SECRET_KEY shared with this process so the links match,
   TLS assumed terminated by a proxy: requests carry X-Forwarded-Proto: https) on a free
   127.0.0.1 port, and waits for /healthz.
3. Simulated respondents, each with its own invitation and its own keep-alive connection:
   open the link, follow redirects, on every page parse the form, choose a random value for
   every radio group and select, press "Next" until "Send my answers", and count the
   acknowledgement (the profile page after the submit). The client is asyncio on raw sockets,
   so the load generator, which shares the two cores with the server, stays cheap.
4. Reports per concurrency level: completed self-assessments per second, p50/p95/p99 page
   latency, CPU seconds per completed self-assessment (the server's process tree from
   /proc, and the PostgreSQL backends serving it), peak resident memory of the server
   processes; then checks in the database that every acknowledged response is stored exactly
   once, and that no link token reached the server's log.
5. `--kill`: one more run at the highest concurrency; halfway, every server process gets
   SIGKILL, `modig serve` is started again, and clients resend whatever failed (as a phone
   does: the same form again). Afterwards: no acknowledged response lost, none doubled.

Also prints the SQL statements per respondent page (one respondent through Django's test
client with CaptureQueriesContext), so a slow page can be traced to its queries.
A table is printed and a JSON file written to bench/results/ (not committed).
"""

import argparse
import asyncio
import contextlib
import datetime
import html
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/modig_bench_campaign"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MAX_REQUESTS_PER_RESPONDENT = 80  # a bounded loop: the survey has about 17 requests
RETRY_FOR_SECONDS = 90  # how long a client keeps resending while the server is down

# --- processes -------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name; None once the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds incl. reaped children) from /proc/<pid>/stat."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return int(fields[1]), (utime + stime + cutime + cstime) / CLK_TCK


def _reaped_children_cpu(pid: int) -> float:
    """cutime + cstime of a process: the CPU of its children that have ended."""
    fields = _stat_fields(pid)
    return (int(fields[13]) + int(fields[14])) / CLK_TCK if fields else 0.0


def _rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE / 1e6
    except OSError:
        return 0.0


def process_tree(root: int) -> list[int]:
    """The root and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(int(entry))
            if info:
                children.setdefault(info[0], []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_cpu(root: int) -> float:
    return sum((_stat(pid) or (0, 0.0))[1] for pid in process_tree(root))


class MemorySampler(threading.Thread):
    """Samples the server tree's summed RSS every 0.2 s; `peak` is the highest seen."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.peak_process, self._halt = root, 0.0, 0.0, threading.Event()

    def run(self):
        while not self._halt.wait(0.2):
            sizes = [_rss_mb(pid) for pid in process_tree(self.root)]
            self.peak = max(self.peak, sum(sizes))
            self.peak_process = max([self.peak_process, *sizes])

    def stop(self):
        self._halt.set()
        self.join(2)


class Server:
    """`modig serve` as a child process (its own process group, so nothing leaks)."""

    def __init__(self, env: dict, port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process: subprocess.Popen | None = None
        self.cpu_of_killed = 0.0  # CPU of server generations already killed

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/modig"), "serve", "--bind", f"127.0.0.1:{self.port}"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"modig serve exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Connection: close\r\n\r\n")
                    if sock.recv(100).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("modig serve did not answer /healthz within 60 s")

    def pids(self) -> list[int]:
        return process_tree(self.process.pid) if self.process else []

    def cpu(self) -> float:
        return self.cpu_of_killed + (tree_cpu(self.process.pid) if self.process else 0.0)

    def kill(self) -> int:
        """SIGKILL every server process at once: the `modig serve` supervisor, Granian's main
        process and its worker processes, the task worker (all of them are in the tree)."""
        pids = self.pids()
        self.cpu_of_killed += tree_cpu(self.process.pid)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(10)
        for pid in pids:  # reap-free wait until the workers are gone too
            for _ in range(50):
                if not Path(f"/proc/{pid}").exists() or "Z" in _state(pid):
                    break
                time.sleep(0.1)
        return len(pids)

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL for anything left; only our own pids."""
        if not self.process or self.process.poll() is not None:
            return
        pids = self.pids()
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(30)
        for pid in pids:
            if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(10)


def _state(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
        return raw[raw.rindex(")") + 2]
    except OSError:
        return "X"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a small HTTP/1.1 client and form filler -----------------------------------------------


class ConnectionLost(Exception):
    pass


class HttpClient:
    """One keep-alive connection and a cookie jar: one phone."""

    def __init__(self, port: int, latencies: list, retry_for: float):
        self.port, self.latencies, self.retry_for = port, latencies, retry_for
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None
        self.retries = 0

    async def close(self):
        if self.writer:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict, str]:
        """Send, resending on a lost connection (same request, as a browser's retry) for up
        to `retry_for` seconds; each attempt's latency is recorded only when it succeeds."""
        deadline = time.monotonic() + self.retry_for
        delay = 0.05
        while True:
            try:
                return await self._once(method, path, body)
            except (ConnectionLost, OSError, asyncio.IncompleteReadError):
                await self.close()
                if time.monotonic() > deadline:
                    raise
                self.retries += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    async def _once(self, method: str, path: str, body: bytes) -> tuple[int, dict, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 "X-Forwarded-Proto: https", "User-Agent: modig-bench",
                 "Accept-Language: sv"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [f"Origin: https://127.0.0.1:{self.port}",
                      f"Referer: https://127.0.0.1:{self.port}{path}",
                      "Content-Type: application/x-www-form-urlencoded",
                      f"Content-Length: {len(body)}"]
        started = time.perf_counter()
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head:
            raise ConnectionLost
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    self._cookie(value)
                headers[name] = value
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            content = await self._chunked()
        else:
            content = await self.reader.read()
            await self.close()
        self.latencies.append(time.perf_counter() - started)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, content.decode("utf-8", "replace")

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def _cookie(self, value: str) -> None:
        pair, *attributes = value.split(";")
        name, _, content = pair.strip().partition("=")
        expired = any(a.strip().lower().startswith("max-age=0") for a in attributes) or any(
            "1970" in a for a in attributes if a.strip().lower().startswith("expires="))
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = content


_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
_OPTION = re.compile(r"<option\b([^>]*)>", re.I)
_ATTR = re.compile(r"([\w:-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(text)}


# The load generator shares the two cores with the server, so its form filling is lean: forms
# are cut out with str.find, and one regular expression reads the type, name and value of each
# input and button (double-quoted, as Modig writes them; a tag with any other quoting goes
# through _attrs). About half the CPU of a case-insensitive regex per form and a search
# per attribute (docs/performance.md, "survey campaign").
_FIELD = re.compile(
    r'<(input|button)\b(?=[^>]*?\stype="([^"]*)")?(?=[^>]*?\sname="([^"]*)")?'
    r'(?=[^>]*?\svalue="([^"]*)")?([^>]*)>')


def _forms(page: str) -> list[tuple[str, str]]:
    """(attributes, content) of each <form> on the page, in order."""
    forms, start = [], 0
    while (opening := page.find("<form", start)) >= 0:
        close = page.find(">", opening)
        end = page.find("</form>", close)
        if close < 0 or end < 0:
            break
        forms.append((page[opening + 5:close], page[close + 1:end]))
        start = end + 7
    return forms


def _fields(inner: str):
    """(tag, type, name, value) of each input and button; None for an attribute not there."""
    for tag, kind, name, value, text in _FIELD.findall(inner):
        if "'" in text or "=" in text.replace('="', ""):
            attrs = _attrs(text)
            yield tag, attrs.get("type"), attrs.get("name"), attrs.get("value")
            continue
        if not value and 'value="' not in text:
            value = None
        yield (tag, kind or None, html.unescape(name) if "&" in name else (name or None),
               html.unescape(value) if value and "&" in value else value)


_BEGIN = re.compile(r'<a class="button" href="(/svara/sida/\d+/)"')


def begin_link(page: str) -> str | None:
    """The start page's "Begin" (or "Go on where you stopped"): a link to a survey page."""
    match = _BEGIN.search(page)
    return match.group(1) if match else None


def fill_form(page: str, current_path: str, rng: random.Random) -> tuple[str, bytes, str] | None:
    """(action path, urlencoded body, button value) for the survey form on a page: a random
    value for every radio group and select, hidden fields as they are, and the button that
    goes forward ("submit" on the last page, else "next"/"start"). None: no survey form."""
    for form_attrs, inner in _forms(page):
        attrs = _attrs(form_attrs)
        action = attrs.get("action") or current_path
        if attrs.get("method", "get").lower() != "post" or "setlang" in action \
                or "logout" in action:
            continue
        fields: list[tuple[str, str]] = []
        radios: dict[str, list[str]] = {}
        buttons: dict[str, tuple[str, str]] = {}
        for tag, kind, name, value in _fields(inner):
            kind = (kind or ("submit" if tag == "button" else "text")).lower()
            if kind == "radio":
                radios.setdefault(name, []).append("on" if value is None else value)
            elif kind == "hidden" and name is not None:
                fields.append((name, value or ""))
            elif kind == "submit" and name is not None:
                buttons[value or ""] = (name, value or "")
        for name, values in radios.items():
            fields.append((name, rng.choice(values)))
        for select_attrs, options in _SELECT.findall(inner):
            values = [v for v in (_attrs(o).get("value", "") for o in _OPTION.findall(options))
                      if v]
            if values:
                fields.append((_attrs(select_attrs)["name"], rng.choice(values)))
        for wanted in ("submit", "next", "start"):
            if wanted in buttons:
                fields.append(buttons[wanted])
                button = wanted
                break
        else:
            button = ""
        return urllib.parse.urlsplit(action).path, urllib.parse.urlencode(fields).encode(), \
            button
    return None


@dataclass
class Outcome:
    acknowledged: list[int] = field(default_factory=list)  # invitation ids
    failed: list[tuple[int, str]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    retries: int = 0


async def respondent(port: int, invitation_id: int, token: str, outcome: Outcome,
                     rng: random.Random, retry_for: float) -> None:
    """One person: link → start → every page → send → profile (the acknowledgement)."""
    client = HttpClient(port, outcome.latencies, retry_for)
    method, path, body = "GET", f"/s/{token}/", b""
    submitted = False
    try:
        for _ in range(MAX_REQUESTS_PER_RESPONDENT):
            status, headers, content = await client.request(method, path, body)
            outcome.requests += 1
            if status in (301, 302, 303):
                method, path, body = "GET", urllib.parse.urlsplit(headers["location"]).path, b""
                continue
            if status != 200:
                outcome.failed.append((invitation_id, f"{status} on {path}"))
                return
            if submitted and path.rstrip("/").endswith("din-profil"):
                outcome.acknowledged.append(invitation_id)
                return
            form = fill_form(content, path, rng)
            if form is None and (link := begin_link(content)):
                method, path, body = "GET", link, b""
                continue
            if form is None:
                outcome.failed.append((invitation_id, f"no form on {path}"))
                return
            path, body, button = form
            submitted = submitted or button == "submit"
            method = "POST"
        outcome.failed.append((invitation_id, "too many requests"))
    except Exception as error:  # reported per respondent; the run goes on
        outcome.failed.append((invitation_id, f"{type(error).__name__}: {error}"))
    finally:
        outcome.retries += client.retries
        await client.close()


async def campaign(port: int, people: list[tuple[int, str]], concurrency: int, seed: int,
                   on_progress=None, retry_for: float = 5.0) -> tuple[Outcome, float]:
    """Run everyone with at most `concurrency` respondents at a time; (outcome, seconds)."""
    outcome = Outcome()
    queue = list(reversed(people))
    rng = random.Random(seed)

    async def worker():
        while queue:
            invitation_id, token = queue.pop()
            await respondent(port, invitation_id, token, outcome,
                             random.Random(rng.random()), retry_for)
            if on_progress:
                await on_progress(outcome)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcome, time.perf_counter() - started


# --- database ----------------------------------------------------------------------------


def setup_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
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


def make_round(invitations_needed: int):
    """Demo region (no surveys) large enough, and an open round inviting its base staff, made
    as `publish_round` does (questionnaire frozen, published) but with the invitations created
    here rather than queued, so the server's task worker does not mail 3,000 people during the
    measurement. Returns (round, {invitation id: link token})."""
    from django.utils import timezone

    from modig.demo.generator import generate_region
    from modig.organisation.models import TargetGroup
    from modig.surveys import tokens
    from modig.surveys.invitations import invite_population
    from modig.surveys.models import Round
    from modig.surveys.questionnaires import default_questionnaire, freeze

    scale = max(1.0, invitations_needed / 2900)
    summary = generate_region(seed=2026, scale=scale, surveys=False)
    today = timezone.localdate()
    round_ = Round.objects.create(
        programme=summary.programme, name="Benchmark", kind=Round.Kind.BASELINE,
        questionnaire=freeze(default_questionnaire("staff")),
        anonymity=Round.Anonymity.PSEUDONYMOUS, opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30), min_group_size=5,
    )
    round_.target_groups.set([TargetGroup.objects.get(code=TargetGroup.Code.BASE_STAFF)])
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])
    invite_population(round_)
    round_.invitations.update(sent_at=timezone.now())
    links = {pk: tokens.link_token(salt)
             for pk, salt in round_.invitations.order_by("pk").values_list("pk", "salt")}
    return round_, links


def check_database(round_, acknowledged: list[int], attempted: list[int]) -> dict:
    """Every acknowledged response stored exactly once; nothing doubled anywhere."""
    from django.db.models import Count

    from modig.surveys.models import Invitation, Response

    submitted = Response.objects.filter(round=round_, submitted_at__isnull=False)
    stored_for_acknowledged = submitted.filter(invitation_id__in=acknowledged).count()
    doubled_keys = (Response.objects.filter(round=round_).values("respondent_key")
                    .annotate(n=Count("pk")).filter(n__gt=1).count())
    doubled_invitations = (Response.objects.filter(round=round_, invitation__isnull=False)
                           .values("invitation_id").annotate(n=Count("pk"))
                           .filter(n__gt=1).count())
    marked = Invitation.objects.filter(round=round_, submitted_at__isnull=False).count()
    return {
        "acknowledged": len(acknowledged),
        "acknowledged_and_stored": stored_for_acknowledged,
        "lost": len(acknowledged) - stored_for_acknowledged,
        "doubled": doubled_keys + doubled_invitations,
        "submitted_responses": submitted.count(),
        "invitations_marked_answered": marked,
        "stored_but_not_acknowledged": submitted.filter(invitation_id__in=attempted).exclude(
            invitation_id__in=acknowledged).count(),
        "answers_per_submitted_response": round(
            Response.objects.filter(round=round_, submitted_at__isnull=False)
            .aggregate(n=Count("answers"))["n"] / max(submitted.count(), 1), 1),
    }


def postgres_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the bench database, and
    under the key 0 the CPU of the postmaster's reaped children (backends that have ended,
    and autovacuum workers), which postgres_cpu_between needs to count backends that end
    during a run (a server connection older than CONN_MAX_AGE is closed and opened again)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), ARRAY(SELECT pid FROM pg_stat_activity"
                       " WHERE datname = %s AND pid <> pg_backend_pid())", [database])
        own, pids = cursor.fetchone()
    cpu = {pid: info[1] for pid in pids if (info := _stat(pid))}
    postmaster = (_stat(own) or (0, 0.0))[0]
    cpu[0] = _reaped_children_cpu(postmaster) if postmaster else 0.0
    return cpu


def postgres_cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """PostgreSQL CPU spent between two postgres_cpu readings: the backends alive at the end
    (from their reading before, or from 0 when they started meanwhile), plus what ended
    backends spent after the first reading (their whole life is in the postmaster's reaped
    CPU, less what they had spent before it)."""
    live = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items() if pid)
    ended_before = sum(cpu for pid, cpu in before.items() if pid and pid not in after)
    return live + (after.get(0, 0.0) - before.get(0, 0.0)) - ended_before


def query_counts(token: str) -> list[tuple[str, str, int, float]]:
    """(method, page, SQL statements, ms) for one respondent through Django's test client,
    in this process: where the time of a slow page goes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    rng = random.Random(1)
    rows = []
    method, path, data = "GET", f"/s/{token}/", b""
    for _ in range(MAX_REQUESTS_PER_RESPONDENT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if method == "GET":
                reply = client.get(path)
            else:
                reply = client.post(path, data, content_type="application/x-www-form-urlencoded")
            ms = (time.perf_counter() - started) * 1000
        label = re.sub(r"/s/[^/]+/", "/s/<token>/", path)
        rows.append((method, label, len(queries), ms))
        if reply.status_code in (301, 302, 303):
            method, path, data = "GET", urllib.parse.urlsplit(reply["Location"]).path, b""
            continue
        if path.rstrip("/").endswith("din-profil"):
            break
        form = fill_form(reply.content.decode(), path, rng)
        if form is None and reply.status_code == 200 \
                and (link := begin_link(reply.content.decode())):
            method, path, data = "GET", link, b""
            continue
        if form is None or reply.status_code != 200:
            break
        path, data, _button = form
        method = "POST"
    return rows


def cpu_profile(tokens_: list[str]) -> dict:
    """Where a respondent page's CPU time goes: a few respondents through the test client
    under cProfile, with the cumulative time of the main parts per request."""
    import cProfile
    import pstats

    from django.db import connection

    profiler = cProfile.Profile()
    requests = 0
    profiler.enable()
    for token in tokens_:
        requests += len(query_counts(token))
    profiler.disable()
    connection.close()
    stats = pstats.Stats(profiler)
    parts = {
        "whole request (test client)": ("django/test/client.py", "request"),
        "middleware + view (BaseHandler.get_response)": ("django/core/handlers/base.py",
                                                         "get_response"),
        "view functions (_get_response)": ("django/core/handlers/base.py", "_get_response"),
        "template rendering (Template.render)": ("django/template/base.py", "render"),
        "SQL (CursorWrapper.execute)": ("django/db/backends/utils.py", "execute"),
        "translation activation (LocaleMiddleware)": ("django/middleware/locale.py",
                                                      "process_request"),
        "CSRF (CsrfViewMiddleware.process_view)": ("django/middleware/csrf.py", "process_view"),
        "signed cookie (get_signed_cookie)": ("django/http/request.py", "get_signed_cookie"),
    }
    found = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        for label, (suffix, function) in parts.items():
            if filename.endswith(suffix) and name == function:
                found[label] = max(found.get(label, 0.0), cumulative)
    return {label: round(found.get(label, 0.0) / max(requests, 1) * 1000, 2)
            for label in parts} | {"requests": requests}


# --- the run -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def floor(server: Server, port: int, requests: int = 3000, concurrency: int = 8) -> dict:
    """The stack's floor on this machine: GET /healthz (every middleware, one SELECT 1, no
    template) over keep-alive connections, for comparison with the respondent pages."""
    latencies: list[float] = []

    async def client(n: int):
        http = HttpClient(port, latencies, 5.0)
        for _ in range(n):
            await http.request("GET", "/healthz")
        await http.close()

    async def run():
        await asyncio.gather(*(client(requests // concurrency) for _ in range(concurrency)))

    cpu_before, started = server.cpu(), time.perf_counter()
    asyncio.run(run())
    seconds, cpu = time.perf_counter() - started, server.cpu() - cpu_before
    return {"requests": len(latencies), "requests_per_second": round(len(latencies) / seconds),
            "server_cpu_ms_per_request": round(cpu / max(len(latencies), 1) * 1000, 2),
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "load_average_1min": round(os.getloadavg()[0], 1)}


def measure(server: Server, port: int, people, concurrency: int, database: str,
            kill: bool = False) -> dict:
    """One campaign at one concurrency, with CPU, memory and (optionally) a SIGKILL."""
    sampler = MemorySampler(server.process.pid)
    sampler.start()
    cpu_before = server.cpu()
    pg_before = postgres_cpu(database)
    killed = {"processes": 0, "restart_seconds": 0.0, "at_acknowledged": 0}
    kill_at = len(people) // 2

    async def on_progress(outcome):
        if kill and not killed["processes"] and len(outcome.acknowledged) >= kill_at:
            killed["processes"] = server.kill()
            killed["at_acknowledged"] = len(outcome.acknowledged)
            started = time.perf_counter()
            await asyncio.to_thread(server.start)
            killed["restart_seconds"] = time.perf_counter() - started
            sampler.root = server.process.pid

    generator_before = time.process_time()  # this process: the simulated phones
    outcome, seconds = asyncio.run(campaign(
        port, people, concurrency, seed=concurrency, on_progress=on_progress,
        retry_for=RETRY_FOR_SECONDS if kill else 5.0))
    generator_cpu = time.process_time() - generator_before
    sampler.stop()
    cpu = server.cpu() - cpu_before
    pg_after = postgres_cpu(database)
    pg_cpu = postgres_cpu_between(pg_before, pg_after)
    done = max(len(outcome.acknowledged), 1)
    result = {
        # Other work on the machine skews every figure: the 1-minute load average at the end.
        "load_average_1min": round(os.getloadavg()[0], 1),
        "concurrency": concurrency, "respondents": len(people), "seconds": round(seconds, 2),
        "acknowledged": len(outcome.acknowledged), "failed": len(outcome.failed),
        "failures": outcome.failed[:10], "requests": outcome.requests,
        "retries": outcome.retries,
        "completed_per_second": round(len(outcome.acknowledged) / seconds, 1),
        "requests_per_second": round(outcome.requests / seconds, 1),
        "p50_ms": round(percentile(outcome.latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(outcome.latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(outcome.latencies, 0.99) * 1000, 1),
        "max_ms": round(max(outcome.latencies, default=0) * 1000, 1),
        "server_cpu_s_per_completed": round(cpu / done, 4),
        "postgres_cpu_s_per_completed": round(pg_cpu / done, 4),
        "generator_cpu_s_per_completed": round(generator_cpu / done, 4),
        "peak_rss_mb_all_server_processes": round(sampler.peak),
        "peak_rss_mb_largest_process": round(sampler.peak_process),
        "acknowledged_ids": outcome.acknowledged,
    }
    if kill:
        result["kill"] = killed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=800,
                        help="simulated respondents per concurrency level (each invitation "
                             "is used once)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--kill", action="store_true",
                        help="one more run at the highest concurrency with the server "
                             "SIGKILLed and restarted halfway")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MODIG_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("MODIG_THREADS", 8)),
                        help="blocking threads per Granian worker (MODIG_THREADS for modig "
                             "serve)")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also profile ten respondents in this process (cProfile): "
                             "milliseconds per request in middleware, views, templates, SQL")
    args = parser.parse_args()

    runs = len(args.concurrency) + (1 if args.kill else 0)
    needed = args.respondents * runs + 30
    work = Path(tempfile.mkdtemp(prefix="modig-bench-campaign-"))
    secret_key = secrets.token_urlsafe(50)
    database = args.database_url.rsplit("/", 1)[1]
    # This process and the server share the key (links are derived from it) and the database.
    os.environ.update({
        "DATABASE_URL": args.database_url, "SECRET_KEY": secret_key,
        "MODIG_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "modig.settings",
        "ALLOWED_HOSTS": "127.0.0.1,testserver", "LOG_LEVEL": "WARNING",
    })
    port = free_port()
    server_env = dict(
        os.environ, MODIG_PRODUCTION="1", MODIG_DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
        MODIG_WORKERS=str(args.workers), MODIG_THREADS=str(args.threads),
        MODIG_STATIC_ROOT=str(work / "static"),
        LOG_LEVEL="INFO",
    )
    server = Server(server_env, port, work / "server.log")
    results: dict = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
                     "command": " ".join(sys.argv), "workers": args.workers,
                     "threads": args.threads, "runs": []}
    try:
        setup_database(args.database_url)
        from django.db import connection

        started = time.perf_counter()
        round_, links = make_round(needed)
        print(f"setup: {len(links)} invitations in {time.perf_counter() - started:.1f} s")
        if len(links) < needed:
            raise SystemExit(f"only {len(links)} invitations; need {needed}")
        pool = list(links.items())
        random.Random(4).shuffle(pool)
        results["queries_per_page"] = query_counts(pool.pop()[1])
        if args.profile:
            results["cpu_ms_per_request_in_process"] = cpu_profile(
                [pool.pop()[1] for _ in range(10)])
        connection.close()
        left_before_http = len(pool)  # the links above were opened in this process
        server.start()
        # Warm-up, not measured: every worker thread imports, compiles templates, connects.
        asyncio.run(campaign(port, [pool.pop() for _ in range(16)], 8, seed=0))
        results["floor_healthz"] = floor(server, port)
        for level in args.concurrency:
            people = [pool.pop() for _ in range(args.respondents)]
            run = measure(server, port, people, level, database)
            # This run's people only: the earlier runs' are acknowledged in their own check.
            run["check"] = check_database(round_, run.pop("acknowledged_ids"),
                                          [pk for pk, _ in people])
            results["runs"].append(run)
            connection.close()
        if args.kill:
            level = max(args.concurrency)
            people = [pool.pop() for _ in range(args.respondents)]
            run = measure(server, port, people, level, database, kill=True)
            run["check"] = check_database(round_, run.pop("acknowledged_ids"),
                                          [pk for pk, _ in people])
            run["label"] = "SIGKILL + restart"
            results["runs"].append(run)
            connection.close()
        server.stop()
        log = (work / "server.log").read_text(errors="replace")
        results["tokens_in_server_log"] = sum(1 for token in links.values() if token in log)
        results["server_log_lines"] = log.count("\n")
        # The access log's lines for opened links, token blanked: one per link request (a
        # resent one counts again), so a log that lost its lines cannot pass as clean.
        results["link_lines_in_server_log"] = log.count('"GET /s/…/ HTTP/1.1"')
        results["links_opened"] = left_before_http - len(pool)
    finally:
        server.stop()
        if not args.keep_database:
            drop_database(args.database_url)
    report(results)


def report(results: dict) -> None:
    print("\nSQL statements per respondent page (one respondent, Django test client):")
    for method, page, queries, ms in results["queries_per_page"]:
        print(f"  {method:4} {page:32} {queries:3d} queries {ms:7.1f} ms")
    for label, ms in results.get("cpu_ms_per_request_in_process", {}).items():
        print(f"  {label:52} {ms}" + ("" if label == "requests" else " ms per request"))
    base = results["floor_healthz"]
    print(f"\nfloor, GET /healthz at 8 connections: {base['requests_per_second']} req/s, "
          f"{base['server_cpu_ms_per_request']} ms server CPU per request, "
          f"p50 {base['p50_ms']} ms (load average {base['load_average_1min']})")
    for run in results["runs"]:
        run["server_cpu_ms_per_request"] = round(
            run["server_cpu_s_per_completed"] * run["acknowledged"] / max(run["requests"], 1)
            * 1000, 2)
    print(f"\nworkers {results['workers']} × threads {results['threads']}")
    header = (f"{'run':18} {'conc':>4} {'done':>5} {'fail':>4} {'done/s':>7} {'req/s':>6} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'cpu s/done':>10} "
              f"{'pg s/done':>9} {'gen s/done':>10} {'peak MB':>7} {'lost':>4} {'dbl':>4}")
    print(header)
    ok = True
    for run in results["runs"]:
        check = run["check"]
        print(f"{run.get('label', 'campaign'):18} {run['concurrency']:4d} {run['acknowledged']:5d} "
              f"{run['failed']:4d} {run['completed_per_second']:7.1f} "
              f"{run['requests_per_second']:6.0f} {run['p50_ms']:7.1f} {run['p95_ms']:7.1f} "
              f"{run['p99_ms']:7.1f} {run['server_cpu_s_per_completed']:10.4f} "
              f"{run['postgres_cpu_s_per_completed']:9.4f} "
              f"{run['generator_cpu_s_per_completed']:10.4f} "
              f"{run['peak_rss_mb_all_server_processes']:7d} {check['lost']:4d} "
              f"{check['doubled']:4d}")
        print(f"{'':18} {run['requests'] / max(run['acknowledged'], 1):.0f} requests per "
              f"survey, {run['server_cpu_ms_per_request']} ms server CPU per request; load "
              f"average (1 min) at the end: {run['load_average_1min']}")
        if run.get("kill"):
            print(f"{'':18} killed {run['kill']['processes']} processes after "
                  f"{run['kill']['at_acknowledged']} acknowledgements; restart took "
                  f"{run['kill']['restart_seconds']:.1f} s; {run['retries']} resent requests")
        for invitation_id, reason in run["failures"][:3]:
            print(f"{'':18} failed: invitation {invitation_id}: {reason}")
        ok &= check["lost"] == 0 and check["doubled"] == 0
    print(f"link tokens found in the server log: {results['tokens_in_server_log']}; "
          f"access-log lines for opened links (token blanked): "
          f"{results.get('link_lines_in_server_log')} for {results.get('links_opened')} links")
    top = max((r for r in results["runs"] if "kill" not in r), key=lambda r: r["concurrency"])
    targets = {
        ">= 50 completed/s at the highest concurrency": top["completed_per_second"] >= 50,
        "p95 < 250 ms": top["p95_ms"] < 250,
        "< 0.04 server CPU s per completed": top["server_cpu_s_per_completed"] < 0.04,
        "none lost or doubled": ok,
    }
    for target, met in targets.items():
        print(f"  {target}: {'met' if met else 'NOT MET'}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"survey_campaign-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"written: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
