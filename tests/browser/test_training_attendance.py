"""Attendance on phones (issue 5, "Proof"): a participant scans the meeting's QR code on her own
phone, signs in and checks in; the trainer then takes the roll call on a phone with JavaScript
off (everyone starts as present, one person partly present with minutes) and saves it with one
tap. Every page is scanned with axe-core and must fit a 360 px screen.

The clock is set to 2 March 2026 at 09:05 (the meeting is 09:00–11:00) for the test process
and the live server thread alike, so the test does not depend on when it runs.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from modig.training import check_in, services
from modig.training.models import Attendance, Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

from .browsing import PASSWORD, scan, use_session_of, visit


@pytest.fixture
def the_meeting(region, trainer, monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 5))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    session = make_session(make_course(region.programme, title="Dokumentera i mobilen"),
                           municipality=region.ale, trainer=trainer, place="Vikadamm, matsalen",
                           meetings=[meeting("2026-03-02", "09:00", "11:00")])
    for person in (region.anna, region.bertil, region.dual):
        services.enrol(session, person, by=None, source=Enrolment.Source.SELF)
    return session.meetings.get()


def fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_check_in_by_qr_code_then_roll_call_on_phones(browser, server, region, the_meeting,
                                                      trainer, staff_member, phone, no_script):
    ids = [the_meeting.session_id, the_meeting.pk]
    code_page = f"{server}{reverse('training:meeting-check-in-code', args=ids)}"
    roll_call = f"{server}{reverse('training:meeting-roll-call', args=ids)}"

    # The trainer's screen: the QR code and the short code.
    use_session_of(phone, server, trainer)
    visit(phone, code_page)
    code = check_in.check_in_code(the_meeting)
    expect(phone.locator(".check-in-code")).to_have_text(check_in.display_code(code))
    expect(phone.locator(".check-in-qr svg")).to_be_visible()
    fits_the_screen(phone)
    phone.context.clear_cookies()

    # Anna scans it on her own phone: the QR code's address, then the log-in page.
    qr_url = f"{server}{reverse('training:check-in-link', kwargs={'code': code})}"
    phone.goto(qr_url)
    expect(phone.get_by_label("E-post")).to_be_visible()
    assert code not in phone.url
    scan(phone)
    phone.get_by_label("E-post").fill("anna@ale.example")
    phone.get_by_label("Lösenord").fill(PASSWORD)
    phone.get_by_role("button", name="Logga in").click()
    expect(phone.get_by_role("heading", name="Dokumentera i mobilen")).to_be_visible()
    assert phone.url == f"{server}{reverse('training:check-in')}"
    scan(phone)
    fits_the_screen(phone)
    phone.get_by_role("button", name="Jag är här").click()
    expect(phone.get_by_text("Du är incheckad på ”Dokumentera i mobilen”. Välkommen!")) \
        .to_be_visible()
    scan(phone)
    anna = Attendance.objects.get(person=region.anna)
    assert (anna.status, anna.source) == ("present", "check_in")

    # The trainer's roll call, JavaScript off: Anna checked in, everyone else starts as
    # present; Bertil came for 45 minutes. Taps: Bertil's "Delvis närvarande", his minutes,
    # "Spara närvaron".
    use_session_of(no_script, server, trainer)
    visit(no_script, roll_call)
    fits_the_screen(no_script)
    for name in ("Anna Andersson", "Dana Dahl", "Bertil Berg"):
        expect(no_script.get_by_role("group", name=name).get_by_label("Närvarande",
                                                                       exact=True)).to_be_checked()
    bertil = no_script.get_by_role("group", name="Bertil Berg")
    bertil.get_by_label("Delvis närvarande", exact=True).check()
    bertil.get_by_label("Minuter, om delvis närvarande").fill("45")
    no_script.get_by_role("button", name="Spara närvaron").click()
    expect(no_script.get_by_text("Närvaron är sparad: 2 nya, 0 ändrade, 1 som förut.")) \
        .to_be_visible()
    scan(no_script)
    stored = {a.person_id: (a.status, a.minutes, a.source) for a in Attendance.objects.all()}
    assert stored == {
        region.anna.pk: ("present", 120, "check_in"),
        region.bertil.pk: ("partial", 45, "roll_call"),
        region.dual.pk: ("present", 120, "roll_call"),
    }

    # A mistake is shown on the phone and nothing is saved.
    bertil = no_script.get_by_role("group", name="Bertil Berg")
    expect(bertil.get_by_label("Delvis närvarande", exact=True)).to_be_checked()
    bertil.get_by_label("Minuter, om delvis närvarande").fill("")
    no_script.get_by_role("group", name="Dana Dahl").get_by_label(
        "Frånvarande", exact=True).check()
    no_script.get_by_role("button", name="Spara närvaron").click()
    expect(no_script.get_by_text("Inget sparades. Något behöver rättas")).to_be_visible()
    scan(no_script)
    assert Attendance.objects.get(person=region.dual).status == "present"


def test_the_records_pages_pass_axe_on_a_phone(phone, server, region, the_meeting, trainer,
                                               staff_member, unit_manager):
    services.record_roll_call(the_meeting, [services.RollCallRow(region.anna.pk, "present")],
                              by=trainer)
    use_session_of(phone, server, staff_member)
    visit(phone, f"{server}{reverse('training:my-training')}")
    expect(phone.get_by_role("button", name="Jag intygar att jag deltog i 2 tim")).to_be_visible()
    fits_the_screen(phone)
    phone.get_by_role("button", name="Jag intygar att jag deltog i 2 tim").click()
    expect(phone.get_by_text("Bekräftad 2 mars 2026.")).to_be_visible()
    scan(phone)
    phone.context.clear_cookies()
    use_session_of(phone, server, unit_manager)
    for path in (reverse("training:staff-training"),
                 reverse("training:staff-person-training", args=[region.anna.pk])):
        visit(phone, f"{server}{path}")
        fits_the_screen(phone)
