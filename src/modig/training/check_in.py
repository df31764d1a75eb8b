"""Check-in codes: the code a trainer shows (as a QR code and as text) for one meeting, and
finding the meeting again from what a participant scanned or typed.

A code is derived with HMAC-SHA256 from the session's `check_in_secret` and the meeting's id,
so it is the same every time it is shown, differs for every meeting, and cannot be worked out
from the meeting's id. It is never stored and never logged: the QR link `/i/<code>/` keeps it
out of Django's request log (the view rewrites the path) and Granian's access log (the
lib/access_log filter blanks it); after that the code lives only in the person's session as the
meeting's id.

Eight characters of Crockford's base 32 (40 bits), shown as ABCD-EFGH. A code is looked up
among the meetings from LOOKUP_DAYS days before today to as many after, so a code from
another meeting nearby is recognised and the person told which meeting it is for; with at
most a few thousand meetings in that window a guessed code hits one about once in 10^8 tries,
and recording anything needs a signed-in person enrolled in the session as well.
"""

import datetime
import hashlib
import hmac

from django.utils import timezone

from modig.surveys.tokens import SHORT_CODE_ALPHABET, display_short_code, normalise_short_code
from modig.training.models import Meeting, Session

CODE_LENGTH = 8
LOOKUP_DAYS = 7


def check_in_code(meeting: Meeting, *, secret: str | None = None) -> str:
    """The meeting's check-in code (8 characters, no separator)."""
    secret = secret if secret is not None else meeting.session.check_in_secret
    digest = hmac.new(secret.encode(), f"modig.training.check-in:{meeting.pk}".encode(),
                      hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(SHORT_CODE_ALPHABET))
        chars.append(SHORT_CODE_ALPHABET[index])
    return "".join(chars)


def display_code(code: str) -> str:
    """ABCD-EFGH, as the trainer's screen shows it."""
    return display_short_code(code)


def normalise(typed: str) -> str:
    """What a person typed or scanned, as a code: case, spaces, dashes and look-alikes
    forgiven (the survey codes' rules)."""
    return normalise_short_code(typed)


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in SHORT_CODE_ALPHABET for c in code)


def find_meeting(typed: str) -> Meeting | None:
    """The meeting of a check-in code, among meetings of planned sessions within
    LOOKUP_DAYS of today, or None."""
    code = normalise(typed)
    if not is_well_formed(code):
        return None
    today = timezone.localdate()
    window = (today - datetime.timedelta(days=LOOKUP_DAYS),
              today + datetime.timedelta(days=LOOKUP_DAYS))
    candidates = (Meeting.objects.filter(date__range=window,
                                         session__status=Session.Status.PLANNED)
                  .values_list("pk", "session__check_in_secret"))
    for pk, secret in candidates.iterator():
        if hmac.compare_digest(check_in_code(Meeting(pk=pk), secret=secret), code):
            return Meeting.objects.select_related("session__course").get(pk=pk)
    return None
