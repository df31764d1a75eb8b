"""Browser tests: Debian's headless Chromium, driven by Playwright, against pytest-django's
live server.

Every test here is marked `browser` (`pytest -m "not browser"` leaves them out). Without
/usr/bin/chromium (or the path in MODIG_CHROMIUM) the folder is skipped, unless
MODIG_REQUIRE_BROWSER=1 (CI sets it), in which case the run fails loudly instead.

One browser for the whole folder (package scope, see `browser`), a fresh context (cookies,
storage) per test. `browsing.visit()` navigates and runs axe-core; `browsing.scan()` scans the
current state again after something new appears on the page.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("MODIG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
REQUIRE_BROWSER = os.environ.get("MODIG_REQUIRE_BROWSER", "") == "1"
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not REQUIRE_BROWSER:
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for the browser tests, started after the test database exists.

    Playwright's sync API keeps an asyncio event loop running in this thread while it is up,
    and Django then refuses ORM calls as if they came from async code. They are plain
    synchronous calls, so the check is switched off exactly while the browser is up; the
    fixture is package-scoped so that the loop and the switch end with the last browser test
    (pytest-django runs all live-server tests together) instead of leaking into later tests
    (`check --deploy` rejects DJANGO_ALLOW_ASYNC_UNSAFE, for one).
    """
    if not CHROMIUM.exists():
        pytest.fail(f"MODIG_REQUIRE_BROWSER=1 but {CHROMIUM} is missing", pytrace=False)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 takes most of a second per persona and per log-in on a busy machine; these tests
    are about pages, and the rest of the suite creates and checks passwords with Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Municipalities and occupations come from a data migration, which the flush after every
    transactional (live server) test drops: load them again before each test."""
    request.getfixturevalue("transactional_db")
    from modig.organisation.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def server(live_server) -> str:
    """The live server's base URL (static files are served by it too)."""
    return live_server.url


def _context(browser, **options):
    context = browser.new_context(locale="sv-SE", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser, server):
    """A page on a 360 × 740 touch phone."""
    context = _context(browser, **PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser, server):
    """A page on a desktop-sized window."""
    context = _context(browser, **DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_script(browser, server):
    """A phone page with JavaScript switched off."""
    context = _context(browser, java_script_enabled=False, **PHONE)
    context.modig_no_script = True
    yield context.new_page()
    context.close()
