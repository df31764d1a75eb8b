"""What changes appointments and the coaching log. Every rule is checked here, so the pages,
the offline resend and the demo all get the same Swedish messages and nothing half-saved."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.accounts.models import Role, RoleAssignment, User
from modig.ambassadors.micro_templates import MicroTemplate
from modig.ambassadors.models import (
    MAX_COACHING_MINUTES,
    Appointment,
    CoachingActivity,
    CoachingParticipant,
)
from modig.ambassadors.signals import mark_coaching_changed
from modig.organisation.models import Municipality, Person, Unit


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


# Appointments ---------------------------------------------------------------------------------

def _check_appointment(person: Person, municipality: Municipality, units, time_percent: int,
                       starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    errors = {}
    if not units:
        errors["units"] = _("Choose at least one unit the ambassador covers.")
    elif any(unit.municipality_id != municipality.pk for unit in units):
        errors["units"] = _("Choose only units in %(municipality)s.") % {
            "municipality": municipality}
    if not 1 <= time_percent <= 100:
        errors["time_percent"] = _("Write the time as a per cent between 1 and 100.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end date must be on or after the start date.")
    if not person.employments.filter(municipality=municipality).exists():
        errors["person"] = _("The person has no employment in %(municipality)s.") % {
            "municipality": municipality}
    if errors:
        raise ValidationError(errors)


def sync_role(person: Person) -> None:
    """Keep the person's AMBASSADOR role assignments in line with their appointments.

    Only people with a user account have assignments. Per municipality the user gets one
    AMBASSADOR assignment whose units are those of their appointments active today; in a
    municipality where no appointment is active any more, the assignment is ended (ends_on
    yesterday) rather than deleted, so the history of who had access stays. Called inside
    every appointment change's transaction."""
    user = User.objects.filter(person=person).first()
    if user is None:
        return
    today = timezone.localdate()
    active = list(Appointment.objects.active(today).filter(person=person)
                  .prefetch_related("units"))
    units_by_municipality: dict[int, set[int]] = {}
    for appointment in active:
        units_by_municipality.setdefault(appointment.municipality_id, set()).update(
            unit.pk for unit in appointment.units.all())
    assignments = RoleAssignment.objects.current().filter(user=user, role=Role.AMBASSADOR)
    for municipality_id, unit_ids in units_by_municipality.items():
        assignment = (assignments.filter(municipality_id=municipality_id).first()
                      or assignments.filter(municipality__isnull=True).first())
        if assignment is None:
            assignment = RoleAssignment.objects.create(
                user=user, role=Role.AMBASSADOR, municipality_id=municipality_id)
        elif assignment.municipality_id != municipality_id:
            assignment.municipality_id = municipality_id
            assignment.save(update_fields=["municipality"])
        assignment.units.set(unit_ids)
    (assignments.exclude(municipality_id__in=units_by_municipality)
     .update(ends_on=today - datetime.timedelta(days=1)))
    from modig.accounts.access import forget_assignments

    forget_assignments(user)


@transaction.atomic
def appoint(person: Person, municipality: Municipality, *, units, time_percent: int,
            starts_on: datetime.date, ends_on: datetime.date | None = None,
            by=None) -> Appointment:
    units = list(units)
    _check_appointment(person, municipality, units, time_percent, starts_on, ends_on)
    appointment = Appointment.objects.create(
        person=person, municipality=municipality, time_percent=time_percent,
        starts_on=starts_on, ends_on=ends_on, created_by=_user(by))
    appointment.units.set(units)
    sync_role(person)
    return appointment


@transaction.atomic
def update_appointment(appointment: Appointment, *, units, time_percent: int,
                       starts_on: datetime.date, ends_on: datetime.date | None,
                       by=None) -> Appointment:
    units = list(units)
    _check_appointment(appointment.person, appointment.municipality, units, time_percent,
                       starts_on, ends_on)
    appointment.time_percent = time_percent
    appointment.starts_on = starts_on
    appointment.ends_on = ends_on
    appointment.save(update_fields=["time_percent", "starts_on", "ends_on"])
    appointment.units.set(units)
    sync_role(appointment.person)
    return appointment


@transaction.atomic
def end_appointment(appointment: Appointment, *, on: datetime.date | None = None,
                    by=None) -> Appointment:
    day = on or timezone.localdate()
    if day < appointment.starts_on:
        raise ValidationError(_("The end date must be on or after the start date."))
    appointment.ends_on = day
    appointment.save(update_fields=["ends_on"])
    sync_role(appointment.person)
    return appointment


