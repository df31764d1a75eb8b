"""`modig serve`: collect static files and run Gunicorn, a production-grade WSGI server."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Modig with Gunicorn (collects static files first)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MODIG_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MODIG_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MODIG_THREADS", "4"))
        )

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Modig is served on http://{options['bind']}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "modig.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--worker-class", "gthread",
            "--timeout", "120",
            "--graceful-timeout", "20",
            "--max-requests", "5000",
            "--max-requests-jitter", "500",
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="modig.settings")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings.SRC_DIR.parent),
                                                           env.get("PYTHONPATH", "")]))
        os.execvpe(sys.executable, argv, env)  # noqa: S606 - replaces this process
