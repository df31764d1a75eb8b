"""Sending invitations and reminders: e-mail, SMS, and the log of every message (Delivery).

Channels are pluggable: each one turns a message into something sent. E-mail goes through
Django's default mailer (settings.MAILERS); SMS through the provider class named by the
setting MODIG_SMS_BACKEND (a dotted path): `ConsoleSmsBackend` prints messages (the demo),
`LocmemSmsBackend` keeps them in `sms_outbox` (tests); a real provider is a small class with
`send(to, body)` that raises on failure.

The link token and short code are in the message text only. They are derived from the
invitation's salt when the message is built and never written to a Delivery row or a log
line; a failure is logged with the error's class and a text from which they are removed.
Every invitation is claimed with a conditional update before it is sent, so two workers never
send the same message twice.
"""

import datetime
import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from modig.surveys import tokens
from modig.surveys.answering import questionnaire_structure
from modig.surveys.invitations import letter_secrets
from modig.surveys.models import Delivery, Invitation, Round

logger = logging.getLogger(__name__)

BATCH = 500
MAX_REMINDERS = 3
MAX_FAILURES = 3
SENDABLE = (Invitation.Channel.EMAIL, Invitation.Channel.SMS)


# Addresses -----------------------------------------------------------------------------------

def public_url(path: str) -> str:
    """An absolute address on the public site (MODIG_PUBLIC_URL), for messages and letters."""
    base = getattr(settings, "MODIG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{path}"


def link_url(token: str) -> str:
    return public_url(f"/s/{token}/")


def short_address() -> str:
    """The short address typed from a letter, shown without the scheme: easier to copy."""
    url = public_url("/svara/")
    return url.split("://", 1)[-1]


def opt_out_url(token: str) -> str:
    return public_url(f"/enkat/avsta/{token}/")


# Messages ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def _last_day(round_: Round) -> str:
    return formats.date_format(round_.closes_on, "j F")


def build_message(invitation: Invitation, *, kind: str) -> Message:
    """The text of an invitation or reminder, in plain Swedish (the site's first language)."""
    token, code = letter_secrets(invitation)
    round_ = invitation.round
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": invitation.person.first_name, "round": round_.name,
            "link": link_url(token), "short": short_address(),
            "code": tokens.display_short_code(code), "date": _last_day(round_),
            "min": round_.min_group_size, "optout": opt_out_url(token),
            "minutes": questionnaire_structure(round_.questionnaire).minutes,
        }
        if invitation.channel == Invitation.Channel.SMS:
            text = (_("Reminder: ") if kind == Delivery.Kind.REMINDER else "") + _(
                "Hi %(name)s! Answer the survey about digital skills at work by %(date)s: "
                "%(link)s Or go to %(short)s and type the code %(code)s. "
                "No more messages: %(optout)s") % values
            return Message("", text)
        subject = (_("Reminder: the survey about digital skills at work")
                   if kind == Delivery.Kind.REMINDER
                   else _("Survey: your digital skills at work"))
        opening = (_("You have not answered the survey yet. It is not too late.")
                   if kind == Delivery.Kind.REMINDER
                   else _("You are invited to answer a survey about digital skills at work."))
        body = "\n\n".join([
            _("Hi %(name)s!") % values,
            opening + " " + _("The survey is called %(round)s. It takes about %(minutes)s minutes.")
            % values,
            _("Answer here:") + "\n" + values["link"],
            _("You can also go to %(short)s on your phone and type the code %(code)s.")
            % values,
            _("The last day to answer is %(date)s.") % values,
            _("Your manager does not see your answers. Answers are only shown added together, "
              "for groups of at least %(min)s people.") % values,
            _("Do you not want any more reminders? Click here:") + "\n" + values["optout"],
        ])
        return Message(subject, body)


# Channels ------------------------------------------------------------------------------------

class SendError(Exception):
    """A message could not be sent; the text says why without any secret in it."""


class EmailChannel:
    name = Invitation.Channel.EMAIL

    def address(self, invitation: Invitation) -> str:
        return invitation.person.email

    def send(self, to: str, message: Message) -> None:
        EmailMessage(message.subject, message.body, to=[to]).send()


class SmsChannel:
    name = Invitation.Channel.SMS

    def address(self, invitation: Invitation) -> str:
        return invitation.person.mobile

    def send(self, to: str, message: Message) -> None:
        sms_backend().send(to, message.body)


CHANNELS = {channel.name: channel for channel in (EmailChannel(), SmsChannel())}


# SMS providers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sms:
    to: str
    body: str


class ConsoleSmsBackend:
    """Prints each text message to standard output (the demo and development)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to: str, body: str) -> None:
        self.stream.write(f"SMS to {to}\n{body}\n{'-' * 40}\n")
        self.stream.flush()


sms_outbox: list[Sms] = []


class LocmemSmsBackend:
    """Keeps text messages in `messaging.sms_outbox`, like Django's mail.outbox (tests)."""

    def send(self, to: str, body: str) -> None:
        sms_outbox.append(Sms(to, body))


def sms_backend():
    path = getattr(settings, "MODIG_SMS_BACKEND",
                   "modig.surveys.messaging.ConsoleSmsBackend")
    return import_string(path)()


# Sending -------------------------------------------------------------------------------------

def _safe_error(error: Exception, invitation: Invitation) -> str:
    """The error for the log, with the invitation's secrets removed."""
    token, code = letter_secrets(invitation)
    text = f"{type(error).__name__}: {error}"
    for secret in (token, code, tokens.display_short_code(code)):
        text = text.replace(secret, "…")
    return text[:300]


