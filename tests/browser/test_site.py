"""Site-wide behaviour in a real browser: keyboard use, language, the accessibility statement."""

import pytest

from .browsing import PASSWORD, axe, scan, sign_in, visit


def test_the_axe_check_fails_on_a_page_with_a_serious_problem(desktop):
    desktop.set_content(
        '<html lang="sv"><head><title>Prov</title></head><body><main>'
        '<img src="bild.png"><label>Namn</label><input id="namn"></main></body></html>'
    )

    with pytest.raises(AssertionError, match="image-alt") as failure:
        axe(desktop)
    assert "label" in str(failure.value)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(desktop, server,
                                                                   staff_member):
    sign_in(desktop, server, "anna@ale.example")

    desktop.keyboard.press("Tab")
    assert _focused_text(desktop) == "Hoppa till innehållet"
    assert desktop.locator(".skip-link").bounding_box()["x"] >= 0  # on screen when focused
    scan(desktop)

    desktop.keyboard.press("Enter")
    assert desktop.evaluate("() => document.activeElement.id") == "main"
    desktop.keyboard.press("Tab")
    in_header = desktop.evaluate("() => !!document.activeElement.closest('header')")
    assert not in_header, "Tab after the skip link went back into the header"


def test_a_person_signs_in_with_the_keyboard_only(desktop, server, staff_member):
    visit(desktop, f"{server}/konto/logga-in/")

    assert desktop.evaluate("() => document.activeElement.name") == "username"  # autofocus
    desktop.keyboard.type("anna@ale.example")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("() => document.activeElement.name") == "password"
    desktop.keyboard.type(PASSWORD)
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"{server}/")

    assert desktop.get_by_role("heading", level=1).inner_text() == "Välkommen, Anna"
    scan(desktop)


def _focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_the_language_switch_changes_the_page_to_english_and_back(phone, server):
    visit(phone, f"{server}/konto/logga-in/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Logga in i Modig"

    phone.get_by_role("button", name="In English").click()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", level=1).inner_text() == "Sign in to Modig"
    assert phone.url == f"{server}/konto/logga-in/"
    scan(phone)

    phone.get_by_role("button", name="På svenska").click()
    assert phone.locator("html").get_attribute("lang") == "sv"
    assert phone.get_by_role("heading", level=1).inner_text() == "Logga in i Modig"
    scan(phone)


def test_the_accessibility_statement_is_open_to_everyone_from_the_footer(phone, server):
    visit(phone, f"{server}/konto/logga-in/")

    phone.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    assert phone.url == f"{server}/tillganglighet/"
    assert phone.get_by_role("heading", level=1).inner_text() == (
        "Tillgänglighetsredogörelse för Modig"
    )
    assert phone.get_by_role("heading", level=2).count() >= 4
    scan(phone)
