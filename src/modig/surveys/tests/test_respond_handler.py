"""The respondent pages' lean middleware stack (surveys.respond_handler, modig.wsgi).

The pages under /s/ and /svara/ are served without session, user, messages and log-in
middleware; these tests check that what protects the person is still there (CSRF, security
headers), that a view not marked public is never served by the lean stack, and that a whole
survey works through it with CSRF enforced, as a browser sends it.
"""

import io
import re

import pytest
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse
from django.utils import timezone

from modig.surveys.models import Questionnaire, Response
from modig.surveys.respond_handler import LeanMiddlewareMixin, is_respondent_path
from modig.surveys.tests.factories import make_invitation, make_round
from modig.surveys.tests.test_answering import ENTRY
from modig.surveys.tests.test_answering_forward import form_of

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LeanClientHandler(LeanMiddlewareMixin, ClientHandler):
    pass


class LeanClient(Client):
    """The test client with the respondent pages' middleware instead of the full stack."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.handler = LeanClientHandler(kwargs.get("enforce_csrf_checks", False))


def wsgi_get(path: str) -> tuple[str, list[tuple[str, str]]]:
    """GET through modig.wsgi.application itself (the production entry point)."""
    from modig.wsgi import application

    captured = {}

    def start_response(status, headers, exc_info=None):
        captured.update(status=status, headers=headers)

    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(), "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1",
    }
    body = application(environ, start_response)
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return captured["status"], captured["headers"]


@pytest.fixture
def survey(region):
    round_ = make_round(region.programme)
    Questionnaire.objects.filter(pk=round_.questionnaire_id).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    _invitation, _token, code = make_invitation(round_, region.anna)
    return round_, code


def test_only_the_respondent_paths_take_the_lean_stack():
    assert is_respondent_path("/s/abc/") and is_respondent_path("/svara/sida/2/")
    assert not is_respondent_path("/enkater/omgangar/")
    assert not is_respondent_path("/svarade/")  # a prefix of a word is not enough
    assert not is_respondent_path("/i18n/setlang/")


@pytest.mark.django_db
def test_a_respondent_page_keeps_its_security_headers_and_sets_no_session():
    status, headers = wsgi_get(ENTRY)
    assert status.startswith("200")
    names = {name.lower(): value for name, value in headers}
    assert "content-security-policy" in names
    assert "script-src 'self'" in names["content-security-policy"]
    assert names["x-frame-options"] == "DENY"
    assert names["x-content-type-options"] == "nosniff"
    cookies = [value for name, value in headers if name.lower() == "set-cookie"]
    assert any(c.startswith("csrftoken=") for c in cookies)  # the code form carries a token
    assert not any(c.startswith("sessionid=") for c in cookies)


@pytest.mark.django_db
def test_other_pages_still_take_the_full_stack():
    # A staff page reached by an anonymous visitor: the log-in middleware sends them to log in
    # (the lean stack would have answered 404, see below).
    status, headers = wsgi_get(reverse("surveys:round-list"))
    assert status.startswith("302")
    assert reverse("accounts:login") in dict(headers)["Location"]


@pytest.mark.django_db
def test_a_view_not_marked_public_is_not_found_through_the_lean_stack():
    reply = LeanClient().get(reverse("surveys:round-list"))
    assert reply.status_code == 404


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(survey):
    _round, code = survey
    client = LeanClient(enforce_csrf_checks=True)
    client.get(ENTRY)  # the CSRF cookie, as a browser would have it
    assert client.post(ENTRY, {"code": code}).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_whole_survey_through_the_lean_stack_with_csrf_enforced(survey):
    round_, code = survey
    client = LeanClient(enforce_csrf_checks=True)
    html = client.get(ENTRY).content.decode()
    reply = client.post(ENTRY, {"code": code,
                                "csrfmiddlewaretoken": CSRF_FIELD.search(html).group(1)},
                        follow=True)
    assert reply.status_code == 200
    html = reply.content.decode()
    begin = re.search(r'<a class="button" href="(/svara/sida/\d+/)"', html).group(1)
    html = client.get(begin).content.decode()
    for _ in range(20):
        form = form_of(html)
        button = "submit" if "submit" in form["buttons"] else "next"
        token = CSRF_FIELD.findall(html)[-1]  # the survey form's own token
        data = {"page": form["page"], "action": button, "csrfmiddlewaretoken": token}
        data.update({name: "3" for name in set(re.findall(r'name="(item-\d+)"', html))})
        reply = client.post(form["buttons"][button], data)
        assert reply.status_code == 200, reply.content.decode()[:2000]
        html = reply.content.decode()
        if button == "submit":
            break
    response = Response.objects.get(round=round_)
    assert response.submitted_at is not None
    assert response.answers.count() > 0
    assert 'message-success" role="status"' in html


def _call(application, path: str):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(), "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1",
    }
    return application(environ, lambda status, headers, exc_info=None: None)


@pytest.mark.django_db
def test_a_page_reaches_the_server_as_one_bytes_body_and_is_closed_already():
    from django.core.signals import request_finished

    from modig.wsgi import application

    finished = []

    def on_finished(**kwargs):
        finished.append(kwargs["sender"])

    request_finished.connect(on_finished)
    try:
        body = _call(application, ENTRY)
    finally:
        request_finished.disconnect(on_finished)
    assert isinstance(body, list) and len(body) == 1
    assert b"<form" in body[0]
    assert finished  # closed before the server sends it: Django's request end has run


def test_a_streamed_response_is_passed_on_as_it_is():
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import StreamingHttpResponse

    from modig.surveys.respond_handler import RespondentAwareApplication

    class Streams(WSGIHandler):
        def __init__(self):
            pass

        def __call__(self, environ, start_response):
            return StreamingHttpResponse(iter([b"a", b"b"]))

    application = RespondentAwareApplication.__new__(RespondentAwareApplication)
    application.full = application.lean = Streams()
    body = _call(application, "/rapporter/export.csv")
    assert isinstance(body, StreamingHttpResponse)
    assert b"".join(body) == b"ab"
