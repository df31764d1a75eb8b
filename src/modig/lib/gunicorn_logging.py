"""Gunicorn's access log without survey secrets.

A personal survey link is `/s/<token>/`; the token opens a person's survey, so it must never
reach a log (issue 4, "Reaching people"). A training check-in link `/i/<code>/` (issue 5) is
kept out the same way. Gunicorn prints the request line, the path and the
Referer of every request: this logger class blanks the token in all of them. `modig serve`
passes it with `--logger-class modig.lib.gunicorn_logging.RedactingLogger`.
"""

import re

from gunicorn.glogging import Logger

# "/s/" or "/i/" followed by anything up to the next slash, query, fragment, quote or space.
SURVEY_LINK = re.compile(r"/([si])/[^/?#\s\"']+")
REDACTED = "/s/…"


def redact(text: str) -> str:
    """The text with the token of every survey or check-in link replaced by an ellipsis."""
    return SURVEY_LINK.sub(lambda match: f"/{match.group(1)}/…", text)


class RedactingLogger(Logger):
    """Gunicorn's logger with survey link tokens blanked in every access-log field."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every access-log line passes here: look at the values only when a link is present.
        for key, value in atoms.items():
            if isinstance(value, str) and ("/s/" in value or "/i/" in value):
                atoms[key] = redact(value)
        return atoms