def deliver(invitation: Invitation, *, kind: str) -> bool:
    """Send one message and log it. True when it went out."""
    channel = CHANNELS[invitation.channel]
    to = channel.address(invitation)
    try:
        if not to:
            raise SendError("no address")
        channel.send(to, build_message(invitation, kind=kind))
    except Exception as error:  # a provider can fail in any way; log it and go on
        detail = _safe_error(error, invitation)
        logger.warning("survey message failed", extra={
            "invitation": invitation.pk, "channel": invitation.channel, "error": detail})
        Delivery.objects.create(invitation=invitation, kind=kind, channel=invitation.channel,
                                status=Delivery.Status.FAILED, error=detail)
        return False
    Delivery.objects.create(invitation=invitation, kind=kind, channel=invitation.channel)
    return True


def _sendable(queryset):
    return queryset.filter(
        channel__in=SENDABLE, opted_out_at__isnull=True, submitted_at__isnull=True,
        round__in=Round.objects.open_now(),
    )


def pending_invitations(round_id: int | None = None):
    """Invitations whose first message is due: the round is open and nothing went out yet."""
    queryset = _sendable(Invitation.objects.filter(sent_at__isnull=True))
    if round_id is not None:
        queryset = queryset.filter(round_id=round_id)
    # Failed deliveries are few: exclude the invitations that failed too often through a small
    # subquery rather than counting deliveries for every pending invitation.
    given_up = (Delivery.objects.filter(status=Delivery.Status.FAILED,
                                        kind=Delivery.Kind.INVITATION)
                .values("invitation_id").annotate(n=Count("pk"))
                .filter(n__gte=MAX_FAILURES).values("invitation_id"))
    return queryset.exclude(pk__in=given_up)


def send_pending_invitations(round_id: int | None = None, *, limit: int = BATCH) -> int:
    """Send up to `limit` due invitations; returns how many were claimed (sent or failed)."""
    ids = list(pending_invitations(round_id).order_by("pk").values_list("pk", flat=True)[:limit])
    handled = 0
    for invitation in Invitation.objects.filter(pk__in=ids).select_related("person", "round"):
        now = timezone.now()
        if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                sent_at=now):
            continue  # another worker took it
        handled += 1
        if not deliver(invitation, kind=Delivery.Kind.INVITATION):
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    return handled


def due_reminders(now: datetime.datetime | None = None):
    """Invitations that get a reminder now: invited, not answered, not opted out, in an open
    round with reminders on, fewer than MAX_REMINDERS so far, and reminder_days since the
    last message."""
    now = now or timezone.now()
    # One cut-off per open round (there are few): the last message must be older than it.
    condition = Q(pk__in=[])
    for round_id, days in (Round.objects.open_now().filter(reminder_days__gt=0)
                           .values_list("pk", "reminder_days")):
        condition |= Q(round_id=round_id,
                       last_message__lte=now - datetime.timedelta(days=days))
    return (_sendable(Invitation.objects.filter(sent_at__isnull=False))
            .filter(reminders_sent__lt=MAX_REMINDERS)
            .alias(last_message=Coalesce("last_reminded_at", "sent_at"))
            .filter(condition))


def send_due_reminders(*, limit: int = BATCH, now: datetime.datetime | None = None) -> int:
    """Send up to `limit` due reminders; returns how many went out."""
    now = now or timezone.now()
    return _remind(due_reminders(now), limit=limit, now=now)[1]


def reminders_possible_now(round_: Round, municipality_ids=None,
                           now: datetime.datetime | None = None):
    """Who a coordinator's "remind now" reaches: not answered, not opted out, reached by
    e-mail or SMS, under the maximum, and nothing sent to them in the last day."""
    now = now or timezone.now()
    queryset = (_sendable(Invitation.objects.filter(round=round_, sent_at__isnull=False))
                .filter(reminders_sent__lt=MAX_REMINDERS)
                .alias(last_message=Coalesce("last_reminded_at", "sent_at"))
                .filter(last_message__lte=now - datetime.timedelta(days=1)))
    if municipality_ids is not None:
        queryset = queryset.filter(municipality_id__in=list(municipality_ids))
    return queryset


def remind_now(round_id: int, municipality_ids=None) -> int:
    """Send the reminders a coordinator asked for (a background task calls it)."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return 0
    now = timezone.now()
    sent = 0
    while True:
        handled, batch_sent = _remind(reminders_possible_now(round_, municipality_ids, now),
                                      now=now)
        sent += batch_sent
        if handled < BATCH:
            return sent


def _remind(queryset, *, limit: int = BATCH, now: datetime.datetime) -> tuple[int, int]:
    """Remind up to `limit` of these invitations: (how many were claimed, how many sent)."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
    handled = sent = 0
    for invitation in Invitation.objects.filter(pk__in=ids).select_related("person", "round"):
        # Claim: only if nobody reminded them in the meantime.
        if not Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=invitation.reminders_sent).update(
                reminders_sent=F("reminders_sent") + 1, last_reminded_at=now):
            continue
        handled += 1
        if deliver(invitation, kind=Delivery.Kind.REMINDER):
            sent += 1
    return handled, sent


def send_due_messages(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Everything due now, batch after batch: first messages of open rounds (a round that
    opens later is invited when it opens), then reminders. Returns (invitations, reminders)."""
    invited = reminded = 0
    while True:
        handled = send_pending_invitations()
        invited += handled
        if handled < BATCH:
            break
    now = now or timezone.now()
    while True:
        handled, sent = _remind(due_reminders(now), now=now)
        reminded += sent
        if handled < BATCH:
            break
    return invited, reminded
