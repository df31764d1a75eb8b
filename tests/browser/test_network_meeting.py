"""The ambassadors' network on a phone (issue 6): the Ale coordinator, who hosted yesterday's
network meeting, takes the attendance on a 375 px phone with JavaScript off (every invited
ambassador starts as present; one was absent, one came for an hour) and saves with one tap;
the invited ambassador then sees the meeting on her home page. Every page is scanned with
axe-core and must fit the screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from modig.ambassadors import network, services
from modig.ambassadors.tests.factories import make_ambassador
from modig.organisation.tests.factories import EmploymentFactory, PersonFactory
from modig.training.models import Attendance

from .browsing import scan, use_session_of, visit

WIDTH = 375
PHONE_375 = {"viewport": {"width": WIDTH, "height": 740}, "is_mobile": True,
             "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone_375_no_script(browser, server):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False, **PHONE_375)
    context.set_default_timeout(10_000)
    context.modig_no_script = True
    yield context.new_page()
    context.close()


@pytest.fixture
def meeting(region, coordinator):
    ella_user, ella = make_ambassador(region)
    tove = PersonFactory(first_name="Tove", last_name="Tjörn")
    EmploymentFactory(person=tove, municipality=region.tjorn, employee_id="T9",
                      units=[region.solgarden])
    services.appoint(tove, region.tjorn, units=[region.solgarden], time_percent=10,
                     starts_on=datetime.date(2025, 1, 1))
    meeting, _created = network.schedule(network.MeetingData(
        topic="Digitala lås: vad vi lärde oss",
        date=timezone.localdate() - datetime.timedelta(days=1),
        starts_at=datetime.time(13, 0), ends_at=datetime.time(15, 0),
        municipalities=[region.ale, region.tjorn], place="Ale kommunhus, sal 2",
        host=region.ale), by=coordinator)
    return meeting, ella_user, ella.person, tove


def fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def test_network_attendance_on_a_375_px_phone_without_javascript(
        server, region, coordinator, meeting, phone_375_no_script):
    meeting, ella_user, ella, tove = meeting
    page = phone_375_no_script
    use_session_of(page, server, coordinator)

    visit(page, f"{server}{reverse('ambassadors:network-detail', args=[meeting.pk])}")
    expect(page.get_by_role("heading", name="Digitala lås: vad vi lärde oss")).to_be_visible()
    fits_the_screen(page)
    page.get_by_role("link", name="Ta närvaro").click()
    expect(page.get_by_role("heading", name="Närvaro")).to_be_visible()
    scan(page)
    fits_the_screen(page)

    # Everyone starts as present. Tove was absent; Ella came for an hour. Taps: Tove's
    # "Frånvarande", Ella's "Delvis närvarande", her minutes, "Spara närvaron".
    ella_row = page.locator(f"#person-{ella.pk}")
    tove_row = page.locator(f"#person-{tove.pk}")
    expect(ella_row.get_by_label("Närvarande", exact=True)).to_be_checked()
    expect(tove_row.get_by_label("Närvarande", exact=True)).to_be_checked()
    tove_row.get_by_label("Frånvarande", exact=True).check()
    ella_row.get_by_label("Delvis närvarande", exact=True).check()
    ella_row.get_by_label("Minuter, om delvis närvarande").fill("60")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron är sparad: 2 nya")).to_be_visible()
    scan(page)
    fits_the_screen(page)
    saved = {a.person_id: (a.status, a.minutes) for a in Attendance.objects.all()}
    assert saved == {ella.pk: ("partial", 60), tove.pk: ("absent", 0)}

    # Ella sees the meeting among her past network meetings on her home page.
    page.context.clear_cookies()
    use_session_of(page, server, ella_user)
    visit(page, f"{server}{reverse('ambassadors:home')}")
    expect(page.get_by_role("link", name="Digitala lås: vad vi lärde oss")).to_be_visible()
    expect(page.get_by_text("du var med")).to_be_visible()
    fits_the_screen(page)
