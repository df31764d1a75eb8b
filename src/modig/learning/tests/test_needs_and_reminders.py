"""Learning needs marked met on a page, coaching on a technology in the coverage figure, and
reminders to the unit's ambassadors (once per step and per task)."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from modig.accounts.models import Role
from modig.ambassadors import services as ambassadors
from modig.ambassadors.models import CoachingActivity
from modig.ambassadors.tests.factories import make_ambassador
from modig.learning import cycle, queries
from modig.learning.models import LearningNeed
from modig.learning.tests.helpers import alarm, introduce, staff
from modig.organisation.tests.factories import make_unit
from modig.surveys import messaging


def _needs_url(unit):
    return reverse("learning:unit-needs", args=[unit.pk])


# Needs met from a page ------------------------------------------------------------------------

def test_a_manager_marks_ticked_needs_met_with_a_date_and_they_leave_the_home_page(
        client, login, region, unit_manager):
    ella_user, _ella = make_ambassador(region)
    introduction = introduce(region, unit=region.vikadamm)
    anna = introduction.needs.get(person=region.anna)
    open_before = queries.open_needs_for_units([region.vikadamm]).count()
    login(ella_user)
    assert client.get(reverse("ambassadors:home")).context["open_needs"] == open_before
    login(unit_manager)
    page = client.get(_needs_url(region.vikadamm))
    assert page.status_code == 200 and "Anna Andersson" in page.text
    response = client.post(_needs_url(region.vikadamm),
                           {"met_on": "2026-08-20", "need": [anna.pk]}, follow=True)
    assert "1 behov av lärande är markerat som uppfyllt" in response.text
    anna.refresh_from_db()
    assert (anna.status, anna.met_on, anna.met_by) == ("met", datetime.date(2026, 8, 20),
                                                        unit_manager)
    assert queries.open_needs_for_units([region.vikadamm]).count() == open_before - 1
    login(ella_user)
    home = client.get(reverse("ambassadors:home"))
    assert home.context["open_needs"] == open_before - 1


def test_the_ambassador_marks_a_whole_introduction_met_at_their_unit(client, login, region):
    ella_user, _ella = make_ambassador(region)
    introduction = introduce(region, unit=region.vikadamm)
    login(ella_user)
    client.post(_needs_url(region.vikadamm), {"met_on": timezone.localdate().isoformat(),
                                               "introduction": introduction.pk})
    assert not introduction.needs.filter(status="open").exists()
    assert set(introduction.needs.values_list("met_by", flat=True)) == {ella_user.pk}


def test_a_need_of_another_unit_is_refused_in_swedish_and_nothing_is_marked(
        client, login, region, unit_manager):
    backa = make_unit(region.ale, "Backa hemtjänst", parent=region.nodinge)
    [other] = staff(region.ale, backa, 1, prefix="B")
    introduction = introduce(region, unit=region.nodinge)
    theirs = introduction.needs.get(person=other)
    ours = introduction.needs.get(person=region.anna)
    login(unit_manager)
    response = client.post(_needs_url(region.vikadamm),
                           {"met_on": "2026-08-20", "need": [ours.pk, theirs.pk]})
    assert response.status_code == 400
    assert "arbetar på en annan enhet" in response.text and "B0 Test" in response.text
    assert not LearningNeed.objects.filter(status="met").exists()


@pytest.mark.parametrize("data, text", [
    ({"met_on": "2099-01-01", "need": ["1"]}, "kan inte vara i framtiden"),
    ({"met_on": "2026-08-20"}, "Kryssa för minst en person"),
    ({"met_on": "20 augusti", "need": ["1"]}, "Skriv datumet som ÅÅÅÅ-MM-DD"),
])
def test_bad_input_on_the_needs_page_is_refused(client, login, region, unit_manager, data,
                                                text):
    introduce(region, unit=region.vikadamm)
    login(unit_manager)
    response = client.post(_needs_url(region.vikadamm), data)
    assert response.status_code == 400 and text in response.text
    assert not LearningNeed.objects.filter(status="met").exists()


def test_an_ambassador_of_another_unit_cannot_mark_needs(client, login, region):
    introduce(region, unit=region.vikadamm)
    other = make_user("ombud@tjorn.example", Role.AMBASSADOR, municipality=region.tjorn,
                      units=[region.solgarden])
    login(other)
    assert client.post(_needs_url(region.vikadamm),
                       {"met_on": "2026-08-20"}).status_code == 404


# Coaching on a technology counts in the coverage -----------------------------------------------

def test_coaching_on_the_technology_counts_for_named_participants(region):
    unit = make_unit(region.ale, "Backa hemtjänst", parent=region.nodinge)
    people = staff(region.ale, unit, 10)
    appointment = ambassadors.appoint(people[0], region.ale, units=[unit], time_percent=10,
                                      starts_on=datetime.date(2025, 1, 1))
    introduction = introduce(region, unit=unit, go_live_on=datetime.date(2026, 9, 1))

    def coach(day, named, technology):
        ambassadors.log_coaching(appointment, ambassadors.CoachingEntry(
            date=day, unit=unit, format=CoachingActivity.Format.SMALL_GROUP, minutes=30,
            topic_technology=technology, participants=named, idempotency_key=uuid.uuid4()))

    coach(datetime.date(2026, 8, 1), people[:5], alarm())  # before go-live
    from modig.learning.models import Technology

    other = Technology.objects.exclude(pk=alarm().pk).order_by("pk").first()
    coach(datetime.date(2026, 8, 2), people[5:7], other)  # another technology: no
    result = queries.coverage(introduction)
    assert (result.affected, result.trained_before, result.share_before) == (10, 5, 50)
    coach(datetime.date(2026, 10, 1), people[5:10], alarm())  # after: everyone
    result = queries.coverage(introduction)
    assert (result.trained_before, result.share_now) == (5, 100)


def test_the_coaching_form_takes_a_technology_as_topic(client, login, region):
    ella_user, _ella = make_ambassador(region)
    login(ella_user)
    response = client.post(reverse("ambassadors:coaching-log"), {
        "idempotency_key": str(uuid.uuid4()), "date": "2026-03-02", "unit": region.vikadamm.pk,
        "format": "one_to_one", "topic_text": "", "topic_technology": alarm().pk,
        "participants": [region.anna.pk], "minutes": "15"})
    assert response.status_code == 302
    activity = CoachingActivity.objects.get()
    assert activity.topic_technology == alarm() and activity.topic == alarm().name


# Reminders to the ambassadors ----------------------------------------------------------------

@pytest.fixture
def sms_outbox(settings):
    settings.MODIG_SMS_BACKEND = "modig.surveys.messaging.LocmemSmsBackend"
    messaging.sms_outbox.clear()
    return messaging.sms_outbox


def test_a_due_step_reminds_the_units_ambassador_once(region, unit_manager, sms_outbox):
    _ella_user, _ella = make_ambassador(region)
    cycle.start_plan(region.vikadamm, 2026)
    sent = cycle.send_reminders(datetime.date(2026, 4, 1))  # "map" is due
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["chef@ale.example", "ella@ale.example"]
    to_ella = next(m for m in mail.outbox if m.to == ["ella@ale.example"])
    assert "digitaliseringsombud" in to_ella.body
    assert cycle.send_reminders(datetime.date(2026, 4, 2)) == 0
    assert len(mail.outbox) == 2


def test_an_ambassador_without_e_mail_gets_an_sms(region, sms_outbox):
    _ella_user, ella = make_ambassador(region)
    person = ella.person  # no e-mail of their own, only a mobile
    person.email, person.mobile = "", "0701234567"
    person.save(update_fields=["email", "mobile"])
    cycle.start_plan(region.vikadamm, 2026)
    assert cycle.send_reminders(datetime.date(2026, 4, 1)) == 1
    [sms] = sms_outbox
    assert sms.to == "0701234567" and "Vikadamm boende" in sms.body


def test_an_open_task_near_go_live_reminds_the_ambassador_once(region, sms_outbox):
    _ella_user, _ella = make_ambassador(region)
    go_live = datetime.date(2026, 9, 1)
    introduction = introduce(region, unit=region.vikadamm, go_live_on=go_live)
    assert cycle.send_task_reminders(go_live - datetime.timedelta(days=30)) == 0  # far off
    assert cycle.send_task_reminders(go_live - datetime.timedelta(days=10)) == 1
    [message] = mail.outbox
    assert message.to == ["ella@ale.example"] and alarm().name in message.subject
    assert cycle.send_task_reminders(go_live - datetime.timedelta(days=9)) == 0
    # A task already done is never reminded about.
    other = introduce(region, unit=region.vikadamm, go_live_on=go_live,
                      technology=type(alarm()).objects.exclude(pk=alarm().pk).first())
    other.tasks.update(status="done", done_on=go_live)
    assert cycle.send_task_reminders(go_live) == 0
    assert introduction.tasks.get().reminded_on == go_live - datetime.timedelta(days=10)