# Coaching -------------------------------------------------------------------------------------

@dataclass
class CoachingEntry:
    date: datetime.date
    unit: Unit
    format: str
    minutes: int
    topic_text: str = ""
    topic_competence: object = None
    topic_technology: object = None  # a learning.Technology
    participants: list = field(default_factory=list)  # Person objects, named
    counted_participants: int = 0
    note: str = ""
    idempotency_key: uuid.UUID | None = None


@dataclass
class Logged:
    activity: CoachingActivity
    created: bool  # False: the same key was sent before, this is the saved entry


def unit_roster(unit: Unit):
    """People with an active employment at the unit or below it (the checkboxes)."""
    subtree = Unit.objects.in_subtree_of([unit]).values("pk")
    return (Person.objects.filter(employments__is_active=True,
                                  employments__units__in=subtree)
            .distinct().order_by("first_name", "last_name", "pk"))


def covered_units(appointment: Appointment):
    return appointment.units.order_by("name", "pk")


def _check_entry(appointment: Appointment, entry: CoachingEntry) -> None:
    errors = {}
    today = timezone.localdate()
    if entry.date > today:
        errors["date"] = _("The date cannot be in the future. Choose today or an earlier day.")
    elif not appointment.is_active(entry.date):
        errors["date"] = _("You were not an ambassador on that date. Choose a date in your "
                           "assignment period.")
    if not appointment.units.filter(pk=entry.unit.pk).exists():
        errors["unit"] = _("You do not cover %(unit)s. Choose one of your units.") % {
            "unit": entry.unit}
    elif entry.participants:
        roster = set(unit_roster(entry.unit).filter(pk__in=[p.pk for p in entry.participants])
                     .values_list("pk", flat=True))
        outside = [p for p in entry.participants if p.pk not in roster]
        if outside:
            errors["participants"] = _(
                "%(names)s does not work at %(unit)s. Remove the name or choose the right "
                "unit.") % {"names": ", ".join(p.full_name for p in outside),
                            "unit": entry.unit}
    if entry.minutes is None or entry.minutes < 1:
        errors["minutes"] = _("Write how many minutes the coaching took, at least 1.")
    elif entry.minutes > MAX_COACHING_MINUTES:
        errors["minutes"] = _("At most %(hours)d hours (%(minutes)d minutes) per entry. Check "
                              "the minutes.") % {"hours": MAX_COACHING_MINUTES // 60,
                                                 "minutes": MAX_COACHING_MINUTES}
    if entry.counted_participants < 0:
        errors["counted_participants"] = _("The number of participants cannot be negative.")
    if not entry.participants and entry.counted_participants == 0:
        errors["participants"] = _("Tick who took part, or write how many took part.")
    if (not entry.topic_text and entry.topic_competence is None
            and entry.topic_technology is None):
        errors["topic_text"] = _("Write what the coaching was about, or choose a technology "
                                 "or a competence.")
    if entry.format not in CoachingActivity.Format.values:
        errors["format"] = _("Choose how the coaching was done.")
    if errors:
        raise ValidationError(errors)


def log_coaching(appointment: Appointment, entry: CoachingEntry, *, by=None) -> Logged:
    """Save one coaching entry, exactly once per idempotency key: a resend (double tap, the
    phone sending again after the network came back) returns the entry already saved."""
    key = entry.idempotency_key or uuid.uuid4()
    existing = CoachingActivity.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_sender(existing, appointment)
    _check_entry(appointment, entry)
    try:
        with transaction.atomic():
            activity = CoachingActivity.objects.create(
                appointment=appointment, date=entry.date, unit=entry.unit, format=entry.format,
                topic_text=entry.topic_text.strip(), topic_competence=entry.topic_competence,
                topic_technology=entry.topic_technology, minutes=entry.minutes,
                counted_participants=entry.counted_participants,
                note=entry.note.strip(), created_by=_user(by), idempotency_key=key)
            CoachingParticipant.objects.bulk_create(
                CoachingParticipant(activity=activity, person=person)
                for person in {p.pk: p for p in entry.participants}.values())
            # bulk_create sends no signal: the participants' hours are new ledger entries.
            mark_coaching_changed([appointment.municipality_id])
    except IntegrityError:
        # Two sends of the same key at once: the other one won; show its entry.
        existing = CoachingActivity.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_sender(existing, appointment)
    return Logged(activity, created=True)


def _same_sender(activity: CoachingActivity, appointment: Appointment) -> Logged:
    if activity.appointment_id != appointment.pk:
        # A key is not a way to read someone else's entry.
        raise ValidationError(_("This entry was already saved by someone else. Reload the page "
                                "and write it again."))
    return Logged(activity, created=False)


