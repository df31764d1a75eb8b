"""Logs without survey secrets.

A personal survey link is `/s/<token>/`; the token opens a person's survey, so it must never
reach a log (issue 4, "Reaching people"). A training check-in link `/i/<code>/` (issue 5) is
kept out the same way. `RedactLinks` is a logging filter that blanks the token in a record's
message and in its arguments (Granian's access log passes the path, query string and any
headers as arguments; Django's "Not Found: %s" passes the path).

It sits on the handlers of Granian's access and error logs (`GRANIAN_LOG_CONFIG`, which
`modig serve` passes with `--log-config`) and on the handler of Modig's own logs
(settings.LOGGING), so a record reaches no output without passing it.
"""

import logging
import re
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
