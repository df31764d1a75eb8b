"""Survey secrets stay out of logs: Granian's access and error logs and Django's request log."""

import contextlib
import io
import json
import logging
import subprocess
import sys
import time
import urllib.request
from unittest import mock

from django.core.management import call_command
from django.urls import reverse

from modig.lib.access_log import GRANIAN_LOG_CONFIG, RedactLinks, redact
from modig.lib.tests.servers import free_port, stop
from modig.surveys.tests.factories import make_invitation, make_round

TOKEN = "uDo7Mnuqd-DSiraKNJUQlhvT78TacCJJ"
CODE = "K7QM2XWA"


# --- the filter ---------------------------------------------------------------------------


def _record(msg, args=(), **extra) -> logging.LogRecord:
    record = logging.LogRecord("granian.access", logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def _filtered(record: logging.LogRecord) -> logging.LogRecord:
    assert RedactLinks().filter(record) is True, "the filter blanks, it never drops a record"
    return record


def test_the_filter_redacts_granians_mapping_arguments():
    # Granian's access log: logger.info(format, {"path": ..., "query_string": ..., ...}).
    fmt = '%(addr)s "%(method)s %(path)s?%(query_string)s" %(status)d "%(_h0)s"'
    args = {"addr": "10.0.0.1", "method": "GET", "path": f"/s/{TOKEN}/",
            "query_string": f"next=/i/{CODE}/", "status": 302,
            "_h0": f"https://modig.example/s/{TOKEN}/"}
    assert TOKEN in _record(fmt, args).getMessage(), "control: unfiltered, the token is there"
    line = _filtered(_record(fmt, args)).getMessage()
    assert TOKEN not in line and CODE not in line
    assert line == ('10.0.0.1 "GET /s/…/?next=/i/…/" 302 "https://modig.example/s/…/"')


def test_the_filter_redacts_positional_arguments_and_the_message():
    record = _filtered(_record("%s: %s", ("Not Found", f"/s/{TOKEN}/extra/")))
    assert record.args == ("Not Found", "/s/…/extra/")
    assert _filtered(_record(f"bad link /i/{CODE}/")).getMessage() == "bad link /i/…/"


def test_the_filter_redacts_objects_that_print_a_link_and_the_request():
    class Request:
        def __str__(self):
            return f"<WSGIRequest: GET '/s/{TOKEN}/'>"

    record = _filtered(_record("%s %d", (Request(), 404), request=Request()))
    assert TOKEN not in record.getMessage()
    assert TOKEN not in str(record.request)
    assert record.args[1] == 404


def test_other_paths_are_logged_as_they_are():
    assert redact("GET /svara/sida/2/ HTTP/1.1") == "GET /svara/sida/2/ HTTP/1.1"
    assert redact("/static/surveys/respond.css") == "/static/surveys/respond.css"
    args = {"path": "/svara/sida/2/", "status": 200}
    assert _filtered(_record("%(path)s %(status)d", args)).args == args


# --- modig serve --------------------------------------------------------------------------


def _serve_argv(*arguments) -> list[str]:
    with mock.patch("modig.lib.management.commands.serve.subprocess.Popen") as popen, \
            mock.patch("modig.lib.management.commands.serve.supervise", return_value=0), \
            mock.patch("modig.lib.management.commands.serve.call_command"), \
            contextlib.suppress(SystemExit):
        call_command("serve", *arguments)
    return popen.call_args_list[0].args[0]


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_runs_granian_over_wsgi_with_the_redacting_log_config():
    argv = _serve_argv("--bind", "10.1.2.3:8123")
    assert argv[1:4] == ["-m", "granian", "modig.served:application"]
    assert _option(argv, "--interface") == "wsgi"
    assert (_option(argv, "--host"), _option(argv, "--port")) == ("10.1.2.3", "8123")
    # The application writes the access log (lib/access_log.AccessLog), not Granian.
    assert "--no-access-log" in argv and "--access-log" not in argv
    assert _option(argv, "--log-config") == str(GRANIAN_LOG_CONFIG)
    assert GRANIAN_LOG_CONFIG.is_file()
    assert "--respawn-failed-workers" in argv
    assert (_option(argv, "--workers"), _option(argv, "--blocking-threads")) == ("2", "8")
    assert _option(argv, "--workers-max-rss") == "1024"
    assert _option(argv, "--http") == "1" and "--no-ws" in argv


def test_the_log_config_filters_every_granian_handler():
    config = json.loads(GRANIAN_LOG_CONFIG.read_text())
    assert config["filters"]["redact_links"]["()"] == "modig.lib.access_log.RedactLinks"
    for name in ("_granian", "granian.access"):
        for handler in config["loggers"][name]["handlers"]:
            assert "redact_links" in config["handlers"][handler]["filters"], handler


# --- a real Granian ------------------------------------------------------------------------

# Answers every path with a redirect and logs the path on Granian's error logger, as Django's
# "Not Found: %s" would.
TINY_APP = """\
import logging

def application(environ, start_response):
    logging.getLogger("_granian").warning("Not Found: %s", environ["PATH_INFO"])
    start_response("302 Found", [("Location", "/svara/start/")])
    return [b""]
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _start_granian(directory, log_config) -> tuple[subprocess.Popen, int]:
    (directory / "tiny_app.py").write_text(TINY_APP)
    port = free_port()
    with (directory / "out.log").open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "granian", "tiny_app:application", "--interface", "wsgi",
             "--port", str(port), "--workers", "1", "--blocking-threads", "1", "--http", "1",
             "--no-ws", "--access-log", "--log-config", str(log_config)],
            cwd=directory, stdout=out, stderr=subprocess.STDOUT,
        )
    return server, port


def _get_links_and_stop(server: subprocess.Popen, port: int, directory) -> str:
    """GET a survey link and a check-in link, stop the server; the log it wrote."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        for path in (f"/s/{TOKEN}/", f"/i/{CODE}/"):
            deadline = time.monotonic() + 15
            while True:
                try:
                    opener.open(f"http://127.0.0.1:{port}{path}", timeout=2)
                except urllib.error.HTTPError as answer:  # the 302, not followed
                    assert answer.code == 302
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.1)
        # Granian writes the access line after the response has gone: wait for both lines.
        deadline = time.monotonic() + 5
        while (directory / "out.log").read_text().count(" 302 ") < 2 \
                and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop(server)
    return (directory / "out.log").read_text()


