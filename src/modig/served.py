"""The WSGI application as a web server runs it (`modig serve`: `modig.served:application`).

It is `modig.wsgi.application`, with the secrets taken out of the process environment once the
settings have read them (lib/process_env.drop_secrets): Granian copies the environment into
every request's environ after loading this module. Kept apart from `modig.wsgi`, which tests
and benchmarks import into processes that still need their environment.
"""

from django.conf import settings

from modig.lib.access_log import AccessLog
from modig.lib.process_env import drop_secrets
from modig.wsgi import application

drop_secrets()
if settings.MODIG_ACCESS_LOG:
    # The access log (Granian's own is off: `modig serve` passes --no-access-log).
    application = AccessLog(application)

__all__ = ["application"]
