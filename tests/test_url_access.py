"""Every URL of Modig, walked with every role (issue 3, "Accounts and roles").

RULES declares, for every URL name the project has, what each role gets. The walk fails when a
URL name has no entry, so a new page cannot ship without declaring who may open it. Expected
outcomes:
- OK: 200; GO: a redirect to a page that answers 200 for the same user;
- REDIRECT: any redirect (log-out, language switch);
- LOGIN: a redirect to the log-in page (anonymous visitors);
- DENY: 403 (inside scope but not allowed); HIDE: 404 (outside scope, existence not revealed).
URL arguments come from the `region` fixture in the root conftest.py: Anna works at Vikadamm
in Ale (she is the staff_member persona); Cecilia works at Solgården in the other municipality.

Apps added after the foundation declare theirs in a module of their own under
`tests/url_rules/` (a dict named RULES); every module there is merged in below.
"""

import importlib
import pkgutil
import re

import pytest
import url_rules
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from url_rules import DENY, GO, HIDE, LOGIN, OK, REDIRECT, ROLES, Case, everyone, expect

from conftest import sign_in

SKIPPED_NAMESPACES = {"admin"}


def roster_import_in(municipality):
    """An uploaded staff list waiting for its column mapping."""
    from modig.roster.services import start_import

    content = "Anst.nr;Förnamn;Efternamn;Enhet\r\nX1;Ex;Empel;Vikadamm boende\r\n".encode()
    return start_import(municipality, file_name="lista.csv", content=content)


def pair(region, a, b):
    first, second = sorted([getattr(region, a).pk, getattr(region, b).pk])
    return {"first": first, "second": second}


