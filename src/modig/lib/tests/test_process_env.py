"""Secrets leave the served process's environment (lib/process_env, modig.served)."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from modig.lib.process_env import drop_secrets
from modig.lib.tests.servers import free_port, stop


def test_secret_looking_variables_go_and_the_rest_stay():
    environ = {
        "SECRET_KEY": "s", "DATABASE_URL": "postgres://modig:pw@db/modig", "REDIS_URL": "r",
        "EMAIL_HOST_PASSWORD": "p", "OIDC_RP_CLIENT_SECRET": "c", "SENTRY_DSN": "d",
        "SMS_API_TOKEN": "t", "SMS_API_KEY": "k", "PATH": "/usr/bin", "HOME": "/root",
        "DJANGO_SETTINGS_MODULE": "modig.settings", "MODIG_PUBLIC_URL": "https://modig.example",
        "EMAIL_HOST": "smtp.example", "LOG_LEVEL": "INFO",
    }
    removed = drop_secrets(environ)
    assert removed == sorted(["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST_PASSWORD",
                              "OIDC_RP_CLIENT_SECRET", "SENTRY_DSN", "SMS_API_TOKEN",
                              "SMS_API_KEY"])
    assert environ == {"PATH": "/usr/bin", "HOME": "/root",
                       "DJANGO_SETTINGS_MODULE": "modig.settings",
                       "MODIG_PUBLIC_URL": "https://modig.example",
                       "EMAIL_HOST": "smtp.example", "LOG_LEVEL": "INFO"}


# Answers with the secret-looking names its request's environ holds (one per line).
APP = """\
from modig.lib.process_env import SECRET_NAME{drop}

def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["\\n".join(sorted(k for k in environ if SECRET_NAME.search(k))).encode()]
"""


def _names_a_request_sees(directory, drop: bool) -> set[str]:
    directory.mkdir()
    (directory / "app.py").write_text(APP.format(
        drop="\nfrom modig.lib.process_env import drop_secrets\ndrop_secrets()" if drop else ""))
    port = free_port()
    env = dict(os.environ, SECRET_KEY="test-secret", DATABASE_URL="sqlite:////tmp/x.sqlite3")
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "app:application", "--interface", "wsgi",
         "--port", str(port), "--workers", "1", "--blocking-threads", "1", "--http", "1",
         "--no-ws"],
        cwd=directory, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    return set(answer.read().decode().split())
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
    finally:
        stop(server)


def test_a_real_granian_request_sees_no_secret_once_they_are_dropped(tmp_path):
    # The control: without drop_secrets Granian puts them into every request's environ.
    assert {"SECRET_KEY", "DATABASE_URL"} <= _names_a_request_sees(tmp_path / "kept", False)
    assert _names_a_request_sees(tmp_path / "dropped", True) == set()


@pytest.mark.parametrize(("access_log", "wrapped"), [("1", True), ("0", False)])
def test_modig_served_is_modig_wsgi_with_the_secrets_dropped(access_log, wrapped):
    """In a process of its own: importing modig.served empties the environment of secrets;
    the application is modig.wsgi's, inside the access log unless MODIG_ACCESS_LOG=0."""
    code = ("import os; from modig import served, wsgi; "
            "from modig.lib.access_log import AccessLog; "
            "app = served.application; "
            "print(isinstance(app, AccessLog), getattr(app, 'application', app) is "
            "wsgi.application, sorted(k for k in ('SECRET_KEY', 'DATABASE_URL') "
            "if k in os.environ))")
    env = dict(os.environ, SECRET_KEY="test-secret-key-" + "x" * 40,
               DJANGO_SETTINGS_MODULE="modig.settings", MODIG_ACCESS_LOG=access_log)
    env.setdefault("DATABASE_URL", "sqlite:////tmp/modig-served-test.sqlite3")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == f"{wrapped} True []"
