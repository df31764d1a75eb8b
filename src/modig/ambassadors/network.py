"""The ambassadors' network: meetings across municipalities (issue 6).

A network meeting IS a training session. Each programme has one network course in the
training app (code `natverk-<programme id>`, unpublished so staff do not see it in the
catalogue and it is not part of the train-the-trainer track, aimed at the ambassador target
group); each meeting is one session of it with one meeting, no municipality (it is for
several) and the scheduler as trainer. So:

- inviting the active ambassadors of the invited municipalities is enrolling them
  (training.services.enrol; the training app sends its confirmation by e-mail, else SMS: that
  is the invitation);
- attendance is the training roll call (training.services.record_roll_call), every invited
  ambassador present by default;
- the time counts as training hours in the ledger like any attended session (DESIGN.md: a
  person is trained when they have an attended training session). No new ledger source.

This module only calls the training app's public services and reads its models.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts.access import (
    coordinated_municipality_ids,
    is_programme_admin,
)
from modig.ambassadors.models import Appointment, NetworkMeeting
from modig.organisation.models import Municipality, Person, Programme, TargetGroup
from modig.training.models import Attendance, Course, Enrolment, Meeting, Session

# A network meeting has no limit on places: every invited ambassador gets one.
NETWORK_PLACES = 10_000
# A meeting already held may be registered afterwards while its roll call is still open.
REGISTER_DAYS_BACK = 14


def network_course_code(programme: Programme) -> str:
    return f"natverk-{programme.pk}"


def network_course(programme: Programme, *, by=None) -> Course:
    """The programme's network course, made the first time it is needed."""
    from modig.training import services as training

    code = network_course_code(programme)
    course = Course.objects.filter(code=code).first()
    if course is not None:
        return course
    try:
        with transaction.atomic():
            return training.create_course(
                programme, by=by, code=code, title="Nätverksträffar för digitaliseringsombud",
                description=("Träffar där digitaliseringsombud från flera kommuner delar "
                             "erfarenheter och lär av varandra."),
                format=Course.Format.ON_SITE, nominal_minutes=120, is_published=False,
                target_groups=TargetGroup.objects.filter(code=TargetGroup.Code.AMBASSADOR))
    except IntegrityError:  # made at the same moment by another request
        return Course.objects.get(code=code)


def is_network_session(session: Session) -> bool:
    return session.course.code.startswith("natverk-")


# Who may do what ------------------------------------------------------------------------------

