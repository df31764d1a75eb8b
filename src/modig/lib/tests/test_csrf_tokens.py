"""lib.csrf_tokens: the fast masked token is a Django CSRF token in every respect."""

import collections

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_TOKEN_LENGTH,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory

from modig.lib.csrf_tokens import mask, masked_token


def test_a_masked_token_unmasks_to_its_secret_under_a_new_mask_each_time():
    secret = _get_new_csrf_string()
    tokens = {mask(secret) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_every_letter_of_the_alphabet_is_about_as_likely_in_a_mask():
    counts = collections.Counter(char for _ in range(2000)
                                 for char in mask(_get_new_csrf_string())[:32])
    expected = 2000 * 32 / len(CSRF_ALLOWED_CHARS)  # about 1,032 each
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # A modulo bias (256 % 62 = 8 letters drawn 5/4 as often) would put some near 1,270.
    assert all(abs(count - expected) < 0.15 * expected for count in counts.values())


def test_the_request_gets_the_cookie_renewed_and_a_new_one_when_it_has_none():
    factory = RequestFactory()
    request = factory.get("/svara/start/")
    first = masked_token(request)  # no secret yet: Django's get_token makes one
    secret = request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(first) == secret
    again = factory.get("/svara/start/")
    again.META["CSRF_COOKIE"] = secret
    token = masked_token(again)
    assert token != first and _unmask_cipher_token(token) == secret
    assert again.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_csrf_middleware_accepts_the_token_and_refuses_a_changed_one(client, db):
    reply = client.get("/svara/")
    secret = client.cookies["csrftoken"].value
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    token = masked_token(request)
    checked = Client(enforce_csrf_checks=True)
    checked.cookies["csrftoken"] = secret
    assert reply.status_code == 200
    good = checked.post("/svara/", {"code": "ABCD-EFGH-JK", "csrfmiddlewaretoken": token})
    assert good.status_code != 403
    changed = token[:-1] + ("a" if token[-1] != "a" else "b")
    bad = checked.post("/svara/", {"code": "ABCD-EFGH-JK", "csrfmiddlewaretoken": changed})
    assert bad.status_code == 403
