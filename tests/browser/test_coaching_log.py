"""An ambassador logs coaching on a 360 px phone, once online and once with no network: the
entry kept on the phone is sent when the network returns, exactly once (issue 6)."""

import re

import pytest

from modig.ambassadors.models import CoachingActivity
from modig.ambassadors.tests.factories import make_ambassador

from .browsing import scan, use_session_of, visit

DETAIL = re.compile(r".*/ombud/handledning/\d+/$")
SAVED_ON_PHONE = "Sparad i telefonen, skickas när nätet är tillbaka"


@pytest.fixture
def ella(region):
    return make_ambassador(region)


def _fill(page, topic: str) -> None:
    page.get_by_label("Ämne").fill(topic)
    page.get_by_label("Liten grupp").check()
    page.get_by_label("Anna Andersson").check()
    page.get_by_label("15", exact=True).check()


def test_coaching_is_logged_online_and_offline_on_a_phone(phone, server, ella):
    use_session_of(phone, server, ella[0])
    visit(phone, f"{server}/ombud/")
    visit(phone, f"{server}/ombud/handledning/ny/")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the coaching log is {width} px wide"
    _fill(phone, "Teams")
    phone.get_by_role("button", name="Spara").click()
    phone.wait_for_url(DETAIL)
    scan(phone)
    assert CoachingActivity.objects.count() == 1

    visit(phone, f"{server}/ombud/handledning/ny/")
    phone.context.set_offline(True)
    _fill(phone, "Läkemedelsappen")
    phone.get_by_role("button", name="Spara").click()
    phone.get_by_role("status").filter(has_text=SAVED_ON_PHONE).wait_for()
    scan(phone)
    assert CoachingActivity.objects.count() == 1

    phone.context.set_offline(False)
    phone.get_by_role("status").filter(
        has_text="Det som var sparat i telefonen har skickats.").wait_for()
    assert CoachingActivity.objects.count() == 2
    sent = CoachingActivity.objects.get(topic_text="Läkemedelsappen")
    assert list(sent.participants.values_list("person__first_name", flat=True)) == ["Anna"]
    # Loading the page again sends nothing more: the queue is empty and the key was used.
    visit(phone, f"{server}/ombud/handledning/ny/")
    phone.wait_for_timeout(500)
    assert CoachingActivity.objects.count() == 2


def test_without_javascript_the_form_simply_posts(no_script, server, ella):
    use_session_of(no_script, server, ella[0])
    visit(no_script, f"{server}/ombud/handledning/ny/")
    _fill(no_script, "Teams")
    no_script.get_by_role("button", name="Spara").click()
    no_script.wait_for_url(DETAIL)
    scan(no_script)
    assert CoachingActivity.objects.get().topic_text == "Teams"
