"""What the ambassador pages read: coverage, train-the-trainer status, the home page."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from modig.ambassadors.models import Appointment, CoachingActivity
from modig.organisation.models import Municipality, Person, TargetGroup, Unit
from modig.training.models import Attendance, Course, DistanceCompletion, Meeting, Session

# A unit not coached for this many days is on the ambassador's "what to do next" list.
QUIET_DAYS = 30


def uncovered_units(municipality: Municipality, on: datetime.date | None = None):
    """Active leaf units of kind "enhet" (no active child unit) without an active ambassador.
    Work groups under an enhet are covered by whoever covers the enhet."""
    day = on or timezone.localdate()
    covering = Appointment.objects.active(day).filter(units=OuterRef("pk"))
    active_children = Unit.objects.filter(parent=OuterRef("pk"), is_active=True,
                                          kind=Unit.Kind.UNIT)
    return (Unit.objects.filter(municipality=municipality, kind=Unit.Kind.UNIT, is_active=True)
            .exclude(Exists(active_children)).exclude(Exists(covering))
            .order_by("path"))


@dataclass
class Coverage:
    municipality: Municipality
    appointments: list
    uncovered: list


def coverage(municipality: Municipality) -> Coverage:
    appointments = list(Appointment.objects.active().filter(municipality=municipality)
                        .select_related("person").prefetch_related("units"))
    return Coverage(municipality, appointments, list(uncovered_units(municipality)))


def ambassador_courses():
    """The ambassador track: published courses aimed at the ambassador target group."""
    return (Course.objects.filter(target_groups__code=TargetGroup.Code.AMBASSADOR,
                                  is_published=True).distinct().order_by("title", "pk"))


@dataclass
class TrackStatus:
    done: list
    not_done: list

    @property
    def total(self) -> int:
        return len(self.done) + len(self.not_done)

    @property
    def complete(self) -> bool:
        return bool(self.done) and not self.not_done


def train_the_trainer_status(person: Person) -> TrackStatus:
    """Derived from training records: a course counts as done when the person attended a
    meeting of one of its sessions (not cancelled) or completed it as a distance course."""
    attended = Attendance.objects.filter(
        person=person, minutes__gt=0, meeting__session__course=OuterRef("pk")).exclude(
        meeting__session__status=Session.Status.CANCELLED)
    completed = DistanceCompletion.objects.filter(person=person, course=OuterRef("pk"))
    courses = ambassador_courses().annotate(attended=Exists(attended),
                                            completed=Exists(completed))
    done, not_done = [], []
    for course in courses:
        (done if course.attended or course.completed else not_done).append(course)
    return TrackStatus(done, not_done)


def active_appointments_of(person_id: int | None):
    if person_id is None:
        return Appointment.objects.none()
    return (Appointment.objects.active().filter(person_id=person_id)
            .select_related("municipality").prefetch_related("units"))


def units_of(appointments) -> list[Unit]:
    units = {unit.pk: unit for a in appointments for unit in a.units.all()}
    return sorted(units.values(), key=lambda u: (u.name, u.pk))


def last_coached(units) -> dict[int, datetime.date]:
    return dict(CoachingActivity.objects.filter(unit__in=units).order_by()
                .values("unit_id").annotate(last=Max("date")).values_list("unit_id", "last"))


def upcoming_sessions(user, units, limit: int = 10):
    """Sessions with a meeting from today on, in the municipalities of my units (enrolled
    staff or local sessions) or that I run as trainer."""
    today = timezone.localdate()
    municipality_ids = {unit.municipality_id for unit in units}
    upcoming = Meeting.objects.filter(session=OuterRef("pk"), date__gte=today)
    next_date = (Meeting.objects.filter(session=OuterRef("pk"), date__gte=today)
                 .order_by("date", "starts_at").values("date")[:1])
    unit_people = Person.objects.filter(
        employments__units__in=Unit.objects.in_subtree_of(units).values("pk")).values("pk")
    condition = Q(trainer=user) | Q(municipality_id__in=municipality_ids)
    if units:
        condition |= Q(enrolments__person__in=unit_people)
    return (Session.objects.filter(condition, Exists(upcoming))
            .exclude(status=Session.Status.CANCELLED)
            .annotate(next_date=next_date).select_related("course")
            .distinct().order_by("next_date", "pk")[:limit])


def recent_activities(appointments, limit: int = 10):
    return (CoachingActivity.objects.filter(appointment__in=appointments)
            .select_related("unit", "topic_competence").order_by("-date", "-pk")[:limit])


@dataclass
class NextStep:
    unit: Unit
    last: datetime.date | None


def quiet_units(units) -> list[NextStep]:
    """My units not coached in the last QUIET_DAYS days (never coached first)."""
    cutoff = timezone.localdate() - datetime.timedelta(days=QUIET_DAYS)
    last = last_coached(units)
    steps = [NextStep(unit, last.get(unit.pk)) for unit in units
             if last.get(unit.pk) is None or last[unit.pk] < cutoff]
    return sorted(steps, key=lambda s: (s.last is not None, s.last or cutoff, s.unit.name))


# The programme's ambassador work, per municipality (the final report and the evaluator's
# extract) ----------------------------------------------------------------------------------

# Micro-trainings are local courses whose code starts so (ambassadors.services._micro_code).
MICRO_COURSE_PREFIX = "mikro-"


@dataclass
class AmbassadorWork:
    """One municipality's ambassador work inside a programme's period. `ambassadors` and
    `people_reached` are counts of people: callers put them through lib/privacy."""

    municipality: Municipality
    ambassadors: int  # people with an appointment overlapping the period
    units_covered: int  # active workplaces (as uncovered_units) with an active ambassador
    units_uncovered: int
    entries: int  # coaching entries dated in the period
    coaching_minutes: int  # the entries' minutes (the ambassadors' coaching time)
    people_reached: int  # distinct people named at one of those entries
    micro_trainings: int  # sessions of the ambassadors' micro-trainings in the period


def _per_municipality(queryset, municipality_field: str, **aggregates) -> dict[int, dict]:
    """{municipality id: {name: value}} of one grouped query."""
    return {row.pop(municipality_field): row for row in
            queryset.values(municipality_field).annotate(**aggregates).order_by()}


def programme_work(programme, on: datetime.date | None = None) -> list[AmbassadorWork]:
    """Per municipality of the programme (by name): appointments, coverage on the day `on`
    (default: today, or the programme's last day when it is over), coaching entries, their
    minutes, the people named at them, and micro-training sessions, all inside the
    programme period. Six grouped queries, whatever the number of municipalities (the final
    report at national scale has 290)."""
    from django.db.models import Count, Sum

    from modig.ambassadors.models import CoachingParticipant

    day = on or min(timezone.localdate(), programme.ends_on)
    period = (programme.starts_on, programme.ends_on)
    municipalities = list(programme.municipalities.order_by("name"))
    ids = [m.pk for m in municipalities]
    appointed = _per_municipality(
        Appointment.objects.filter(municipality__in=ids, starts_on__lte=programme.ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=programme.starts_on)),
        "municipality_id", people=Count("person_id", distinct=True))
    active_children = Unit.objects.filter(parent=OuterRef("pk"), is_active=True,
                                          kind=Unit.Kind.UNIT)
    leaves = (Unit.objects.filter(municipality__in=ids, kind=Unit.Kind.UNIT, is_active=True)
              .exclude(Exists(active_children)))
    workplaces = _per_municipality(leaves, "municipality_id", units=Count("pk"))
    covering = Appointment.objects.active(day).filter(units=OuterRef("pk"))
    uncovered = _per_municipality(leaves.exclude(Exists(covering)), "municipality_id",
                                  units=Count("pk"))
    activities = CoachingActivity.objects.filter(appointment__municipality__in=ids,
                                                 date__range=period)
    coaching = _per_municipality(activities, "appointment__municipality_id",
                                 entries=Count("pk"), minutes=Sum("minutes"))
    reached = _per_municipality(
        CoachingParticipant.objects.filter(activity__in=activities.values("pk")),
        "activity__appointment__municipality_id", people=Count("person_id", distinct=True))
    micro = _per_municipality(
        Session.objects.filter(course__programme=programme, course__municipality__in=ids,
                               course__code__startswith=MICRO_COURSE_PREFIX,
                               meetings__date__range=period),
        "course__municipality_id", sessions=Count("pk", distinct=True))
    result = []
    for municipality in municipalities:
        pk = municipality.pk
        all_units = workplaces.get(pk, {}).get("units", 0)
        not_covered = uncovered.get(pk, {}).get("units", 0)
        result.append(AmbassadorWork(
            municipality, appointed.get(pk, {}).get("people", 0), all_units - not_covered,
            not_covered, coaching.get(pk, {}).get("entries", 0),
            coaching.get(pk, {}).get("minutes") or 0, reached.get(pk, {}).get("people", 0),
            micro.get(pk, {}).get("sessions", 0)))
    return result


def people_reached(programme) -> int:
    """Distinct people named at a coaching entry of the programme's municipalities inside its
    period (a person coached in two municipalities once): the total of programme_work's
    people_reached column."""
    from modig.ambassadors.models import CoachingParticipant

    return (CoachingParticipant.objects.filter(
        activity__appointment__municipality__in=programme.municipalities.all(),
        activity__date__range=(programme.starts_on, programme.ends_on))
        .values("person_id").distinct().count())