def can_schedule(user) -> bool:
    """The programme office and coordinators schedule network meetings."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user))


def host_choices(user):
    """Municipalities a user may host a meeting for (programme office: none needed)."""
    if is_programme_admin(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=coordinated_municipality_ids(user))


def can_manage(user, meeting: NetworkMeeting) -> bool:
    """Invite again and take the roll call: the programme office, the host municipality's
    coordinators, and whoever scheduled it (the session's trainer)."""
    if is_programme_admin(user):
        return True
    if meeting.host_id and meeting.host_id in coordinated_municipality_ids(user):
        return True
    return user.is_authenticated and meeting.session.trainer_id == user.pk


def visible_to(user):
    """The programme office: all; coordinators: meetings their municipality is invited to or
    hosts; an ambassador: the meetings they are invited to; others: their own scheduling."""
    meetings = NetworkMeeting.objects.select_related("session__course", "host")
    if is_programme_admin(user):
        return meetings
    if not user.is_authenticated:
        return meetings.none()
    coordinated = coordinated_municipality_ids(user)
    condition = Q(session__trainer=user) | Q(host_id__in=coordinated) | Q(
        invited__in=coordinated)
    if user.person_id:
        condition |= Q(session__enrolments__person_id=user.person_id)
    return meetings.filter(condition).distinct()


# Scheduling and invitations -------------------------------------------------------------------

@dataclass
class MeetingData:
    topic: str
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    municipalities: list
    place: str = ""
    video_url: str = ""
    host: Municipality | None = None
    idempotency_key: uuid.UUID | None = None


@dataclass
class Invited:
    enrolled: list = field(default_factory=list)  # Person
    refused: list = field(default_factory=list)  # (Person, message)


def _programme_of(municipalities) -> Programme | None:
    """The one programme every invited municipality takes part in (the first by id)."""
    programmes = Programme.objects.all()
    for municipality in municipalities:
        programmes = programmes.filter(municipalities=municipality)
    return programmes.order_by("pk").first()


def _check(user, data: MeetingData) -> dict:
    errors = {}
    if not data.topic.strip():
        errors["topic"] = _("Write the topic of the meeting.")
    if not data.municipalities:
        errors["municipalities"] = _("Choose at least one municipality whose ambassadors are "
                                     "invited.")
    if data.date is None:
        errors["date"] = _("Choose a date.")
    elif data.date < timezone.localdate() - datetime.timedelta(days=REGISTER_DAYS_BACK):
        errors["date"] = _("The date is more than %(days)s days ago. Choose a later date.") % {
            "days": REGISTER_DAYS_BACK}
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not data.place.strip() and not data.video_url.strip():
        errors["place"] = _("Write where the meeting is, or give the link to the online "
                            "meeting (or both).")
    if not is_programme_admin(user) and (
            data.host is None or data.host.pk not in coordinated_municipality_ids(user)):
        errors["host"] = _("Choose your own municipality as host.")
    if data.municipalities and "municipalities" not in errors and _programme_of(
            data.municipalities) is None:
        errors["municipalities"] = _("The municipalities do not take part in the same "
                                     "programme. Choose municipalities of one programme.")
    return errors


def invitees(meeting: NetworkMeeting):
    """People with an ambassador appointment in an invited municipality, active on the meeting
    date or today."""
    date = meeting.session.meetings.order_by("date").values_list("date", flat=True).first()
    today = timezone.localdate()
    days = {d for d in (date, today) if d is not None}
    active = Q(pk__in=[])
    for day in days:
        active |= Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    appointments = Appointment.objects.filter(active, municipality__in=meeting.invited.all())
    return Person.objects.filter(pk__in=appointments.values("person_id")).order_by(
        "last_name", "first_name", "pk")


def invite(meeting: NetworkMeeting, *, by) -> Invited:
    """Enrol the invited municipalities' active ambassadors not yet enrolled. Run again after
    new appointments: only the new ones are invited (and told)."""
    from modig.training import services as training

    result = Invited()
    session = meeting.session
    already = set(session.enrolments.active().values_list("person_id", flat=True))
    for person in invitees(meeting).exclude(pk__in=already):
        try:
            with transaction.atomic():
                training.enrol(session, person, by=by, source=Enrolment.Source.COORDINATOR)
        except ValidationError as error:
            result.refused.append((person, error.messages[0]))
        else:
            result.enrolled.append(person)
    return result


def schedule(data: MeetingData, *, by) -> tuple[NetworkMeeting, bool]:
    """Schedule a meeting and invite the ambassadors. Returns (meeting, created); the same
    form key sent again returns the meeting it made."""
    from modig.training import services as training

    if data.idempotency_key is not None:
        existing = NetworkMeeting.objects.filter(idempotency_key=data.idempotency_key).first()
        if existing is not None:
            return existing, False
    errors = _check(by, data)
    if errors:
        raise ValidationError(errors)
    municipalities = list(data.municipalities)
    if data.host is not None and data.host not in municipalities:
        municipalities.append(data.host)  # the host's own ambassadors are always invited
    programme = _programme_of(municipalities)
    try:
        with transaction.atomic():
            course = network_course(programme, by=by)
            session = training.create_session(
                course, by=by, capacity=NETWORK_PLACES, label=data.topic.strip()[:200],
                trainer=by if getattr(by, "is_authenticated", False) else None,
                place=data.place.strip(), video_url=data.video_url.strip(),
                meetings=[training.MeetingData(date=data.date, starts_at=data.starts_at,
                                               ends_at=data.ends_at)])
            meeting = NetworkMeeting.objects.create(
                session=session, topic=data.topic.strip(), host=data.host,
                created_by=by if getattr(by, "is_authenticated", False) else None,
                idempotency_key=data.idempotency_key or uuid.uuid4())
            meeting.invited.set(municipalities)
            invite(meeting, by=by)
    except IntegrityError:
        existing = NetworkMeeting.objects.filter(idempotency_key=data.idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return meeting, True


# Attendance -----------------------------------------------------------------------------------

def the_meeting(meeting: NetworkMeeting) -> Meeting:
    return meeting.session.meetings.order_by("date", "starts_at").first()


def record_attendance(meeting: NetworkMeeting, rows, *, by):
    """Save the roll call (training.services.RollCallRow rows). A person who is not invited
    is refused by name before anything is saved; the rest is training's roll call."""
    from modig.training import services as training

    invited = set(meeting.session.enrolments.active().values_list("person_id", flat=True))
    outside = [row.person_id for row in rows if row.person_id not in invited]
    if outside:
        names = ", ".join(p.full_name for p in Person.objects.filter(pk__in=outside)) or _(
            "Someone")
        raise ValidationError(_("%(names)s is not invited to this network meeting. Only "
                                "invited ambassadors can be on its list.") % {"names": names})
    return training.record_roll_call(the_meeting(meeting), list(rows), by=by)


# Reading --------------------------------------------------------------------------------------

def meetings_for_person(person_id: int | None):
    """(upcoming, past) network meetings a person is invited to, with the date of the
    meeting and whether they attended."""
    if person_id is None:
        return [], []
    next_date = Meeting.objects.filter(session=OuterRef("session")).order_by("date").values(
        "date")[:1]
    attended = Attendance.objects.filter(meeting__session=OuterRef("session"),
                                         person_id=person_id, minutes__gt=0)
    meetings = (NetworkMeeting.objects
                .filter(session__enrolments__person_id=person_id,
                        session__enrolments__status__in=(Enrolment.Status.ENROLLED,
                                                         Enrolment.Status.WAITING))
                .exclude(session__status=Session.Status.CANCELLED)
                .annotate(on=next_date, attended=Exists(attended))
                .select_related("session").distinct())
    today = timezone.localdate()
    upcoming = sorted((m for m in meetings if m.on and m.on >= today), key=lambda m: m.on)
    past = sorted((m for m in meetings if m.on and m.on < today), key=lambda m: m.on,
                  reverse=True)
    return upcoming, past


@dataclass
class NetworkAttendance:
    attended: int
    held: int  # past meetings the person was invited to


def attendance_by_person(person_ids) -> dict[int, NetworkAttendance]:
    """For the coverage overview: per ambassador, the past network meetings they were invited
    to and how many of them they attended (one query each)."""
    today = timezone.localdate()
    person_ids = list(person_ids)
    held = dict(Enrolment.objects.filter(
        person_id__in=person_ids, session__network_meeting__isnull=False,
        status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.WAITING),
        session__meetings__date__lt=today).exclude(session__status=Session.Status.CANCELLED)
        .order_by().values("person_id").annotate(n=Count("session", distinct=True))
        .values_list("person_id", "n"))
    attended = dict(Attendance.objects.filter(
        person_id__in=person_ids, minutes__gt=0,
        meeting__session__network_meeting__isnull=False).exclude(
        meeting__session__status=Session.Status.CANCELLED)
        .order_by().values("person_id")
        .annotate(n=Count("meeting__session", distinct=True)).values_list("person_id", "n"))
    return {pk: NetworkAttendance(attended.get(pk, 0), held.get(pk, 0)) for pk in person_ids}
