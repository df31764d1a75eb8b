"""Confirmation and reminder messages (issue 5, "confirmation and reminder messages"): e-mail,
else SMS, else nothing; never the same message twice; reminders the day before a meeting."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from modig.organisation.models import Person
from modig.surveys import messaging
from modig.training import messages, services, tasks
from modig.training.models import TrainingMessage
from modig.training.tests.factories import make_course, make_session, meeting


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.MODIG_SMS_BACKEND = "modig.surveys.messaging.LocmemSmsBackend"
    settings.MODIG_PUBLIC_URL = "https://modig.example.se"
    messaging.sms_outbox.clear()
    return messaging.sms_outbox


@pytest.fixture
def people(region):
    """Anna has e-mail; Bertil only a mobile; Cecilia neither."""
    Person.objects.filter(pk=region.bertil.pk).update(mobile="0701234567")
    Person.objects.filter(pk=region.cecilia.pk).update(email="", mobile="")
    return region


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def session(people):
    return make_session(make_course(people.programme, title="Trygg i mobilen"), capacity=1,
                        place="Vikadamm, samlingssalen",
                        meetings=[meeting(_tomorrow(), "13:00", "15:00"),
                                  meeting(_tomorrow() + datetime.timedelta(days=7))])


def test_a_place_is_confirmed_by_email_with_time_place_and_link(session, people):
    enrolment = services.enrol(session, people.anna, by=None, source="self")
    tasks.send_enrolment_confirmation.call(enrolment.pk)
    (email,) = mail.outbox
    assert email.to == ["anna@ale.example"]
    assert email.subject == "Du har en plats: Trygg i mobilen"
    assert "13.00–15.00" in email.body and "samlingssalen" in email.body
    assert f"https://modig.example.se/utbildning/tillfallen/{session.pk}/" in email.body


def test_someone_without_email_gets_a_text_message(session, people, sms_outbox):
    enrolment = services.enrol(session, people.bertil, by=None, source="self")
    assert messages.send_enrolment_confirmation(enrolment.pk)
    (sms,) = sms_outbox
    assert sms.to == "0701234567"
    assert "Trygg i mobilen" in sms.body and len(sms.body) < 320
    assert mail.outbox == []


def test_someone_without_address_gets_nothing_and_it_is_noted(session, people, sms_outbox):
    Person.objects.filter(pk=people.cecilia.pk).update(mobile="")
    enrolment = services.enrol(session, people.anna, by=None, source="self")
    services.cancel_enrolment(enrolment, by=None)
    other = services.enrol(make_session(make_course(people.programme)), people.cecilia,
                           by=None, source="self")
    assert not messages.send_enrolment_confirmation(other.pk)
    assert TrainingMessage.objects.get(enrolment=other).status == "skipped"
    assert sms_outbox == [] and mail.outbox == []


def test_a_confirmation_is_never_sent_twice(session, people):
    enrolment = services.enrol(session, people.anna, by=None, source="self")
    assert messages.send_enrolment_confirmation(enrolment.pk)
    assert not messages.send_enrolment_confirmation(enrolment.pk)
    assert len(mail.outbox) == 1


def test_the_waiting_list_and_a_place_offered_are_told(session, people):
    first = services.enrol(session, people.bertil, by=None, source="self")
    waiting = services.enrol(session, people.anna, by=None, source="self")
    messages.send_enrolment_confirmation(waiting.pk)
    assert mail.outbox[0].subject == "Reservlista: Trygg i mobilen"
    services.cancel_enrolment(first, by=None)
    messages.send_place_offered(waiting.pk)
    assert mail.outbox[1].subject == "Du fick en plats: Trygg i mobilen"


def test_a_cancelled_session_is_told_to_everyone_with_a_place_or_in_line(session, people,
                                                                         sms_outbox):
    services.enrol(session, people.anna, by=None, source="self")
    services.enrol(session, people.bertil, by=None, source="self")
    services.cancel_session(session, by=None)
    assert messages.send_session_cancelled(session.pk) == 2
    assert mail.outbox[0].subject == "Inställt: Trygg i mobilen"
    assert "inställd" in sms_outbox[0].body
    assert messages.send_session_cancelled(session.pk) == 0


def test_reminders_go_the_day_before_and_only_once(session, people, sms_outbox):
    services.enrol(session, people.anna, by=None, source="self")
    services.enrol(session, people.bertil, by=None, source="self")  # waiting: no reminder
    later = make_session(make_course(people.programme),
                         meetings=[meeting(_tomorrow() + datetime.timedelta(days=1))])
    services.enrol(later, people.anna, by=None, source="self")
    call_command("send_training_reminders")
    call_command("send_training_reminders")
    (email,) = mail.outbox
    assert email.subject == "I morgon: Trygg i mobilen"
    assert "13.00–15.00" in email.body
    assert sms_outbox == []
    assert TrainingMessage.objects.filter(kind="reminder").count() == 1


def test_each_meeting_gets_its_own_reminder(session, people):
    services.enrol(session, people.anna, by=None, source="self")
    assert messages.send_reminders() == 1
    assert messages.send_reminders(today=_tomorrow() + datetime.timedelta(days=6)) == 1
    assert messages.send_reminders(today=_tomorrow() + datetime.timedelta(days=6)) == 0


def test_no_reminder_for_a_cancelled_place_or_session(session, people):
    enrolment = services.enrol(session, people.anna, by=None, source="self")
    services.cancel_enrolment(enrolment, by=None)
    other = make_session(make_course(people.programme), meetings=[meeting(_tomorrow())])
    services.enrol(other, people.bertil, by=None, source="self")
    services.cancel_session(other, by=None)
    assert messages.send_reminders() == 0


class BrokenSms:
    def send(self, to, body):
        raise RuntimeError("provider down")


def test_a_failed_message_is_logged_and_not_retried_as_sent(session, people, settings):
    settings.MODIG_SMS_BACKEND = "modig.training.tests.test_enrolment_messages.BrokenSms"
    enrolment = services.enrol(session, people.bertil, by=None, source="self")
    assert not messages.send_enrolment_confirmation(enrolment.pk)
    logged = TrainingMessage.objects.get()
    assert (logged.status, logged.channel) == ("failed", "sms")
    assert "provider down" in logged.error
