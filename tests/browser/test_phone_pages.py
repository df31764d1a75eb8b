"""A coordinator's pages on a 360 px phone, each scanned with axe-core."""

import pytest

from .browsing import use_session_of, visit


@pytest.fixture
def coordinator_phone(phone, server, coordinator):
    use_session_of(phone, server, coordinator)
    return phone


def test_the_registry_pages_pass_axe_on_a_phone(coordinator_phone, server, region):
    pages = [
        "/",
        "/personer/",
        f"/personer/{region.anna.pk}/",
        "/kommuner/",
        f"/kommuner/{region.ale.code}/",
        f"/kommuner/{region.ale.code}/ny-enhet/",
        f"/enheter/{region.vikadamm.pk}/",
        f"/enheter/{region.vikadamm.pk}/andra/",
        "/dubbletter/",
        "/personallista/ladda-upp/",
    ]
    for path in pages:
        visit(coordinator_phone, f"{server}{path}")
        assert coordinator_phone.get_by_role("heading", level=1).count() == 1, path
        width = coordinator_phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide: the whole page scrolls sideways"


def test_an_empty_list_on_a_phone_can_be_scrolled_with_the_keyboard(coordinator_phone, server):
    for path in ["/personallista/", "/personer/?q=ingen-sådan-person"]:
        visit(coordinator_phone, f"{server}{path}")


def test_the_menu_is_one_button_on_a_phone_and_opens_without_javascript(
        no_script, server, coordinator):
    use_session_of(no_script, server, coordinator)
    coordinator_phone = no_script
    visit(coordinator_phone, f"{server}/")
    header = coordinator_phone.locator("header.site-header")
    # The header stays one short row: brand, the menu button, language and sign-out.
    assert header.bounding_box()["height"] <= 130
    assert coordinator_phone.get_by_role("link", name="Personer").count() == 0
    coordinator_phone.get_by_text("Meny", exact=True).click()
    people = coordinator_phone.get_by_role("link", name="Personer")
    assert people.is_visible()
    people.click()
    coordinator_phone.wait_for_url(f"{server}/personer/")


def test_the_menu_sits_in_the_header_on_a_wide_screen(desktop, server, coordinator):
    use_session_of(desktop, server, coordinator)
    visit(desktop, f"{server}/")
    assert desktop.get_by_role("link", name="Personer").is_visible()
    assert not desktop.get_by_text("Meny", exact=True).is_visible()
