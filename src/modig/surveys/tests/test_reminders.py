"""Messages: invitations by e-mail and SMS, reminders, and the Delivery log."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from modig.organisation.models import Person
from modig.surveys import messaging, tokens
from modig.surveys.invitations import invite_population, letter_secrets
from modig.surveys.messaging import (
    MAX_REMINDERS,
    send_due_messages,
    send_due_reminders,
    send_pending_invitations,
)
from modig.surveys.models import Delivery, Invitation
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db

LOCMEM_SMS = "modig.surveys.messaging.LocmemSmsBackend"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.MODIG_SMS_BACKEND = LOCMEM_SMS
    settings.MODIG_PUBLIC_URL = "https://modig.example.se"
    messaging.sms_outbox.clear()
    return messaging.sms_outbox


@pytest.fixture
def invited(region):
    """Anna by e-mail, Bertil by SMS, Cecilia by letter, Dana by e-mail."""
    Person.objects.filter(pk=region.bertil.pk).update(mobile="0701234567")
    Person.objects.filter(pk=region.cecilia.pk).update(email="", mobile="")
    Person.objects.filter(pk=region.dual.pk).update(email="dana@example.com")
    round_ = make_round(region.programme, reminder_days=7)
    invite_population(round_)
    return round_


def secrets_of(round_, person):
    return letter_secrets(Invitation.objects.get(round=round_, person=person))


def test_invitations_go_by_email_and_sms_with_link_code_and_opt_out(invited, region,
                                                                    sms_outbox):
    assert send_pending_invitations() == 3
    anna = next(m for m in mail.outbox if m.to == ["anna@ale.example"])
    token, code = secrets_of(invited, region.anna)
    assert f"https://modig.example.se/s/{token}/" in anna.body
    assert "modig.example.se/svara/" in anna.body
    assert tokens.display_short_code(code) in anna.body
    assert f"https://modig.example.se/enkat/avsta/{token}/" in anna.body
    # The time it takes is the start page's estimate from the questionnaire, not a fixed figure.
    from modig.surveys.answering import questionnaire_structure

    minutes = questionnaire_structure(invited.questionnaire).minutes
    assert f"Det tar ungefär {minutes} minuter." in anna.body
    assert [s.to for s in sms_outbox] == ["0701234567"]
    token, code = secrets_of(invited, region.bertil)
    assert f"/s/{token}/" in sms_outbox[0].body
    assert tokens.display_short_code(code) in sms_outbox[0].body
    # Logged once each, and the letter person is left to the printed letter.
    assert Delivery.objects.filter(kind=Delivery.Kind.INVITATION).count() == 3
    assert not Delivery.objects.filter(invitation__person=region.cecilia).exists()
    # Nothing goes twice.
    assert send_pending_invitations() == 0
    assert len(mail.outbox) == 2


def test_delivery_rows_never_hold_the_secrets(invited, region):
    Person.objects.filter(pk=region.anna.pk).update(email="")  # fails: no address
    send_pending_invitations()
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.invitation.person == region.anna
    for delivery in Delivery.objects.values():
        for invitation in Invitation.objects.filter(round=invited):
            token, code = letter_secrets(invitation)
            assert token not in str(delivery) and code not in str(delivery)
    # A failed first message is tried again later, but not forever.
    assert Invitation.objects.get(person=region.anna, round=invited).sent_at is None
    send_pending_invitations()
    send_pending_invitations()
    send_pending_invitations()
    assert Delivery.objects.filter(status=Delivery.Status.FAILED).count() == 3


def test_provider_errors_are_logged_without_the_secret(invited, region, settings, caplog):
    settings.MODIG_SMS_BACKEND = "modig.surveys.tests.test_reminders.LeakySms"
    send_pending_invitations()
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    token, code = secrets_of(invited, region.bertil)
    assert "RuntimeError" in failed.error
    assert token not in failed.error and token not in caplog.text
    assert code not in failed.error and code not in caplog.text


class LeakySms:
    def send(self, to, body):
        raise RuntimeError(f"provider refused: {body}")


def test_reminders_only_to_those_who_have_not_answered_or_opted_out(invited, region):
    send_pending_invitations()
    mail.outbox.clear()
    assert send_due_reminders() == 0  # too early
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    Invitation.objects.filter(person=region.dual).update(submitted_at=timezone.now())
    Invitation.objects.filter(person=region.bertil).update(opted_out_at=timezone.now())
    assert send_due_reminders(now=later) == 1
    assert [m.to for m in mail.outbox] == [["anna@ale.example"]]
    assert "Påminnelse" in mail.outbox[0].subject or "Reminder" in mail.outbox[0].subject
    assert send_due_reminders(now=later) == 0  # not again until another week has passed
    anna = Invitation.objects.get(person=region.anna)
    assert (anna.reminders_sent, anna.last_reminded_at) == (1, later)


def test_never_more_than_the_maximum_number_of_reminders(invited, region):
    send_pending_invitations()
    mail.outbox.clear()
    when = timezone.now()
    for _ in range(MAX_REMINDERS + 2):
        when += datetime.timedelta(days=8)
        send_due_reminders(now=when)
    assert len([m for m in mail.outbox if m.to == ["anna@ale.example"]]) == MAX_REMINDERS


def test_no_reminders_after_the_round_closes_or_when_switched_off(invited, region):
    send_pending_invitations()
    later = timezone.now() + datetime.timedelta(days=8)
    invited.reminder_days = 0
    invited.save()
    assert send_due_reminders(now=later) == 0
    invited.reminder_days = 7
    invited.closed_at = timezone.now()
    invited.save()
    assert send_due_reminders(now=later) == 0
    invited.closed_at = None
    invited.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    invited.save()
    assert send_due_reminders(now=later) == 0


def test_a_round_that_opens_later_is_sent_when_it_opens(region):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    round_ = make_round(region.programme, opens_on=tomorrow)
    invite_population(round_)
    assert send_pending_invitations() == 0
    round_.opens_on = timezone.localdate()
    round_.save()
    assert send_due_messages() == (1, 0)  # Anna has the only e-mail address


@override_settings(MODIG_SMS_BACKEND="modig.surveys.messaging.ConsoleSmsBackend")
def test_the_command_sends_what_is_due(invited, capsys):
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "Invitations sent: 3. Reminders sent: 0." in out
    assert "SMS to 0701234567" in out  # the console provider prints the text message
