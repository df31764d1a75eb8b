"""Digital ambassadors for the demo region (issue 6): an appointment for each of the demo's
ambassadors and two years of coaching.

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

from modig.accounts.models import Role, RoleAssignment
from modig.ambassadors.models import Appointment, CoachingActivity, CoachingParticipant
from modig.competence.models import Competence, Framework
from modig.organisation.models import Employment, Programme

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


@dataclass
class AmbassadorSummary:
    appointments: int = 0
    activities: int = 0
    participants: int = 0


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
                topic_competence_id=competences.get(code), minutes=rng.choice(MINUTES[kind]),
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
    return summary
