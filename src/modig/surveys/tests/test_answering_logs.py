"""Survey secrets stay out of logs: Gunicorn's access log and Django's request log."""

import contextlib
import logging
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from unittest import mock

from django.core.management import call_command
from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from modig.lib.gunicorn_logging import RedactingLogger, redact
from modig.surveys.tests.factories import make_invitation, make_round

TOKEN = "uDo7Mnuqd-DSiraKNJUQlhvT78TacCJJ"


def _access_line(logger_class, path: str, referer: str = "-") -> str:
    config = Config()
    logger = logger_class(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path.split("?")[0],
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": referer}
    response = types.SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = types.SimpleNamespace(headers=[("REFERER", referer)])
    elapsed = types.SimpleNamespace(seconds=0, microseconds=1500)
    atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, elapsed))
    return config.access_log_format % atoms


def test_plain_gunicorn_would_log_the_token():
    assert TOKEN in _access_line(Logger, f"/s/{TOKEN}/")


def test_redacting_logger_blanks_the_token_in_path_and_referer():
    line = _access_line(RedactingLogger, f"/s/{TOKEN}/?x=1",
                        referer=f"https://modig.example/s/{TOKEN}/")
    assert TOKEN not in line
    assert '"GET /s/…/?x=1 HTTP/1.1" 302' in line
    assert "https://modig.example/s/…/" in line


def test_the_lean_atoms_give_gunicorns_own_line_for_the_default_format():
    # RedactingLogger makes only the plain atoms when the format reads no header: the line is
    # the one Gunicorn itself would write (apart from the redacted token).
    path = "/svara/sida/2/"
    with mock.patch.object(Logger, "now", return_value="[02/Dec/2026:15:00:00 +0000]"):
        lean = _access_line(RedactingLogger, path, referer="https://modig.example/svara/")
        assert lean == _access_line(Logger, path, referer="https://modig.example/svara/")


def test_a_format_reading_headers_is_still_redacted():
    config = Config()
    config.set("access_log_format", '%(h)s "%(r)s" %({referer}i)s %({x-token}e)s')
    logger = RedactingLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/s/{TOKEN}/", "PATH_INFO": f"/s/{TOKEN}/",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "X-TOKEN": f"/s/{TOKEN}/"}
    response = types.SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = types.SimpleNamespace(headers=[("REFERER", f"https://modig.example/s/{TOKEN}/")])
    elapsed = types.SimpleNamespace(seconds=0, microseconds=1500)
    line = config.access_log_format % logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, elapsed))
    assert TOKEN not in line
    assert "https://modig.example/s/…/" in line


def test_other_paths_are_logged_as_they_are():
    assert redact("GET /svara/sida/2/ HTTP/1.1") == "GET /svara/sida/2/ HTTP/1.1"
    assert redact("/static/surveys/respond.css") == "/static/surveys/respond.css"


def test_serve_runs_gunicorn_with_the_redacting_logger():
    with mock.patch("modig.lib.management.commands.serve.subprocess.Popen") as popen, \
            mock.patch("modig.lib.management.commands.serve.supervise", return_value=0), \
            mock.patch("modig.lib.management.commands.serve.call_command"), \
            contextlib.suppress(SystemExit):
        call_command("serve")
    argv = popen.call_args_list[0].args[0]
    assert argv[argv.index("--logger-class") + 1] == "modig.lib.gunicorn_logging.RedactingLogger"
    assert "--access-logfile" in argv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_gunicorn_access_log_has_no_token(tmp_path):
    (tmp_path / "tiny_app.py").write_text(
        "def application(environ, start_response):\n"
        "    start_response('302 Found', [('Location', '/svara/start/')])\n"
        "    return [b'']\n"
    )
    port = _free_port()
    log_file = tmp_path / "access.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tiny_app:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log_file),
         "--logger-class", "modig.lib.gunicorn_logging.RedactingLogger"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        opener = urllib.request.build_opener(NoRedirect)
        deadline = time.monotonic() + 20
        while True:
            try:
                opener.open(f"http://127.0.0.1:{port}/s/{TOKEN}/", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for _ in range(50):
            if log_file.exists() and log_file.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = log_file.read_text()
    assert "GET /s/…/ HTTP/1.1" in text
    assert TOKEN not in text


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_django_request_log_of_a_bad_link_has_no_token(client, region, caplog):
    round_ = make_round(region.programme)
    make_invitation(round_, region.anna)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("surveys:respond-link", kwargs={"token": TOKEN}))
    assert response.status_code == 404
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged, "Django logs the 404"
    for record in logged:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(getattr(record, "request", ""))
