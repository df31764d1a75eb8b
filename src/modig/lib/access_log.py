"""Logs without survey secrets.

A personal survey link is `/s/<token>/`; the token opens a person's survey, so it must never
reach a log (issue 4, "Reaching people"). A training check-in link `/i/<code>/` (issue 5) is
kept out the same way. `RedactLinks` is a logging filter that blanks the token in a record's
message and in its arguments (Granian's access log passes the path, query string and any
headers as arguments; Django's "Not Found: %s" passes the path).

It sits on the handlers of Granian's access and error logs (`GRANIAN_LOG_CONFIG`, which
`modig serve` passes with `--log-config`) and on the handler of Modig's own logs
(settings.LOGGING), so a record reaches no output without passing it.

`AccessLog` writes the access log itself, one line per request in Granian's default format,
with the path redacted. `modig serve` runs Granian with `--no-access-log` and this around the
application (`modig.served`): Granian's access log goes through Python's logging for every
request, which under load cost about 100 µs of server CPU a request (wrk against
`/svara/start/`: 290 against 190 µs with no access log; 5,800–7,200 requests/s with it,
7,500–9,100 with this line instead, as many as with none; docs/performance.md, "survey
campaign").
"""

import contextlib
import logging
import os
import re
import sys
import time
from pathlib import Path

# "/s/" or "/i/" followed by anything up to the next slash, query, fragment, quote or space.
SURVEY_LINK = re.compile(r"/([si])/[^/?#\s\"']+")

# Granian's logging configuration (a JSON dictConfig) with the filter on every handler.
GRANIAN_LOG_CONFIG = Path(__file__).resolve().parent / "data" / "granian_log.json"


def redact(text: str) -> str:
    """The text with the token of every survey or check-in link replaced by an ellipsis."""
    return SURVEY_LINK.sub(lambda match: f"/{match.group(1)}/…", text)


def _redacted(value):
    # Every access-log line passes here: look at a value only when a link may be in it.
    if isinstance(value, str):
        return redact(value) if "/s/" in value or "/i/" in value else value
    if isinstance(value, int | float | bool) or value is None:
        return value
    # Anything else is formatted with str() in the end: redact that text instead.
    text = str(value)
    return redact(text) if "/s/" in text or "/i/" in text else value


class RedactLinks(logging.Filter):
    """Blanks survey and check-in link tokens in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        args = record.args
        if isinstance(args, dict):
            record.args = {key: _redacted(value) for key, value in args.items()}
        elif args:
            record.args = tuple(_redacted(value) for value in args)
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            # Django's request log adds the request; a JSON formatter prints it with str(),
            # which shows the path. Handlers that need the object itself (e-mail to admins)
            # are not configured.
            record.request = _redacted(request)
        return True


class AccessLog:
    """WSGI middleware: one line per request on standard output, in Granian's default format
    (`[time] address - "METHOD path protocol" status milliseconds`), with survey and check-in
    tokens blanked. The milliseconds run until the application returns its response. Each
    line is one write(2) of the whole line, so lines from several threads never mix and none
    waits in a buffer (a SIGKILL loses no line already written)."""

    def __init__(self, application, stream=None):
        self.application = application
        self.fileno = (stream or sys.stdout).fileno()

    def __call__(self, environ, start_response):
        started, status = time.perf_counter(), ["500"]

        def start(status_line, headers, exc_info=None):
            status[0] = status_line[:3]
            return start_response(status_line, headers, exc_info)

        try:
            return self.application(environ, start)
        finally:
            self._write(environ, status[0], (time.perf_counter() - started) * 1000)

    def _write(self, environ, status: str, milliseconds: float) -> None:
        path = _redacted(environ.get("PATH_INFO", ""))
        line = (f"[{_now()}] {environ.get('REMOTE_ADDR', '-')} - "
                f'"{environ.get("REQUEST_METHOD", "-")} {path} '
                f'{environ.get("SERVER_PROTOCOL", "-")}" {status} {milliseconds:.3f}\n')
        with contextlib.suppress(OSError):  # a closed or full output must not fail the request
            os.write(self.fileno, line.encode("utf-8", "backslashreplace"))


_stamp: list = [0, ""]  # the second last formatted, and its text


def _now() -> str:
    """The local time as Granian writes it, formatted once a second."""
    second = int(time.time())
    if _stamp[0] != second:
        _stamp[:] = [second, time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(second))]
    return _stamp[1]