def move_coaching_records(sender, *, keep: Person, duplicate: Person, **kwargs) -> None:
    """When two person records are merged, the duplicate's coaching follows (an activity that
    names both keeps one row), and so do their appointments."""
    both = CoachingParticipant.objects.filter(person=keep).values("activity_id")
    CoachingParticipant.objects.filter(person=duplicate, activity_id__in=both).delete()
    moved = CoachingParticipant.objects.filter(person=duplicate)
    municipalities = set(moved.values_list("activity__appointment__municipality_id", flat=True))
    moved.update(person=keep)
    Appointment.objects.filter(person=duplicate).update(person=keep)
    mark_coaching_changed(municipalities)


# Micro-trainings ------------------------------------------------------------------------------

MICRO_MIN_MINUTES, MICRO_MAX_MINUTES = 15, 120


@dataclass
class MicroTraining:
    template: MicroTemplate
    title: str
    unit: Unit
    date: datetime.date
    starts_at: datetime.time
    minutes: int
    capacity: int
    idempotency_key: uuid.UUID


def _micro_code(key: uuid.UUID) -> str:
    # The course code carries the form's key: a resend finds the course already made.
    return f"mikro-{key.hex}"


def _existing_micro_session(key: uuid.UUID):
    from modig.training.models import Session

    return Session.objects.filter(course__code=_micro_code(key)).order_by("pk").first()


def _check_micro(appointment: Appointment, micro: MicroTraining) -> None:
    errors = {}
    if not appointment.units.filter(pk=micro.unit.pk).exists():
        errors["unit"] = _("You do not cover that unit. Choose one of your units.")
    if micro.date < timezone.localdate():
        errors["date"] = _("The date has passed. Choose today or a later day.")
    if not MICRO_MIN_MINUTES <= micro.minutes <= MICRO_MAX_MINUTES:
        errors["minutes"] = _("Write between %(min)d and %(max)d minutes.") % {
            "min": MICRO_MIN_MINUTES, "max": MICRO_MAX_MINUTES}
    elif (datetime.datetime.combine(micro.date, micro.starts_at)
          + datetime.timedelta(minutes=micro.minutes)).date() != micro.date:
        errors["starts_at"] = _("The training must end the same day. Choose an earlier time.")
    if micro.capacity < 1:
        errors["capacity"] = _("Give the number of places, at least 1.")
    if errors:
        raise ValidationError(errors)


def create_micro_training(appointment: Appointment, micro: MicroTraining, *, by):
    """A local on-site course from a template with one session at the unit, the ambassador as
    trainer. Returns (session, created); a resend with the same key returns the first one."""
    from modig.competence.models import Competence
    from modig.competence.reference import DIGCOMP_CODE
    from modig.organisation.models import Programme, TargetGroup
    from modig.training import services as training

    existing = _existing_micro_session(micro.idempotency_key)
    if existing is not None:
        return existing, False
    _check_micro(appointment, micro)
    programme = (Programme.objects.filter(municipalities=appointment.municipality)
                 .order_by("pk").first())
    if programme is None:
        raise ValidationError(_("Your municipality takes part in no programme. Ask your "
                                "coordinator."))
    start = datetime.datetime.combine(micro.date, micro.starts_at)
    end = (start + datetime.timedelta(minutes=micro.minutes)).time()
    try:
        with transaction.atomic():
            course = training.create_course(
                programme, by=by, code=_micro_code(micro.idempotency_key),
                title=micro.title, description=micro.template.description,
                format="on_site", nominal_minutes=micro.minutes, is_published=True,
                municipality=appointment.municipality,
                competences=Competence.objects.filter(framework__code=DIGCOMP_CODE,
                                                      code__in=micro.template.competences),
                target_groups=TargetGroup.objects.filter(
                    code=TargetGroup.Code.BASE_STAFF))
            session = training.create_session(
                course, by=by, capacity=micro.capacity, trainer=_trainer(appointment),
                place=micro.unit.name,
                meetings=[training.MeetingData(date=micro.date, starts_at=micro.starts_at,
                                               ends_at=end)])
    except IntegrityError:
        # Two taps at the same moment: the other one made the course.
        existing = _existing_micro_session(micro.idempotency_key)
        if existing is None:
            raise
        return existing, False
    return session, True


def _trainer(appointment: Appointment):
    # The trainer is a user: the ambassador's own log-in (they may then take the roll call).
    return User.objects.filter(person_id=appointment.person_id).first()
