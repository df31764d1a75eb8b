"""Secrets leave the web server's process environment once the settings have read them.

Granian builds every request's WSGI environ from a copy of the process environment it takes
after loading the application, so whatever is still in `os.environ` then is in every
`request.META`: a database URL with its password would reach anything that prints META (an
error report, a debugging aid). `modig.served` calls `drop_secrets()` after Django is set up; the
settings keep the values, and a child process the server starts does not inherit them.
"""

import os
import re

# Names of variables that hold a secret or a URL with credentials in it.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|^KEY$|_DSN$|DATABASE_URL|REDIS_URL"
                         r"|_URL_WITH_CREDENTIALS$", re.I)


def drop_secrets(environ=os.environ) -> list[str]:
    """Remove every secret-looking variable from `environ`; the names removed."""
    names = sorted(name for name in environ if SECRET_NAME.search(name))
    for name in names:
        del environ[name]
    return names
