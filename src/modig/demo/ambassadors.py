"""Digital ambassadors for the demo region (issue 6): an appointment for each of the demo's
ambassadors, two years of coaching (some of it on a welfare technology), the ambassadors'
network meetings (three a year, with attendance) and micro-trainings ambassadors made from the
templates (past ones with attendance, and some coming up).

Each ambassador covers the workplace their log-in was made for (two to ten ambassadors per
municipality, so many workplaces stay without one and the coverage page has something to
flag); their AMBASSADOR role assignment gets the appointment's municipality, as
`ambassadors.services.sync_role` would. Coaching runs from the appointment's start (early
2025) to today, about one entry a week with pauses in
summer and at Christmas: mostly one to one and small groups with named colleagues from the
unit's roster, drop-ins and workplace meetings often only counted. Rows are bulk inserted;
all chance comes from a `random.Random` seeded from the demo's seed, so two runs agree except
for dates relative to today.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from modig.accounts.models import Role, RoleAssignment, User
from modig.ambassadors import network
from modig.ambassadors import services as ambassador_services
from modig.ambassadors.micro_templates import TEMPLATES
from modig.ambassadors.models import (
    Appointment,
    CoachingActivity,
    CoachingParticipant,
    NetworkMeeting,
)
from modig.competence.models import Competence, Framework
from modig.learning.models import Technology
from modig.organisation.models import Employment, Programme
from modig.training import ledger
from modig.training import services as training
from modig.training.models import Attendance, Enrolment

Format = CoachingActivity.Format
TOPICS = [
    ("Läkemedelsappen", "2.1"), ("Teams-möte med anhöriga", "2.4"),
    ("Digital signering i journalen", "3.1"), ("Lösenord och inloggning", "4.1"),
    ("Nattkamera och trygghetslarm", "5.2"), ("Schemaappen", "5.1"),
    ("Surfplattan för de boende", "5.4"), ("Säker e-post och sekretess", "4.2"),
    ("Dokumentation på mobilen", "3.1"), ("Hitta rätt rutin på intranätet", "1.1"),
]
FORMATS = [(Format.ONE_TO_ONE, 45), (Format.SMALL_GROUP, 30), (Format.DROP_IN, 15),
           (Format.WORKPLACE_MEETING, 10)]
MINUTES = {Format.ONE_TO_ONE: (10, 15, 15, 30, 30, 45), Format.SMALL_GROUP: (15, 30, 30, 45),
           Format.DROP_IN: (30, 45, 60), Format.WORKPLACE_MEETING: (15, 15, 30)}


# Coaching topics that are a welfare technology of the catalogue (learning's data migration).
TOPIC_TECHNOLOGY = {
    "Nattkamera och trygghetslarm": "digital-tillsyn-nattetid-via-kamera",
    "Digital signering i journalen":
        "digital-signering-av-lakemedel-och-halso-och-sjukvardsatgard",
    "Dokumentation på mobilen": "mobil-dokumentation-och-planering-i-verksamhetssystem",
    "Surfplattan för de boende": "surfplattor-och-smarta-telefoner-till-brukare",
    "Teams-möte med anhöriga": "videosamtal-och-digitala-moten-tex-teams",
}

NETWORK_TOPICS = [
    "Så når vi kollegor på natten", "Digitala lås: vad vi lärde oss",
    "Trygghetslarm och larmkedjan", "Att lära ut till kollegor med annat modersmål",
    "Läkemedelsrobotar i hemtjänsten", "Videosamtal med anhöriga",
    "Säker inloggning och lösenord", "Vad säger självskattningen?",
]
NETWORK_PLACES = ["Göteborgsregionen, Anders Personsgatan 8", "Kommunhuset i Kungälv",
                  "Mölndals stadshus, rum Fässberg", ""]


@dataclass
class AmbassadorSummary:
    appointments: int = 0
    activities: int = 0
    participants: int = 0
    network_meetings: int = 0
    network_attendance: int = 0
    micro_trainings: int = 0


def _in_break(day: datetime.date) -> bool:
    """Summer (23 June to 15 August) and Christmas (19 December to 9 January)."""
    md = (day.month, day.day)
    return (6, 23) <= md <= (8, 15) or md >= (12, 19) or md <= (1, 9)


@transaction.atomic
def generate_ambassadors(programme: Programme, *, seed: int) -> AmbassadorSummary:
    rng = random.Random(f"{seed}-ambassadors")
    today = timezone.localdate()
    summary = AmbassadorSummary()
    assignments = list(RoleAssignment.objects.filter(role=Role.AMBASSADOR,
                                                     user__person__isnull=False)
                       .select_related("user").prefetch_related("units").order_by("pk"))
    framework = Framework.objects.default()
    competences = dict(Competence.objects.filter(framework=framework)
                       .values_list("code", "pk"))
    technologies = dict(Technology.objects.values_list("code", "pk"))
    covered: set[int] = set()
    plans = []
    for assignment in assignments:
        home = sorted(assignment.units.all(), key=lambda u: u.pk)
        if not home:
            continue
        units = home
        covered.update(u.pk for u in units)
        starts_on = programme.starts_on + datetime.timedelta(days=rng.randint(14, 75))
        plans.append((assignment, units, starts_on))
    appointments = Appointment.objects.bulk_create(
        Appointment(person_id=a.user.person_id, municipality_id=units[0].municipality_id,
                    time_percent=rng.choice((10, 10, 15, 20, 25)), starts_on=starts_on)
        for a, units, starts_on in plans)
    AppointmentUnit = Appointment.units.through
    AppointmentUnit.objects.bulk_create(
        AppointmentUnit(appointment_id=appointment.pk, unit_id=unit.pk)
        for appointment, (_, units, _) in zip(appointments, plans, strict=True)
        for unit in units)
    # The role follows the appointment (ambassadors.services.sync_role, in bulk).
    RoleUnit = RoleAssignment.units.through
    RoleUnit.objects.filter(roleassignment__in=[a for a, _, _ in plans]).delete()
    RoleUnit.objects.bulk_create(RoleUnit(roleassignment_id=a.pk, unit_id=unit.pk)
                                 for a, units, _ in plans for unit in units)
    for assignment, units, _ in plans:
        assignment.municipality_id = units[0].municipality_id
    RoleAssignment.objects.bulk_update([a for a, _, _ in plans], ["municipality"])
    summary.appointments = len(appointments)

    rosters: dict[int, list[int]] = {}
    for unit_id, person_id in (Employment.objects.filter(is_active=True,
                                                         units__in=covered)
                               .values_list("units", "person_id").order_by("units", "person_id")
                               .distinct()):
        rosters.setdefault(unit_id, []).append(person_id)

    activities, named = [], []
    for appointment, (assignment, units, starts_on) in zip(appointments, plans, strict=True):
        day = starts_on
        while True:
            day += datetime.timedelta(days=rng.choice((3, 4, 5, 7, 7, 10, 14)))
            if day > today:
                break
            if day.weekday() >= 5 or _in_break(day):
                continue
            unit = rng.choice(units)
            kind = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
            topic, code = rng.choice(TOPICS)
            roster = rosters.get(unit.pk, [])
            size = {Format.ONE_TO_ONE: 1, Format.SMALL_GROUP: rng.randint(2, 5),
                    Format.DROP_IN: rng.randint(2, 8),
                    Format.WORKPLACE_MEETING: rng.randint(5, 15)}[kind]
            names_them = kind in (Format.ONE_TO_ONE, Format.SMALL_GROUP) or rng.random() < 0.3
            people = rng.sample(roster, k=min(size, len(roster))) if names_them else []
            activities.append(CoachingActivity(
                appointment=appointment, date=day, unit=unit, format=kind, topic_text=topic,
                topic_competence_id=competences.get(code),
                topic_technology_id=technologies.get(TOPIC_TECHNOLOGY.get(topic, "")),
                minutes=rng.choice(MINUTES[kind]),
                counted_participants=0 if people else size, created_by=assignment.user,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4)))
            named.append(people)
    created = CoachingActivity.objects.bulk_create(activities, batch_size=2000)
    CoachingParticipant.objects.bulk_create(
        (CoachingParticipant(activity_id=activity.pk, person_id=person_id)
         for activity, people in zip(created, named, strict=True) for person_id in people),
        batch_size=5000)
    summary.activities = len(created)
    summary.participants = sum(len(p) for p in named)
    _network_meetings(programme, appointments, rng, summary)
    _micro_trainings(programme, appointments, rosters, rng, summary)
    ledger.mark_changed(programme)  # the bulk rows above sent no signals
    return summary


def _network_meetings(programme, appointments, rng, summary) -> None:
    """Three network meetings a year (March, May, October) from the programme's first spring
    to a few months ahead.
    Most invite every municipality; some only three neighbours, hosted by one of them. The
    invited ambassadors appointed by then are enrolled; about four in five of them came."""
    today = timezone.localdate()
    office = (User.objects.filter(role_assignments__role=Role.PROGRAMME_ADMIN)
              .order_by("pk").first())
    course = network.network_course(programme, by=office)
    municipalities = list(programme.municipalities.order_by("code"))
    enrolments, attendance = [], []
    day = datetime.date(programme.starts_on.year, 3, 12)
    n = 0
    while day <= today + datetime.timedelta(days=100):
        meeting_day = day + datetime.timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday
        whole = n % 3 != 2
        invited = municipalities if whole else rng.sample(municipalities, 3)
        host = None if whole else invited[0]
        place = NETWORK_PLACES[n % len(NETWORK_PLACES)]
        session = training.create_session(
            course, by=office, capacity=network.NETWORK_PLACES, trainer=office,
            label=NETWORK_TOPICS[n % len(NETWORK_TOPICS)], place=place,
            video_url="" if place and n % 2 else "https://meet.example/ombudsnatverket",
            meetings=[training.MeetingData(date=meeting_day, starts_at=datetime.time(13, 0),
                                           ends_at=datetime.time(15, 30))])
        meeting = NetworkMeeting.objects.create(
            session=session, topic=NETWORK_TOPICS[n % len(NETWORK_TOPICS)], host=host,
            created_by=office, idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4))
        meeting.invited.set(invited)
        occasion = session.meetings.get()
        invited_ids = {m.pk for m in invited}
        busy = training.people_booked_at_the_same_time(
            session, [a.person_id for a in appointments])
        created = min(timezone.now() - datetime.timedelta(hours=1), timezone.make_aware(
            datetime.datetime.combine(meeting_day - datetime.timedelta(days=30),
                                      datetime.time(9, 0))))
        for appointment in appointments:
            if (appointment.municipality_id not in invited_ids
                    or appointment.starts_on > meeting_day or appointment.person_id in busy):
                continue  # not invited, not yet appointed, or on a course at the same time
            enrolments.append(Enrolment(
                session=session, person_id=appointment.person_id, created_at=created,
                status=Enrolment.Status.ENROLLED, source=Enrolment.Source.COORDINATOR,
                enrolled_by=office))
            if meeting_day < today:
                came = rng.random() < 0.8
                attendance.append(Attendance(
                    meeting=occasion, person_id=appointment.person_id,
                    status=Attendance.Status.PRESENT if came else Attendance.Status.ABSENT,
                    minutes=occasion.minutes if came else 0,
                    source=Attendance.Source.ROLL_CALL, recorded_by=office,
                    recorded_at=timezone.make_aware(datetime.datetime.combine(
                        meeting_day, datetime.time(15, 45)))))
        n += 1
        # March, May and October: never in the summer or Christmas breaks.
        following = {3: 5, 5: 10, 10: 3}[day.month]
        day = datetime.date(day.year + (following == 3), following, 12)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    summary.network_meetings = n
    summary.network_attendance = sum(a.minutes > 0 for a in attendance)


def _micro_trainings(programme, appointments, rosters, rng, summary) -> None:
    """Every fourth ambassador made micro-trainings from the templates: one in the past (with
    a roll call of three to six colleagues from the unit who were free then) and one coming
    up, made through the service the page uses. Weekdays outside the breaks only."""
    today = timezone.localdate()
    enrolments, attendance = [], []
    for index, appointment in enumerate(appointments):
        if index % 4:
            continue
        trainer = User.objects.filter(person_id=appointment.person_id).first()
        unit = rng.choice(list(appointment.units.all()))
        roster = rosters.get(unit.pk, [])
        for _past in range(1):
            template = rng.choice(TEMPLATES)
            day = today - datetime.timedelta(days=rng.randint(30, 400))
            if day < appointment.starts_on or day.weekday() >= 5 or _in_break(day):
                continue
            # As ambassadors.services.create_micro_training makes it (that service only takes
            # today or later, so the past is written the same way here).
            course = _micro_course(programme, appointment, template, trainer, rng)
            start = datetime.time(14, 0)
            end = (datetime.datetime.combine(day, start)
                   + datetime.timedelta(minutes=template.minutes)).time()
            session = training.create_session(
                course, by=trainer, capacity=8, trainer=trainer, place=unit.name,
                meetings=[training.MeetingData(date=day, starts_at=start, ends_at=end)])
            occasion = session.meetings.get()
            busy = training.people_booked_at_the_same_time(session, roster)
            free = [person_id for person_id in roster if person_id not in busy]
            for person_id in rng.sample(free, k=min(len(free), rng.randint(3, 6))):
                enrolments.append(Enrolment(
                    session=session, person_id=person_id, status=Enrolment.Status.ENROLLED,
                    source=Enrolment.Source.MANAGER, enrolled_by=trainer,
                    created_at=timezone.make_aware(datetime.datetime.combine(
                        day - datetime.timedelta(days=7), datetime.time(9, 0)))))
                attendance.append(Attendance(
                    meeting=occasion, person_id=person_id, status=Attendance.Status.PRESENT,
                    minutes=occasion.minutes, source=Attendance.Source.ROLL_CALL,
                    recorded_by=trainer, recorded_at=timezone.make_aware(
                        datetime.datetime.combine(day, end))))
            summary.micro_trainings += 1
        template = rng.choice(TEMPLATES)
        coming = today + datetime.timedelta(days=rng.randint(3, 40))
        while coming.weekday() >= 5 or _in_break(coming):
            coming += datetime.timedelta(days=1)
        ambassador_services.create_micro_training(appointment, ambassador_services.MicroTraining(
            template=template, title=template.title, unit=unit, date=coming,
            starts_at=datetime.time(14, 0), minutes=template.minutes, capacity=8,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4)), by=trainer)
        summary.micro_trainings += 1
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=2000)


def _micro_course(programme, appointment, template, trainer, rng):
    from modig.competence.reference import DIGCOMP_CODE
    from modig.organisation.models import TargetGroup

    return training.create_course(
        programme, by=trainer, code=f"mikro-{uuid.UUID(int=rng.getrandbits(128)).hex}",
        title=template.title, description=template.description, format="on_site",
        nominal_minutes=template.minutes, is_published=True,
        municipality=appointment.municipality,
        competences=Competence.objects.filter(framework__code=DIGCOMP_CODE,
                                              code__in=template.competences),
        target_groups=TargetGroup.objects.filter(code=TargetGroup.Code.BASE_STAFF))