def test_a_real_granian_logs_no_token_and_would_without_the_filter(tmp_path):
    unfiltered = json.loads(GRANIAN_LOG_CONFIG.read_text())
    for handler in unfiltered["handlers"].values():
        handler.pop("filters")
    (tmp_path / "unfiltered").mkdir()
    (tmp_path / "unfiltered" / "log.json").write_text(json.dumps(unfiltered))
    (tmp_path / "filtered").mkdir()
    # Both servers start at once: the test takes one start-up, not two.
    filtered = _start_granian(tmp_path / "filtered", GRANIAN_LOG_CONFIG)
    control = _start_granian(tmp_path / "unfiltered", tmp_path / "unfiltered" / "log.json")
    try:
        text = _get_links_and_stop(*filtered, tmp_path / "filtered")
    finally:
        control_text = _get_links_and_stop(*control, tmp_path / "unfiltered")

    assert '"GET /s/…/ HTTP/1.1" 302' in text, text
    assert '"GET /i/…/ HTTP/1.1" 302' in text, text
    assert "Not Found: /s/…/" in text and "Not Found: /i/…/" in text, text
    assert TOKEN not in text and CODE not in text, text
    # The control: the same server and log configuration without the filter logs both.
    assert f'"GET /s/{TOKEN}/ HTTP/1.1" 302' in control_text, control_text
    assert f"Not Found: /i/{CODE}/" in control_text, control_text


# --- Django's request log -------------------------------------------------------------------


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


def test_modigs_log_output_blanks_a_token_no_view_rewrote(client, db):
    # No view answers /s/<token>/nothing/: Django's resolver logs "Not Found: <path>" with
    # the path untouched. The handler of Modig's own logs (settings.LOGGING) blanks it.
    handlers = [h for h in logging.getLogger().handlers
                if any(isinstance(f, RedactLinks) for f in h.filters)]
    assert handlers, "Modig's log handler carries the filter"
    output = io.StringIO()
    previous = handlers[0].setStream(output)
    try:
        assert client.get(f"/s/{TOKEN}/nothing/").status_code == 404
    finally:
        handlers[0].setStream(previous)
    text = output.getvalue()
    assert TOKEN not in text, text
    line = json.loads(text.splitlines()[-1])
    assert line["message"] == "Not Found: /s/…/nothing/"
    assert line["request"] == "<WSGIRequest: GET '/s/…/nothing/'>"
