"""Signing in, as people do it: typing on a phone, mistakes, the two-step set-up, no JavaScript."""

import os

from .browsing import code_from_secret, scan, sign_in, visit


def test_a_staff_member_signs_in_on_a_phone_and_lands_on_the_start_page(phone, server,
                                                                        staff_member):
    sign_in(phone, server, "anna@ale.example")

    assert phone.url == f"{server}/"
    assert phone.get_by_role("heading", level=1).inner_text() == "Välkommen, Anna"
    scan(phone)
    if os.environ.get("MODIG_SCREENSHOT_DIR"):
        phone.screenshot(path=f"{os.environ['MODIG_SCREENSHOT_DIR']}/start-360.png",
                         full_page=True)


def test_the_stylesheet_loads_from_the_live_server(phone, server, staff_member):
    visit(phone, f"{server}/konto/logga-in/")

    header_colour = phone.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == "rgb(0, 63, 88)"  # --brand-dark in modig.css


def test_a_wrong_password_shows_a_swedish_error_tied_to_the_form(phone, server, staff_member):
    sign_in(phone, server, "anna@ale.example", "fel-lösenord-999")

    summary = phone.get_by_role("alert")
    assert "E-postadressen eller lösenordet är fel" in summary.inner_text()
    assert phone.url.startswith(f"{server}/konto/logga-in/")
    assert phone.get_by_label("E-post").input_value() == "anna@ale.example"
    scan(phone)


def test_a_coordinator_sets_up_two_step_verification_and_lands_on_the_start_page(
    phone, server, coordinator
):
    sign_in(phone, server, "samordnare@ale.example")
    assert phone.get_by_role("heading", level=1).inner_text() == "Tvåstegsverifiering"
    scan(phone)

    code = code_from_secret(phone.locator(".secret").inner_text())
    phone.get_by_label("Sexsiffrig kod från din autentiseringsapp").fill(code)
    phone.get_by_role("button", name="Fortsätt").click()

    assert phone.url == f"{server}/"
    assert phone.get_by_role("status").inner_text() == "Du är inloggad."
    scan(phone)


def test_a_wrong_two_step_code_is_refused_with_advice(phone, server, coordinator):
    sign_in(phone, server, "samordnare@ale.example")
    right = code_from_secret(phone.locator(".secret").inner_text())
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"

    field = phone.get_by_label("Sexsiffrig kod från din autentiseringsapp")
    field.fill(wrong)
    phone.get_by_role("button", name="Fortsätt").click()

    field = phone.get_by_label("Sexsiffrig kod från din autentiseringsapp")
    error_id = field.get_attribute("aria-describedby") or ""
    assert "Koden stämde inte" in phone.locator(f"#{error_id.split()[-1]}").inner_text()
    assert "/konto/tvastegsverifiering/" in phone.url
    scan(phone)


def test_signing_in_works_with_javascript_switched_off(no_script, server, coordinator):
    sign_in(no_script, server, "samordnare@ale.example")
    code = code_from_secret(no_script.locator(".secret").inner_text())
    no_script.get_by_label("Sexsiffrig kod från din autentiseringsapp").fill(code)
    no_script.get_by_role("button", name="Fortsätt").click()

    assert no_script.url == f"{server}/"
    assert no_script.get_by_role("heading", level=1).inner_text() == "Välkommen, Samordnare"
    scan(no_script)
