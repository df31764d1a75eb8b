"""Access to roll call, check-in, a person's own training records and certificates, and the
staff training overview (issue 5, "Attendance" and "Hours ledger").

Roll call and the check-in code belong to those who take attendance on a session (its trainer,
the coordinator of its municipality, the programme office); others who can see the session get
403, the rest 404. The session is in Ale, taught by the trainer persona, with a meeting today
from 00:00 to 23:59:59, so roll call and check-in are open whenever the walk runs. Anna (the
staff member) is the only persona with a person record: only she has training of her own.
"""

import datetime

from url_rules import DENY, GO, HIDE, LOGIN, OK, REDIRECT, Case, everyone, expect


def _meeting(region):
    from django.utils import timezone

    from modig.accounts.models import User
    from modig.training import services
    from modig.training.tests.factories import make_course, make_session

    course = make_course(region.programme)
    session = make_session(
        course, municipality=region.ale,
        trainer=User.objects.filter(email="utbildare@gr.example").first(),
        meetings=[services.MeetingData(timezone.localdate(), datetime.time(0, 0),
                                       datetime.time(23, 59, 59))])
    services.enrol(session, region.anna, by=None, source="self")
    return session.meetings.get()


def meeting(region):
    the_meeting = _meeting(region)
    return {"pk": the_meeting.session_id, "meeting_pk": the_meeting.pk}


def check_in_code(region):
    from modig.training import check_in

    return {"code": check_in.check_in_code(_meeting(region))}


def annas_attended_session(region):
    from modig.training import services

    the_meeting = _meeting(region)
    services.record_roll_call(the_meeting, [services.RollCallRow(region.anna.pk, "present")],
                              by=None)
    return {"pk": the_meeting.session_id}


def _distance_course(region):
    from modig.training.tests.factories import make_course

    return make_course(region.programme, format="self_paced")


def distance_course(region):
    return {"code": _distance_course(region).code}


def annas_completed_course(region):
    from django.utils import timezone

    from modig.training import services

    course = _distance_course(region)
    services.complete_distance_course(course, region.anna, completed_on=timezone.localdate(),
                                      by=None, confirmed_as="self")
    return {"code": course.code}


TAKERS = expect(OK, OK, DENY, DENY, OK, DENY, HIDE, LOGIN)
TAKERS_POST = expect(GO, GO, DENY, DENY, GO, DENY, HIDE, LOGIN)
ANNA_ONLY = expect(DENY, DENY, DENY, DENY, DENY, OK, DENY, LOGIN)
MANAGERS = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)

RULES = {
    "training:roll-call-list": [Case(everyone(OK, anonymous=LOGIN))],
    "training:meeting-roll-call": [
        Case(TAKERS, kwargs=meeting),
        Case(TAKERS_POST, kwargs=meeting, method="post", label="save"),
    ],
    "training:meeting-walk-in": [
        Case(TAKERS_POST, kwargs=meeting, method="post", data={"q": "x", "person": ""}),
    ],
    "training:meeting-check-in-code": [Case(TAKERS, kwargs=meeting)],
    "training:check-in": [
        Case(everyone(OK, anonymous=LOGIN)),
        # A wrong code shows the form again with the error.
        Case(everyone(OK, anonymous=LOGIN), method="post", data={"code": "ABCD-EFGH"},
             label="wrong-code"),
    ],
    # The QR link needs no log-in: it remembers the meeting and goes on to the check-in page
    # (which asks anonymous visitors to sign in); a code for no meeting is a 404.
    "training:check-in-link": [
        Case(everyone(GO, anonymous=REDIRECT), kwargs=check_in_code, label="meeting-now"),
        Case(everyone(HIDE), kwargs=lambda region: {"code": "ABCD-EFGH"}, label="wrong"),
    ],
    "training:my-training": [Case(everyone(OK, anonymous=LOGIN))],
    "training:session-certify": [
        Case(expect(DENY, DENY, DENY, DENY, DENY, GO, DENY, LOGIN), method="post",
             kwargs=annas_attended_session, data={"minutes": 1439}),
    ],
    "training:certificate": [
        Case(expect(HIDE, HIDE, HIDE, HIDE, HIDE, OK, HIDE, LOGIN),
             kwargs=annas_completed_course),
    ],
    "training:course-completion": [Case(ANNA_ONLY, kwargs=distance_course)],
    "training:staff-training": [Case(MANAGERS)],
    "training:staff-person-training": [
        Case(MANAGERS, kwargs=lambda region: {"pk": region.anna.pk}, label="anna"),
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=lambda region: {"pk": region.cecilia.pk}, label="tjorn"),
        # An incomplete form is shown again with its errors.
        Case(MANAGERS, kwargs=lambda region: {"pk": region.anna.pk}, method="post",
             label="incomplete"),
    ],
}
