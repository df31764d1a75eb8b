"""Access to the training catalogue, session, enrolment and calendar pages (issue 5).

The personas (tests/test_url_access.py): the programme office sees and edits everything; the
Ale coordinator sees programme-wide courses and Ale's own, edits Ale's; the Nödinge unit
manager and the Vikadamm ambassador see what their staff see; the trainer sees the sessions
they teach; Anna (staff) signs herself up; the outsider sees only programme-wide courses.
"""

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, everyone, expect


def _trainer():
    from modig.accounts.models import User

    return User.objects.filter(email="utbildare@gr.example").first()


def _course(region, **fields):
    from modig.training.tests.factories import make_course

    return make_course(region.programme, **fields)


def _session(region, *, municipality=None, trainer=True):
    from modig.training.tests.factories import make_session

    course = _course(region, municipality=municipality)
    return make_session(course, municipality=municipality,
                        trainer=_trainer() if trainer else None)


def course(**fields):
    return lambda region: {"code": _course(
        region, **{k: getattr(region, v) if k == "municipality" else v
                   for k, v in fields.items()}).code}


def session(municipality=None, trainer=True):
    def kwargs(region):
        place = getattr(region, municipality) if municipality else None
        return {"pk": _session(region, municipality=place, trainer=trainer).pk}
    return kwargs


def annas_enrolment(region):
    from modig.training import services

    enrolment = services.enrol(_session(region), region.anna, by=None, source="self")
    return {"pk": enrolment.pk}


def annas_feed_token(region):
    from modig.training import calendar

    return {"token": calendar.feed_token(calendar.feed_for(person=region.anna).salt)}


ADMIN_ONLY = expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN)
ALE_VIEW = expect(OK, OK, OK, OK, HIDE, OK, HIDE, LOGIN)
OFFICE_AND_COORDINATOR = expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)

RULES = {
    "training:course-list": [Case(everyone(OK, anonymous=LOGIN))],
    "training:course-create": [Case(OFFICE_AND_COORDINATOR)],
    "training:course-detail": [
        Case(everyone(OK, anonymous=LOGIN), kwargs=course(), label="programme-wide"),
        Case(ALE_VIEW, kwargs=course(municipality="ale"), label="ale"),
        Case(ADMIN_ONLY, kwargs=course(municipality="tjorn"), label="tjorn"),
        Case(ADMIN_ONLY, kwargs=course(is_published=False), label="draft"),
        Case(expect(OK, OK, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN),
             kwargs=course(municipality="ale", is_published=False), label="ale-draft"),
    ],
    "training:course-edit": [
        Case(expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN), kwargs=course(),
             label="programme-wide"),
        Case(expect(OK, OK, DENY, DENY, HIDE, DENY, HIDE, LOGIN),
             kwargs=course(municipality="ale"), label="ale"),
        Case(ADMIN_ONLY, kwargs=course(municipality="tjorn"), label="tjorn"),
    ],
    "training:session-create": [
        Case(OFFICE_AND_COORDINATOR, kwargs=course(), label="programme-wide"),
        Case(ADMIN_ONLY, kwargs=course(municipality="tjorn"), label="tjorn"),
    ],
    "training:session-detail": [
        Case(everyone(OK, anonymous=LOGIN), kwargs=session(), label="programme-wide"),
        Case(ALE_VIEW, kwargs=session("ale", trainer=False), label="ale"),
        Case(expect(OK, OK, OK, OK, OK, OK, HIDE, LOGIN), kwargs=session("ale"),
             label="ale-with-trainer"),
        Case(ADMIN_ONLY, kwargs=session("tjorn", trainer=False), label="tjorn"),
    ],
    "training:session-edit": [
        Case(expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN), kwargs=session(),
             label="programme-wide"),
        Case(expect(OK, OK, DENY, DENY, HIDE, DENY, HIDE, LOGIN),
             kwargs=session("ale", trainer=False), label="ale"),
    ],
    "training:session-cancel": [
        Case(expect(GO, GO, DENY, DENY, HIDE, DENY, HIDE, LOGIN), method="post",
             kwargs=session("ale", trainer=False), label="ale"),
        Case(expect(GO, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method="post",
             kwargs=session("tjorn", trainer=False), label="tjorn"),
    ],
    "training:session-ics": [
        Case(everyone(OK, anonymous=LOGIN), kwargs=session(), label="programme-wide"),
        Case(ADMIN_ONLY, kwargs=session("tjorn", trainer=False), label="tjorn"),
    ],
    # Only someone with a person record (Anna) can sign themselves up.
    "training:session-enrol-self": [
        Case(expect(DENY, DENY, DENY, DENY, DENY, GO, DENY, LOGIN), method="post",
             kwargs=session()),
    ],
    "training:session-enrol-unit": [
        Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN), kwargs=session()),
    ],
    "training:session-enrol-person": [
        Case(OFFICE_AND_COORDINATOR, kwargs=session()),
    ],
    # Anna's place: she, her manager, her coordinator and the programme office may cancel it.
    "training:enrolment-cancel": [
        Case(expect(GO, GO, GO, HIDE, HIDE, GO, HIDE, LOGIN), method="post",
             kwargs=annas_enrolment),
    ],
    "training:calendar": [Case(expect(DENY, DENY, DENY, DENY, OK, OK, DENY, LOGIN))],
    "training:calendar-renew": [
        Case(expect(DENY, DENY, DENY, DENY, DENY, GO, DENY, LOGIN), method="post",
             data={"kind": "person"}, label="person"),
        Case(expect(DENY, DENY, DENY, DENY, GO, DENY, DENY, LOGIN), method="post",
             data={"kind": "trainer"}, label="trainer"),
    ],
    # The secret address is the key: no log-in, a wrong token is a 404 for everyone.
    "training:calendar-feed": [
        Case(everyone(OK), kwargs=annas_feed_token, label="anna"),
        Case(everyone(HIDE), kwargs=lambda r: {"token": "wrong-token"}, label="wrong"),
    ],
}
