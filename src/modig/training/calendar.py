"""iCalendar (RFC 5545) for training: a .ics file per session and secret feeds per person and
per trainer that calendar apps subscribe to.

The few parts of RFC 5545 used here are written by hand: CRLF line ends, lines folded at 75
octets, TEXT values escaped, times in UTC (…Z) so no VTIMEZONE is needed. Each meeting is one
VEVENT whose UID stays the same when its times change, so a subscribed calendar updates it;
a cancelled session's meetings are sent with STATUS:CANCELLED.

Feed tokens work like survey link tokens (surveys/tokens.py): derived from a random salt and
SECRET_KEY, only their SHA-256 digest is stored and looked up.
"""

import base64
import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from modig.training.models import CalendarFeed, Enrolment, Meeting, Session

PRODID = "-//Modig//Training//SV"
TOKEN_BYTES = 24  # 192 bits


# Tokens ---------------------------------------------------------------------------------------

def feed_token(salt: str) -> str:
    """The secret in a feed's address, derived from its salt."""
    raw = salted_hmac("modig.training.calendar", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(raw[:TOKEN_BYTES]).decode().rstrip("=")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_salt() -> str:
    return secrets.token_hex(16)


@transaction.atomic
def feed_for(*, person=None, trainer=None, renew: bool = False) -> CalendarFeed:
    """The person's or trainer's feed, made on first use; `renew` gives it a new address."""
    owner = {"person": person} if person is not None else {"trainer": trainer}
    feed = CalendarFeed.objects.select_for_update().filter(**owner).first()
    if feed is None or renew:
        salt = _new_salt()
        if feed is None:
            feed = CalendarFeed(**owner)
        feed.salt, feed.token_digest = salt, token_digest(feed_token(salt))
        feed.created_at = timezone.now()
        feed.save()
    return feed


def find_feed(token: str) -> CalendarFeed | None:
    """The feed whose address carries this token, or None."""
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.filter(token_digest=token_digest(token)).first()


# Writing --------------------------------------------------------------------------------------

def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and new lines escaped."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1) without splitting a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, session: Session, *, now: datetime.datetime, url: str) -> list[str]:
    course = session.course
    place = session.place or session.video_url
    description = "\n".join(part for part in (course.description[:500], session.video_url, url)
                            if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:modig-meeting-{meeting.pk}@modig",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(meeting.end)}",
        f"SUMMARY:{escape_text(course.title)}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("STATUS:CANCELLED" if session.is_cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def render(meetings, *, name: str, url_for=lambda session: "") -> str:
    """A VCALENDAR with one event per meeting (meetings with session and course loaded)."""
    now = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for meeting in meetings:
        lines.extend(_event(meeting, meeting.session, now=now, url=url_for(meeting.session)))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _meetings():
    return Meeting.objects.select_related("session__course").order_by("date", "starts_at")


def session_meetings(session: Session):
    """The meetings of one session, for its .ics file."""
    return _meetings().filter(session=session)


def feed_meetings(feed: CalendarFeed):
    """A person's meetings where they have a place (not where they wait), or the meetings a
    trainer runs; from 90 days back, so a subscribed calendar keeps recent history."""
    since = timezone.localdate() - datetime.timedelta(days=90)
    meetings = _meetings().filter(date__gte=since)
    if feed.person_id:
        return meetings.filter(session__in=Enrolment.objects.filter(
            person_id=feed.person_id, status=Enrolment.Status.ENROLLED).values("session_id"))
    return meetings.filter(session__trainer_id=feed.trainer_id)
