"""`modig serve`: collect static files, then run Granian (a production-grade HTTP server with
a WSGI interface) and the background task worker side by side.

Both run as child processes: SIGTERM or SIGINT is passed on to both, and when either one
exits the other is stopped too, so a supervisor sees one process that lives and dies as a
whole. `MODIG_RUN_WORKER=0` leaves the worker out (run `modig db_worker` elsewhere).

Each child gets exactly one stop signal, from here. Granian's main process can hang for good
when a second signal arrives while its handler of the first is still running (the handler
sets a threading.Event, whose lock is not re-entrant): Ctrl+C in a terminal, or a
`kill` of the process group, would reach it directly and once more through this process. So
the children run in process groups of their own, a signal is passed on once per child, and a
child (with its own children: Granian's workers) still running STOP_TIMEOUT_SECONDS after its
signal is killed as a group. Should `modig serve` itself be killed (SIGKILL), the children
get SIGTERM from the kernel (Linux's parent-death signal) and stop gracefully.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from modig.lib.access_log import GRANIAN_LOG_CONFIG
from modig.settings import env_bool

# Granian stops a worker gracefully (finishing the requests it holds) on SIGTERM; one that has
# not stopped after this many seconds is killed. supervise() waits longer before its own SIGKILL.
WORKER_KILL_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = WORKER_KILL_TIMEOUT_SECONDS + 5


class Command(BaseCommand):
    help = "Serve Modig with Granian and the task worker (collects static files first)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MODIG_BIND", "127.0.0.1:8000"),
                            help="HOST:PORT")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MODIG_WORKERS", "2")),
            help="worker processes",
        )
        # Each worker runs the application in this many threads (Granian's blocking threads).
        # A survey campaign on two cores: 8 did better than 4; 1 was much worse (a request
        # waiting on PostgreSQL holds its thread).
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MODIG_THREADS", "8")),
            help="threads per worker",
        )
        # The guard against slow memory growth: Granian samples each worker's resident memory
        # every 30 s and replaces one found above this limit gracefully (the new worker starts
        # first, the old one finishes its requests). Gunicorn's guard was a request count
        # (--max-requests), which also replaced workers that had not grown (a start costs over
        # a CPU-second); a limit on memory replaces a worker only when it has grown.
        parser.add_argument(
            "--max-rss-mb", type=int,
            default=int(os.environ.get("MODIG_WORKER_MAX_RSS_MB", "1024")),
            help="resident memory (MiB) above which a worker is replaced; 0 turns it off",
        )

    def handle(self, *args, **options):
        host, _, port = options["bind"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind wants HOST:PORT, not {options['bind']!r}")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Modig is served on http://{options['bind']}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        granian = [
            sys.executable, "-m", "granian", "modig.served:application",
            "--interface", "wsgi",
            "--host", host.strip("[]"), "--port", port,
            "--workers", str(options["workers"]),
            "--blocking-threads", str(options["threads"]),
            # Plain HTTP/1.1 behind the proxy that terminates TLS; Modig has no websockets.
            "--http", "1", "--no-ws",
            "--respawn-failed-workers",
            "--workers-kill-timeout", str(WORKER_KILL_TIMEOUT_SECONDS),
            # The access log is written by the application (modig.served, lib/access_log),
            # far cheaper than Granian's. Survey and check-in link tokens are blanked there
            # and, through this log configuration, in Granian's error log.
            "--no-access-log",
            "--log-config", str(GRANIAN_LOG_CONFIG),
        ]
        if options["max_rss_mb"] > 0:
            granian += ["--workers-max-rss", str(options["max_rss_mb"])]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="modig.settings")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings.SRC_DIR.parent),
                                                           env.get("PYTHONPATH", "")]))
        commands = [granian]
        if env_bool("MODIG_RUN_WORKER", default=True):
            commands.append([sys.executable, "-m", "django", "db_worker"])
        sys.exit(supervise(start_children(commands, env)))


def start_children(commands: list[list[str]], env: dict) -> list[subprocess.Popen]:
    """Each command in a process group of its own: a signal to this process's group (Ctrl+C in
    a terminal) reaches the children only as supervise() passes it on, once. On Linux each
    child is also sent SIGTERM should this process die without passing anything on (a
    SIGKILL), so no server is left running with nobody to stop it."""
    die_with_parent = _die_with_parent(os.getpid()) if sys.platform == "linux" else None
    return [subprocess.Popen(argv, env=env, process_group=0,  # noqa: S603
                             preexec_fn=die_with_parent)  # this process has one thread here
            for argv in commands]


def _die_with_parent(parent: int):
    def in_the_child() -> None:
        # prctl(PR_SET_PDEATHSIG, SIGTERM); it stays set across exec.
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return in_the_child


def supervise(children: list[subprocess.Popen], *,
              stop_timeout: float = STOP_TIMEOUT_SECONDS) -> int:
    """Pass the first SIGTERM/SIGINT on to every child, once; when one child exits, stop the
    rest; a child still running `stop_timeout` seconds after its signal is killed with its
    process group. 0 when stopped by a signal, else the code of the child that exited."""
    stopping = False
    signalled: dict[int, float] = {}  # pid -> when its one stop signal was sent

    def stop(child: subprocess.Popen, signum: int) -> None:
        if child.pid not in signalled and child.poll() is None:
            signalled[child.pid] = time.monotonic()
            child.send_signal(signum)

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        for child in children:
            stop(child, signum)  # a repeated signal changes nothing: each child has its one

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    exited: list[subprocess.Popen] = []
    while not exited:
        exited = [child for child in children if child.poll() is not None]
        if not exited:
            _kill_overdue(children, signalled, stop_timeout)
            time.sleep(0.2)
    code = exited[0].returncode
    for child in children:
        stop(child, signal.SIGTERM)
    while any(child.poll() is None for child in children):
        _kill_overdue(children, signalled, stop_timeout)
        time.sleep(0.2)
    return 0 if stopping else (code or 1)


def _kill_overdue(children: list[subprocess.Popen], signalled: dict[int, float],
                  stop_timeout: float) -> None:
    now = time.monotonic()
    for child in children:
        sent = signalled.get(child.pid)
        if sent is not None and now - sent > stop_timeout and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # the child leads its own group
            child.wait()
