"""`modig serve`: collect static files, then run Gunicorn (a production-grade WSGI server) and
the background task worker side by side.

Both run as child processes: SIGTERM or SIGINT is passed on to both, and when either one
exits the other is stopped too, so a supervisor sees one process that lives and dies as a
whole. `MODIG_RUN_WORKER=0` leaves the worker out (run `modig db_worker` elsewhere).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from modig.settings import env_bool


class Command(BaseCommand):
    help = "Serve Modig with Gunicorn and the task worker (collects static files first)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MODIG_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MODIG_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MODIG_THREADS", "4"))
        )
        # A worker is replaced after this many requests (a guard against slow memory growth).
        # Starting one costs over a CPU-second (imports, URLs, first templates, caches): at
        # 5,000 a survey campaign at a few hundred requests a second replaced a worker every
        # ten seconds or so, about 0.25 ms of CPU per request (7 %). 50,000 keeps the guard.
        parser.add_argument(
            "--max-requests", type=int,
            default=int(os.environ.get("MODIG_MAX_REQUESTS", "50000")),
        )

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Modig is served on http://{options['bind']}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        gunicorn = [
            sys.executable, "-m", "gunicorn", "modig.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--worker-class", "gthread",
            "--timeout", "120",
            "--graceful-timeout", "20",
            "--max-requests", str(options["max_requests"]),
            "--max-requests-jitter", str(options["max_requests"] // 10),
            "--access-logfile", "-",
            # Survey link tokens (/s/<token>/) are blanked in the access log.
            "--logger-class", "modig.lib.gunicorn_logging.RedactingLogger",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="modig.settings")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings.SRC_DIR.parent),
                                                           env.get("PYTHONPATH", "")]))
        commands = [gunicorn]
        if env_bool("MODIG_RUN_WORKER", default=True):
            commands.append([sys.executable, "-m", "django", "db_worker"])
        children = [subprocess.Popen(argv, env=env) for argv in commands]  # noqa: S603
        sys.exit(supervise(children))


def supervise(children: list[subprocess.Popen]) -> int:
    """Pass SIGTERM/SIGINT on to every child; when one exits, stop the rest; return its code."""
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        exited = [child for child in children if child.poll() is not None]
        if exited:
            break
        time.sleep(0.5)
    code = exited[0].returncode
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 25
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 0 if stopping else (code or 1)
