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