RULES: dict[str, list[Case]] = {
    # Project pages --------------------------------------------------------------------------
    "home": [Case(everyone(OK, anonymous=LOGIN))],
    "healthz": [Case(everyone(OK))],
    "accessibility": [Case(everyone(OK))],
    "set_language": [Case(everyone(REDIRECT), method="post",
                          data={"language": "sv", "next": "/tillganglighet/"})],
    # Accounts -------------------------------------------------------------------------------
    "accounts:login": [Case(everyone(GO, anonymous=OK))],
    "accounts:logout": [Case(everyone(REDIRECT), method="post")],
    "accounts:two-factor": [Case(everyone(OK, anonymous=LOGIN))],
    "accounts:password-reset": [Case(everyone(OK))],
    "accounts:password-reset-done": [Case(everyone(OK))],
    "accounts:password-reset-confirm": [
        Case(everyone(OK), kwargs=lambda r: {"uidb64": "MQ", "token": "wrong-token"})
    ],
    "accounts:password-reset-complete": [Case(everyone(OK))],
    "accounts:access-log": [Case(expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN))],
    # Organisation registry ------------------------------------------------------------------
    "organisation:municipality-list": [
        Case(expect(OK, GO, GO, GO, DENY, DENY, DENY, LOGIN)),
    ],
    "organisation:municipality-detail": [
        Case(expect(OK, OK, OK, OK, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": r.ale.code}, label="own"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": r.tjorn.code}, label="other"),
        Case(expect(HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": "9999"}, label="unknown"),
    ],
    "organisation:unit-create": [
        Case(expect(OK, OK, DENY, DENY, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": r.ale.code}, label="own"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": r.tjorn.code}, label="other"),
    ],
    "organisation:unit-detail": [
        Case(expect(OK, OK, OK, OK, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.vikadamm.pk}, label="vikadamm"),
        Case(expect(OK, OK, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.ale_elderly.pk}, label="above-manager"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.solgarden.pk}, label="other"),
    ],
    "organisation:unit-edit": [
        Case(expect(OK, OK, DENY, DENY, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.vikadamm.pk}, label="own"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.solgarden.pk}, label="other"),
    ],
    "organisation:unit-status": [
        Case(expect(GO, GO, DENY, DENY, HIDE, HIDE, HIDE, LOGIN), method="post",
             data={"action": "deactivate"}, kwargs=lambda r: {"pk": r.vikadamm.pk},
             label="own"),
        Case(expect(GO, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method="post",
             data={"action": "deactivate"}, kwargs=lambda r: {"pk": r.solgarden.pk},
             label="other"),
    ],
    "organisation:person-list": [
        Case(expect(OK, OK, OK, OK, DENY, DENY, DENY, LOGIN)),
    ],
    "organisation:person-export": [
        Case(expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)),
    ],
    "organisation:person-detail": [
        Case(expect(OK, OK, OK, OK, HIDE, OK, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.anna.pk}, label="anna"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": r.cecilia.pk}, label="other"),
        Case(expect(HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"pk": 999999}, label="unknown"),
    ],
    "organisation:person-identity-number": [
        Case(expect(OK, DENY, DENY, DENY, HIDE, DENY, HIDE, LOGIN), method="post",
             kwargs=lambda r: {"pk": r.anna.pk}, label="anna"),
        Case(expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method="post",
             kwargs=lambda r: {"pk": r.cecilia.pk}, label="other"),
    ],
    "organisation:duplicate-list": [
        Case(expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)),
    ],
    "organisation:duplicate-merge": [
        Case(expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: pair(r, "anna", "bertil"), label="own"),
        Case(expect(OK, HIDE, DENY, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda r: pair(r, "anna", "cecilia"), label="other"),
    ],
    "organisation:duplicate-keep-apart": [
        Case(expect(GO, GO, DENY, DENY, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=lambda r: pair(r, "anna", "bertil"), label="own"),
        Case(expect(GO, HIDE, DENY, DENY, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=lambda r: pair(r, "anna", "cecilia"), label="other"),
    ],
    # Roster import (the roster app adds its URL names here) ----------------------------------
    "roster:import-list": [Case(expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN))],
    "roster:import-upload": [Case(expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN))],
    **{
        name: [
            Case(expect(ok, ok, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method=method,
                 kwargs=lambda r: {"pk": roster_import_in(r.ale).pk}, label=f"own-{method}"),
            Case(expect(ok, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method=method,
                 kwargs=lambda r: {"pk": roster_import_in(r.tjorn).pk},
                 label=f"other-{method}"),
        ]
        for name, method, ok in (
            ("roster:import-detail", "get", OK),
            ("roster:import-mapping", "get", OK),
            ("roster:import-units", "post", GO),
            ("roster:import-commit", "post", GO),
        )
    },
}


for _module in pkgutil.iter_modules(url_rules.__path__):
    RULES.update(importlib.import_module(f"url_rules.{_module.name}").RULES)


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if str(pattern.pattern).startswith(("static/", "^static/", "media/")):
                continue
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>"


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_url_of_the_project_declares_its_access_rules():
    missing = sorted(project_url_names() - set(RULES))
    assert missing == [], f"URL names without an entry in RULES: {missing}"


def test_access_rules_name_only_urls_that_exist():
    assert sorted(set(RULES) - project_url_names()) == []


def test_every_rule_covers_every_role():
    for name, cases in RULES.items():
        for case in cases:
            assert set(case.expected) == set(ROLES), name


CASES = [
    pytest.param(name, case, role, id=f"{name}[{case.label or case.method}]-{role}")
    for name, cases in RULES.items()
    for case in cases
    for role in ROLES
]


@pytest.mark.parametrize(("name", "case", "role"), CASES)
def test_url_answers_each_role_as_declared(name, case, role, client, region, request):
    if role != "anonymous":
        sign_in(client, request.getfixturevalue(role))
    url = reverse(name, kwargs=case.kwargs(region))
    response = getattr(client, case.method)(url, case.data)
    expected = case.expected[role]
    location = response.headers.get("Location", "")
    if expected == OK:
        assert response.status_code == 200, (url, response.status_code, location)
    elif expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(reverse("accounts:login"))
    elif expected == REDIRECT:
        assert response.status_code == 302
    elif expected == GO:
        assert response.status_code == 302, (url, response.status_code)
        assert not location.startswith(reverse("accounts:login"))
        assert client.get(location).status_code == 200, location
    else:
        assert response.status_code == expected, (url, response.status_code, location)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas get a password; a cheap hasher keeps these ~300 walks quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# A coordinator in Ale never sees a person in the other municipality --------------------------

def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _has_word(text: str, word: str) -> bool:
    """`word` on its own: not inside a random CSRF token, which may hold "T2" too."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text) is not None


def test_ale_coordinator_does_not_find_tjorn_people_in_the_list(login, coordinator, region):
    client = login(coordinator)
    for query in ("", "?status=all", f"?kommun={region.tjorn.code}&status=all",
                  f"?enhet={region.solgarden.pk}&status=all"):
        page = _text(client.get(reverse("organisation:person-list") + query))
        assert "Cecilia" not in page, query
    assert "Anna" in _text(client.get(reverse("organisation:person-list")))


def test_ale_coordinator_does_not_find_tjorn_people_by_search(login, coordinator, region):
    client = login(coordinator)
    url = reverse("organisation:person-list")
    # The search words come back in the form, so look for the link to Cecilia's record.
    for words in ("Cecilia", "Carlsson", "T1"):
        page = _text(client.get(url, {"q": words, "status": "all"}))
        assert f"/personer/{region.cecilia.pk}/" not in page, words
    # Dana works in both; her employee id in the other municipality does not find her.
    assert "Dahl" not in _text(client.get(url, {"q": "T2", "status": "all"}))
    assert "Dahl" in _text(client.get(url, {"q": "A3", "status": "all"}))


def test_ale_coordinator_gets_404_for_a_tjorn_person_by_guessed_id(login, coordinator, region):
    client = login(coordinator)
    pk = region.cecilia.pk
    assert client.get(reverse("organisation:person-detail", args=[pk])).status_code == 404
    assert client.post(
        reverse("organisation:person-identity-number", args=[pk])
    ).status_code == 404
    assert client.get(
        reverse("organisation:duplicate-merge", kwargs=pair(region, "anna", "cecilia"))
    ).status_code == 404


def test_ale_coordinator_export_holds_no_tjorn_person_or_employment(login, coordinator, region):
    client = login(coordinator)
    export = _text(client.get(reverse("organisation:person-export"), {"status": "all"}))
    assert "Andersson" in export
    assert "Cecilia" not in export
    assert not _has_word(export, "T2")  # Dana's employment in the other municipality
    assert region.tjorn.name not in export


def test_ale_coordinator_sees_only_that_dana_also_works_elsewhere(login, coordinator, region):
    page = _text(login(coordinator).get(
        reverse("organisation:person-detail", args=[region.dual.pk])
    ))
    assert _has_word(page, "A3")
    assert not _has_word(page, "T2")
    assert region.solgarden.name not in page
    assert region.tjorn.name in page  # named, so the coordinator knows to ask
