"""A leaner middleware stack for the respondent pages (issue 4, "Speed and loss").

The respondent pages (`/s/<token>/` and `/svara/...`, respond_urls) take most of a campaign's
requests, and none of them needs a session, a signed-in user, two-factor checks, flash
messages, htmx or the log-in lockout: who is answering is kept in the pages' own signed cookie
(respond_views.Visit). So `modig.wsgi` hands these paths to a second Django handler built from
`settings.RESPONDENT_MIDDLEWARE` instead of `settings.MIDDLEWARE`. It keeps everything that
protects the person: HTTPS and security headers, the language, CSRF, X-Frame-Options and the
strict CSP.

CSRF stays Django's own (CsrfViewMiddleware with the CSRF cookie and the form's token): a page
POST from another site carries neither the Origin of this one nor the token, and is refused
with 403 as on every other page. The language switch on the respondent pages posts to
/i18n/setlang/, which goes through the full stack and checks the same CSRF cookie.

Fail closed: `PublicViewsOnly` answers 404 for any view on these paths that is not marked
public (login_not_required). A page added under /svara/ that needs a signed-in user is
therefore never served without its log-in check: it is simply not found until it moves.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import Http404

# Paths served by the lean stack. Every view behind them is public (respond_urls).
RESPONDENT_PREFIXES = ("/s/", "/svara/")


def is_respondent_path(path: str) -> bool:
    return path.startswith(RESPONDENT_PREFIXES)


class PublicViewsOnly:
    """In the lean stack only: refuse (404) a view that has not been marked public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True):
            raise Http404
        return None


class LeanMiddlewareMixin:
    """A Django handler whose middleware is `settings.RESPONDENT_MIDDLEWARE`.

    BaseHandler.load_middleware reads settings.MIDDLEWARE; the list is swapped for the time of
    that call only (once, when the handler is made, before any request is served)."""

    def load_middleware(self, is_async=False):
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.RESPONDENT_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class LeanWSGIHandler(LeanMiddlewareMixin, WSGIHandler):
    pass


class RespondentAwareApplication:
    """The WSGI application: respondent paths to the lean handler, the rest to Django's.

    A response that is not streamed is handed to the server as a list of one bytes object,
    its content, and closed here (Django's request_finished). Given Django's response itself,
    Granian walks the iterable from Rust, holding the GIL that the other threads of the worker
    wait for; given a list it sends the body in one call. In a survey campaign `py-spy --gil`
    put 27 % of a worker's GIL-held samples on that call, 10 % with the list
    (docs/performance.md). A streamed response (a file, a large export) is passed on as it is,
    to be sent as it is produced."""

    def __init__(self, full: WSGIHandler):
        self.full = full
        self.lean = LeanWSGIHandler()

    def __call__(self, environ, start_response):
        if is_respondent_path(environ.get("PATH_INFO", "")):
            response = self.lean(environ, start_response)
        else:
            response = self.full(environ, start_response)
        if getattr(response, "streaming", True):
            return response
        try:
            return [response.content]
        finally:
            response.close()
