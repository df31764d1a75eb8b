"""Benchmark: CPU time per respondent request, in process, without the HTTP server.

    .venv/bin/python bench/survey_page_cpu.py --respondents 200 \\
        --database-url postgres://postgres@127.0.0.1:5432/modig_bench_page_cpu

The campaign benchmark (survey_campaign.py) measures the whole server under load, and its
CPU figures move with whatever else runs on the machine. This one drives the production WSGI
application (`modig.wsgi.application`, production settings, DEBUG off) directly from one
thread, respondent after respondent, as the campaign's clients do (the same form filling:
survey_campaign.fill_form), and counts this process's CPU time (time.process_time) per
request kind: Django, the middleware, the views and the database driver, without the HTTP server,
sockets and the load generator. PostgreSQL's own CPU is not included. Figures per request kind
and per completed survey, median of the respondents after a warm-up.
"""

import argparse
import io
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/modig_bench_page_cpu"


class WsgiClient:
    """Calls a WSGI application as a browser would over HTTPS: cookies, forms, redirects."""

    def __init__(self, application):
        self.application, self.cookies = application, {}

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict, str]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(), "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
            "HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_ACCEPT_LANGUAGE": "sv", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": "modig-bench",
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            environ.update({
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)), "HTTP_ORIGIN": "https://127.0.0.1",
                "HTTP_REFERER": f"https://127.0.0.1{path}",
            })
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured.update(status=int(status.split()[0]), headers=headers)

        result = self.application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = {}
        for name, value in captured["headers"]:
            if name.lower() == "set-cookie":
                pair, *attributes = value.split(";")
                key, _, content_ = pair.strip().partition("=")
                if any(a.strip().lower().startswith("max-age=0") for a in attributes):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = content_
            headers[name.lower()] = value
        return captured["status"], headers, content.decode("utf-8", "replace")


def one_survey(application, token: str, rng, fill_form, begin_link) -> list[tuple[str, float]]:
    """(request label, CPU seconds) for one respondent, link to acknowledgement."""
    client = WsgiClient(application)
    method, path, body = "GET", f"/s/{token}/", b""
    submitted, rows = False, []
    for _ in range(80):
        started = time.process_time()
        status, headers, content = client.request(method, path, body)
        cpu = time.process_time() - started
        label = f"{method} " + re.sub(r"/s/[^/]+/", "/s/<token>/", path)
        if method == "POST" and "/sida/" in path:
            label = "POST /svara/sida/N/"
        rows.append((label, cpu))
        if status in (301, 302, 303):
            method, path, body = "GET", urllib.parse.urlsplit(headers["location"]).path, b""
            continue
        if status != 200:
            raise RuntimeError(f"{status} on {path}: {content[:500]}")
        if submitted and path.rstrip("/").endswith("din-profil"):
            return rows
        form = fill_form(content, path, rng)
        if form is None and (link := begin_link(content)):
            method, path, body = "GET", link, b""
            continue
        if form is None:
            raise RuntimeError(f"no form on {path}")
        path, body, button = form
        submitted = submitted or button == "submit"
        method = "POST"
    raise RuntimeError("too many requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--profile", metavar="FILE",
                        help="also write a cProfile of the measured surveys to FILE (pstats)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modig-bench-page-cpu-"))
    os.environ.update({
        "DATABASE_URL": args.database_url, "SECRET_KEY": secrets.token_urlsafe(50),
        "MODIG_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "modig.settings",
        "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "MODIG_PRODUCTION": "1",
        "MODIG_DEBUG": "0", "MODIG_STATIC_ROOT": str(work / "static"),
    })
    import random

    import survey_campaign as campaign

    try:
        campaign.setup_database(args.database_url)
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        _round, links = campaign.make_round(args.respondents + args.warm_up)
        from modig.wsgi import application

        tokens_ = list(links.values())
        rng = random.Random(1)
        per_label: dict[str, list[float]] = {}
        per_survey: list[float] = []
        requests: list[int] = []
        profiler = None
        for index, token in enumerate(tokens_[:args.respondents + args.warm_up]):
            if index == args.warm_up and args.profile:
                import cProfile

                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
            rows = one_survey(application, token, random.Random(rng.random()),
                              campaign.fill_form, campaign.begin_link)
            if index < args.warm_up:
                continue
            per_survey.append(sum(cpu for _label, cpu in rows))
            requests.append(len(rows))
            for label, cpu in rows:
                per_label.setdefault(label, []).append(cpu)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
    finally:
        if not args.keep_database:
            campaign.drop_database(args.database_url)
    print(f"{len(per_survey)} surveys, {statistics.median(requests):.0f} requests each; "
          f"load average (1 min) {os.getloadavg()[0]:.1f}")
    print(f"{'request':32} {'count':>6} {'median CPU ms':>14} {'mean CPU ms':>12}")
    for label, values in per_label.items():
        print(f"{label:32} {len(values):6d} {statistics.median(values) * 1000:14.2f} "
              f"{statistics.fmean(values) * 1000:12.2f}")
    print(f"{'per survey':32} {len(per_survey):6d} {statistics.median(per_survey) * 1000:14.2f} "
          f"{statistics.fmean(per_survey) * 1000:12.2f}")


if __name__ == "__main__":
    main()
