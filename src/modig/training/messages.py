"""Messages about training: confirmation of a place (or a place in line), a place offered
from the waiting list, a cancelled session, and a reminder the day before each meeting.

A person gets e-mail when they have an address, else a text message when they have a mobile
number, else nothing (logged as not sent). The channels are the surveys' (surveys/messaging.py:
Django's mailer and the SMS backend named by MODIG_SMS_BACKEND).

Every message is claimed before it is sent by writing its TrainingMessage row, which is
unique per enrolment and kind (and meeting, for reminders): a job that runs twice, or two
workers at once, never sends the same message twice.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from modig.surveys import messaging
from modig.training.models import Enrolment, Meeting, Session, TrainingMessage

logger = logging.getLogger(__name__)

Kind = TrainingMessage.Kind


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def session_url(session: Session) -> str:
    return messaging.public_url(reverse("training:session-detail", args=[session.pk]))


def _when(meeting: Meeting) -> str:
    return _("%(day)s at %(start)s–%(end)s") % {
        "day": formats.date_format(meeting.date, "l j F"),
        "start": formats.time_format(meeting.starts_at, "H.i"),
        "end": formats.time_format(meeting.ends_at, "H.i"),
    }


def _where(session: Session) -> str:
    if session.place and session.video_url:
        return f"{session.place}, {session.video_url}"
    return session.place or session.video_url


def build(enrolment: Enrolment, kind: str, *, meeting: Meeting | None = None,
          sms: bool = False) -> Message:
    """The text of one message, in plain Swedish (the site's first language)."""
    session = enrolment.session
    meetings = list(session.meetings.all())
    with translation.override(settings.LANGUAGE_CODE):
        values = {"name": enrolment.person.first_name, "course": session.course.title,
                  "link": session_url(session), "where": _where(session),
                  "when": _when(meeting or meetings[0]) if (meeting or meetings) else ""}
        subject, opening = {
            Kind.CONFIRMATION: (_("You have a place: %(course)s"),
                                _("You have a place on the course %(course)s.")),
            Kind.WAITING: (_("Waiting list: %(course)s"),
                           _("The course %(course)s is full. You are on the waiting list. "
                             "You get a message if you get a place.")),
            Kind.PLACE_OFFERED: (_("You got a place: %(course)s"),
                                 _("Someone cancelled. You now have a place on the course "
                                   "%(course)s.")),
            Kind.REMINDER: (_("Tomorrow: %(course)s"),
                            _("Reminder: tomorrow you have the course %(course)s.")),
            Kind.CANCELLED: (_("Cancelled: %(course)s"),
                             _("The course %(course)s on %(when)s is cancelled. Choose another "
                               "time on the course page.")),
        }[kind]
        if sms:
            parts = [_("Modig:"), opening % values]
            if kind != Kind.CANCELLED and values["when"]:
                parts.append(values["when"] + (f", {values['where']}" if values["where"] else "")
                             + ".")
            parts.append(values["link"])
            return Message("", " ".join(parts))
        paragraphs = [_("Hi %(name)s!") % values, opening % values]
        if kind != Kind.CANCELLED:
            times = [_when(meeting)] if meeting else [_when(m) for m in meetings]
            if times:
                paragraphs.append(_("When:") + "\n" + "\n".join(times))
            if values["where"]:
                paragraphs.append(_("Where:") + " " + values["where"])
        paragraphs.append(_("See the course, or cancel your place, here:") + "\n"
                          + values["link"])
        if kind in (Kind.CONFIRMATION, Kind.PLACE_OFFERED, Kind.REMINDER):
            paragraphs.append(_("Cannot come? Cancel your place, so someone else can have it."))
        return Message(subject % values, "\n\n".join(paragraphs))


def _channel(enrolment: Enrolment) -> str:
    person = enrolment.person
    if person.email:
        return TrainingMessage.Channel.EMAIL
    if person.mobile:
        return TrainingMessage.Channel.SMS
    return TrainingMessage.Channel.NONE


def _claim(enrolment: Enrolment, kind: str, meeting: Meeting | None) -> TrainingMessage | None:
    """Write the message's row; None when it was already claimed (sent or being sent)."""
    channel = _channel(enrolment)
    status = (TrainingMessage.Status.SKIPPED if channel == TrainingMessage.Channel.NONE
              else TrainingMessage.Status.SENT)
    try:
        with transaction.atomic():
            return TrainingMessage.objects.create(enrolment=enrolment, kind=kind,
                                                  meeting=meeting, channel=channel,
                                                  status=status)
    except IntegrityError:
        return None


def deliver(enrolment: Enrolment, kind: str, *, meeting: Meeting | None = None) -> bool:
    """Claim and send one message. True when it went out now."""
    claimed = _claim(enrolment, kind, meeting)
    if claimed is None or claimed.status == TrainingMessage.Status.SKIPPED:
        return False
    person = enrolment.person
    try:
        if claimed.channel == TrainingMessage.Channel.EMAIL:
            message = build(enrolment, kind, meeting=meeting)
            EmailMessage(message.subject, message.body, to=[person.email]).send()
        else:
            messaging.sms_backend().send(person.mobile,
                                         build(enrolment, kind, meeting=meeting, sms=True).body)
    except Exception as error:  # a provider can fail in any way; log it and go on
        detail = f"{type(error).__name__}: {error}"[:300]
        logger.warning("training message failed", extra={
            "enrolment": enrolment.pk, "kind": kind, "error": detail})
        TrainingMessage.objects.filter(pk=claimed.pk).update(
            status=TrainingMessage.Status.FAILED, error=detail)
        return False
    return True


def _enrolment(enrolment_id: int) -> Enrolment | None:
    return (Enrolment.objects.select_related("person", "session__course")
            .filter(pk=enrolment_id).first())


def send_enrolment_confirmation(enrolment_id: int) -> bool:
    """A place, or a place in line, was given: say which."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.status == Enrolment.Status.CANCELLED:
        return False
    kind = Kind.CONFIRMATION if enrolment.status == Enrolment.Status.ENROLLED else Kind.WAITING
    return deliver(enrolment, kind)


def send_place_offered(enrolment_id: int) -> bool:
    """A waiting person moved up."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.status != Enrolment.Status.ENROLLED:
        return False
    return deliver(enrolment, Kind.PLACE_OFFERED)


def send_session_cancelled(session_id: int) -> int:
    """Tell everyone with a place or in line that the session is cancelled."""
    enrolments = (Enrolment.objects.active().filter(session_id=session_id,
                                                    session__status=Session.Status.CANCELLED)
                  .select_related("person", "session__course"))
    return sum(deliver(enrolment, Kind.CANCELLED) for enrolment in enrolments)


def due_reminders(today: datetime.date | None = None):
    """(enrolment, meeting) pairs to remind: places on meetings tomorrow of planned sessions."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    meetings = Meeting.objects.filter(date=tomorrow, session__status=Session.Status.PLANNED)
    for meeting in meetings.select_related("session"):
        already = TrainingMessage.objects.filter(kind=Kind.REMINDER, meeting=meeting).values(
            "enrolment_id")
        enrolments = (meeting.session.enrolments.enrolled().exclude(pk__in=already)
                      .select_related("person", "session__course"))
        for enrolment in enrolments:
            yield enrolment, meeting


def send_reminders(today: datetime.date | None = None) -> int:
    """Remind everyone with a place of tomorrow's meetings, once per meeting. The count sent."""
    return sum(deliver(enrolment, Kind.REMINDER, meeting=meeting)
               for enrolment, meeting in due_reminders(today))
