"""Helpers for the browser tests: navigate, scan with axe-core, sign in, read a TOTP secret."""

from base64 import b32decode

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp

from conftest import PASSWORD  # the personas' password, from the root conftest.py
from conftest import sign_in as sign_in_client

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def axe(page, where: str = "") -> None:
    """Fail with every serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    found = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if found:
        where = where or page.url
        lines = [f"axe-core found {len(found)} serious or critical problem(s) on {where}:"]
        for violation in found:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"-> {'; '.join(targets)}"
            )
        raise AssertionError("\n".join(lines))


def visit(page, url: str):
    """Go to a URL, check that it answered, and scan it."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    scan(page)
    return response


def scan(page) -> None:
    """Scan the page; with scripts off, axe runs on a copy of the same HTML in a scripted page."""
    page.wait_for_load_state()
    if not getattr(page.context, "modig_no_script", False):
        axe(page)
        return
    html, url = page.content(), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        copy.goto(url)
        axe(copy, where=f"{url} (JavaScript off)")
    finally:
        context.close()


def sign_in(page, server: str, email: str, password: str = PASSWORD, *, scan_page: bool = True):
    """Fill in the log-in form as a person would and submit it."""
    url = f"{server}/konto/logga-in/"
    if scan_page:
        visit(page, url)
    else:
        page.goto(url)
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def use_session_of(page, server: str, user) -> None:
    """Give the browser a signed-in session (two-factor passed) without typing: for tests that
    are about the pages behind the log-in, not about logging in."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.test import Client

    client = Client()
    sign_in_client(client, user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(server).hostname, "path": "/",
    }])


def code_from_secret(secret_text: str) -> str:
    """The current TOTP code for a base32 key as shown on the page (groups of four)."""
    key = b32decode(secret_text.replace(" ", "").strip().upper())
    return f"{totp(key):06d}"
