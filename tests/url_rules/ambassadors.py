"""Access to the ambassador pages (issue 6).

The ambassador persona (ombud@ale.example) is given a person record at Vikadamm and an active
appointment by the cases that need one, so the coaching log is theirs alone; everyone else,
Anna (staff) included, has no appointment and is refused. Appointments are managed by the
programme office and the municipality's coordinator; others get 403 in a municipality they
can see and 404 elsewhere.
"""

import datetime

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, everyone, expect


def _appointed_persona(region):
    from modig.accounts.models import User
    from modig.ambassadors import services
    from modig.organisation.tests.factories import EmploymentFactory, PersonFactory

    user = User.objects.get(email="ombud@ale.example")
    if user.person_id is None:
        person = PersonFactory(first_name="Olle", last_name="Ombud")
        EmploymentFactory(person=person, municipality=region.ale, employee_id="OMB1",
                          units=[region.vikadamm])
        user.person = person
        user.save(update_fields=["person"])
    appointment = user.person.ambassador_appointments.first()
    if appointment is None:
        appointment = services.appoint(user.person, region.ale, units=[region.vikadamm],
                                       time_percent=20, starts_on=datetime.date(2025, 1, 1))
    return appointment


def with_appointment(region):
    from modig.accounts.models import User

    if User.objects.filter(email="ombud@ale.example").exists():
        _appointed_persona(region)
    return {}


def ale_appointment(region):
    from modig.ambassadors import services

    appointment = services.appoint(region.bertil, region.ale, units=[region.vikadamm],
                                   time_percent=10, starts_on=datetime.date(2025, 1, 1))
    return {"pk": appointment.pk}


def tjorn_appointment(region):
    from modig.ambassadors import services

    appointment = services.appoint(region.cecilia, region.tjorn, units=[region.solgarden],
                                   time_percent=10, starts_on=datetime.date(2025, 1, 1))
    return {"pk": appointment.pk}


def personas_activity(region):
    from modig.accounts.models import User
    from modig.ambassadors import services
    from modig.ambassadors.models import CoachingActivity

    if User.objects.filter(email="ombud@ale.example").exists():
        appointment = _appointed_persona(region)
    else:
        appointment = services.appoint(region.bertil, region.ale, units=[region.vikadamm],
                                       time_percent=10, starts_on=datetime.date(2025, 1, 1))
    logged = services.log_coaching(appointment, services.CoachingEntry(
        date=datetime.date(2026, 3, 2), unit=region.vikadamm,
        format=CoachingActivity.Format.ONE_TO_ONE, minutes=15, topic_text="Teams",
        participants=[region.anna]))
    return {"pk": logged.activity.pk}


def network_meeting(region):
    """A network meeting yesterday hosted by Ale, inviting Ale's and Tjörn's ambassadors (the
    ambassador persona among them when it is in the test)."""
    from django.utils import timezone

    from conftest import make_user
    from modig.accounts.models import Role, User
    from modig.ambassadors import network
    from modig.ambassadors.models import NetworkMeeting

    with_appointment(region)
    existing = NetworkMeeting.objects.first()
    if existing is None:
        office = (User.objects.filter(email="natverk@gr.example").first()
                  or make_user("natverk@gr.example", Role.PROGRAMME_ADMIN,
                               programme=region.programme))
        existing, _created = network.schedule(network.MeetingData(
            topic="Nätverksträff", date=timezone.localdate() - datetime.timedelta(days=1),
            starts_at=datetime.time(13, 0), ends_at=datetime.time(15, 0),
            municipalities=[region.ale, region.tjorn], place="Ale kommunhus", host=region.ale),
            by=office)
    return {"pk": existing.pk}


OFFICE_AND_COORDINATOR = expect(OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)
ALE_MANAGERS = expect(OK, OK, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN)
ADMIN_ONLY = expect(OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN)

RULES = {
    "ambassadors:home": [Case(everyone(OK, anonymous=LOGIN), kwargs=with_appointment)],
    "ambassadors:coaching-log": [
        Case(expect(DENY, DENY, DENY, OK, DENY, DENY, DENY, LOGIN), kwargs=with_appointment),
        # An empty entry: refused with the form's messages (400), nothing saved.
        Case(expect(DENY, DENY, DENY, 400, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=with_appointment),
    ],
    "ambassadors:micro-training": [
        Case(expect(DENY, DENY, DENY, OK, DENY, DENY, DENY, LOGIN), kwargs=with_appointment),
        # No template, no date: refused with the form's messages (400), nothing saved.
        Case(expect(DENY, DENY, DENY, 400, DENY, DENY, DENY, LOGIN), method="post",
             kwargs=with_appointment),
    ],
    "ambassadors:activity-detail": [
        Case(expect(OK, OK, HIDE, OK, HIDE, HIDE, HIDE, LOGIN), kwargs=personas_activity),
    ],
    "ambassadors:network-list": [Case(everyone(OK, anonymous=LOGIN))],
    "ambassadors:network-create": [
        Case(OFFICE_AND_COORDINATOR),
        # An empty form: refused with the form's messages (400), nothing saved.
        Case(expect(400, 400, DENY, DENY, DENY, DENY, DENY, LOGIN), method="post"),
    ],
    # The host's coordinator and the office manage it; an invited ambassador reads it.
    "ambassadors:network-detail": [
        Case(expect(OK, OK, HIDE, OK, HIDE, HIDE, HIDE, LOGIN), kwargs=network_meeting),
    ],
    "ambassadors:network-invite": [
        Case(expect(GO, GO, HIDE, DENY, HIDE, HIDE, HIDE, LOGIN), method="post",
             kwargs=network_meeting),
    ],
    "ambassadors:network-roll-call": [
        Case(expect(OK, OK, HIDE, DENY, HIDE, HIDE, HIDE, LOGIN), kwargs=network_meeting),
    ],
    "ambassadors:appointment-list": [Case(OFFICE_AND_COORDINATOR)],
    "ambassadors:appointment-create": [
        Case(expect(OK, OK, DENY, DENY, HIDE, HIDE, HIDE, LOGIN),
             kwargs=lambda r: {"code": r.ale.code}, label="ale"),
        Case(ADMIN_ONLY, kwargs=lambda r: {"code": r.tjorn.code}, label="tjorn"),
    ],
    "ambassadors:appointment-detail": [
        Case(ALE_MANAGERS, kwargs=ale_appointment, label="ale"),
        Case(ADMIN_ONLY, kwargs=tjorn_appointment, label="tjorn"),
    ],
    "ambassadors:appointment-edit": [
        Case(ALE_MANAGERS, kwargs=ale_appointment, label="ale"),
        Case(ADMIN_ONLY, kwargs=tjorn_appointment, label="tjorn"),
    ],
    "ambassadors:appointment-end": [
        Case(expect(GO, GO, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method="post",
             kwargs=ale_appointment, label="ale"),
        Case(expect(GO, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, LOGIN), method="post",
             kwargs=tjorn_appointment, label="tjorn"),
    ],
}
