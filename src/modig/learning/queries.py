"""What reads the learning app's records: who an introduction affects, what a user may see,
the suggested courses, the coverage figure, and the open needs and tasks of units (read by the
ambassadors app: `open_tasks_for_units`, `open_needs_for_units`)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from modig.accounts.access import (
    _assigned_units,
    coordinated_municipality_ids,
    is_programme_admin,
)
from modig.accounts.models import Role
from modig.learning.models import LearningNeed, LearningTask, Technology, TechnologyIntroduction
from modig.lib import privacy
from modig.organisation.models import Employment, Person, Programme, Unit


def task_units(introduction: TechnologyIntroduction) -> QuerySet:
    """The active units in the introduction's scope (its unit and those below, or the whole
    municipality)."""
    units = Unit.objects.filter(municipality_id=introduction.municipality_id, is_active=True)
    if introduction.unit_id:
        units = units.filter(path__startswith=introduction.unit.path)
    return units


def affected_employments(introduction: TechnologyIntroduction) -> QuerySet:
    """Active employments linked to a unit in scope, with one of the introduction's
    occupations (no occupations chosen: every occupation, and employments without one)."""
    employments = Employment.objects.active().filter(
        municipality_id=introduction.municipality_id,
        pk__in=Employment.units.through.objects.filter(
            unit__in=task_units(introduction).values("pk")).values("employment_id"),
    ).order_by()
    occupation_ids = list(introduction.occupations.values_list("pk", flat=True))
    if occupation_ids:
        employments = employments.filter(occupation_id__in=occupation_ids)
    return employments


def related_courses(technology: Technology) -> QuerySet:
    """Courses whose competences overlap the technology's (published or not; callers narrow
    to what a user may see)."""
    from modig.training.models import Course

    return Course.objects.filter(
        pk__in=Course.competences.through.objects.filter(
            competence__in=technology.competences.values("pk")).values("course_id"))


# Scope ----------------------------------------------------------------------------------------

def _manager_units(user) -> list[Unit]:
    return _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR)


def introductions_visible_to(user) -> QuerySet:
    """Programme office: all; coordinators: their municipalities'; unit managers and
    ambassadors: introductions whose scope touches their units (at, above or below them)."""
    introductions = TechnologyIntroduction.objects.select_related(
        "technology", "municipality", "unit")
    if is_programme_admin(user):
        return introductions
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    for unit in _manager_units(user):
        ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
        condition |= Q(unit__path__startswith=unit.path) | Q(unit_id__in=ancestors)
        condition |= Q(unit__isnull=True, municipality_id=unit.municipality_id)
    return introductions.filter(condition)


def can_manage_introduction(user, introduction: TechnologyIntroduction) -> bool:
    """Registering and changing: the programme office, the municipality's coordinator, and a
    unit manager for an introduction inside their units."""
    if is_programme_admin(user) or introduction.municipality_id in coordinated_municipality_ids(
            user):
        return True
    if introduction.unit_id is None:
        return False
    managed = _assigned_units(user, Role.UNIT_MANAGER)
    return any(introduction.unit.path.startswith(unit.path) for unit in managed)


def can_mark_needs(user, unit: Unit) -> bool:
    """Marking learning needs met at a unit: the programme office, the municipality's
    coordinator, a manager of the unit (or a unit above it) and an ambassador covering it."""
    if is_programme_admin(user) or unit.municipality_id in coordinated_municipality_ids(user):
        return True
    return any(unit.path.startswith(mine.path)
               for mine in _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR))


def can_do_task(user, task: LearningTask) -> bool:
    """Those who manage the introduction, and the ambassadors covering the task's unit."""
    if can_manage_introduction(user, task.introduction):
        return True
    return any(task.unit.path.startswith(unit.path)
               for unit in _assigned_units(user, Role.AMBASSADOR))


def manageable_units(user) -> QuerySet:
    """Units a user may introduce a technology in."""
    if is_programme_admin(user):
        return Unit.objects.filter(is_active=True)
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    for unit in _assigned_units(user, Role.UNIT_MANAGER):
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(condition, is_active=True)


def can_introduce(user) -> bool:
    return manageable_units(user).exists() or is_programme_admin(user)


# Coverage -------------------------------------------------------------------------------------

@dataclass
class Coverage:
    """Affected staff and the share trained before go-live and now, with privacy applied:
    a hidden figure is None."""

    affected: int | None
    trained_before: int | None
    trained_now: int | None

    @staticmethod
    def _share(part, whole):
        return None if part is None or not whole else round(100 * part / whole)

    @property
    def share_before(self):
        return self._share(self.trained_before, self.affected)

    @property
    def share_now(self):
        return self._share(self.trained_now, self.affected)


# Other apps that train people on a technology register here (the ambassadors app: coaching
# whose topic is the technology, for named participants). Each is called as
# fn(introduction, until) and returns a queryset of person ids (`values("person_id")`-like,
# one column), trained on the introduction's technology on or before `until` (None: ever).
# The dependency runs from that app to this one, never back.
TECHNOLOGY_TRAINING: list = []


def register_technology_training(function) -> None:
    if function not in TECHNOLOGY_TRAINING:
        TECHNOLOGY_TRAINING.append(function)


def _trained_people(introduction: TechnologyIntroduction, people: QuerySet, *,
                    until=None) -> QuerySet:
    from modig.training import ledger

    courses = related_courses(introduction.technology).values("pk")
    condition = Q(pk__in=LearningNeed.objects.filter(
        introduction=introduction, status=LearningNeed.Status.MET,
        **({"met_on__lte": until} if until else {})).values("person_id"))
    for programme in Programme.objects.filter(municipalities=introduction.municipality_id):
        for source in ledger.SOURCES:
            entries = source.entries(programme).filter(entry_course__in=courses)
            if until is not None:
                entries = entries.filter(entry_on__lte=until)
            condition |= Q(pk__in=entries.order_by().values("entry_person"))
    for trained_on in TECHNOLOGY_TRAINING:
        condition |= Q(pk__in=trained_on(introduction, until))
    return people.filter(condition)


def coverage(introduction: TechnologyIntroduction, *, today=None) -> Coverage:
    """The share of the affected staff trained on the technology.

    The affected staff are the people with a learning need from the introduction (each person
    once). A person is *trained on it* when either
    - they have a ledger entry (training/ledger.py: an attended meeting or a completed
      distance course of a programme their municipality takes part in, inside its period)
      for a course whose competences overlap the technology's (`related_courses`), or
    - they were named at coaching whose topic is the technology, at a unit in the
      introduction's scope (registered by the ambassadors app: TECHNOLOGY_TRAINING), or
    - their learning need was marked met (e.g. the ambassador showed them at the workplace).
    *Before go-live* counts entries dated, and needs met, on or before the go-live date;
    *now* counts every date. The three counts go through lib/privacy.py as one line
    (trained + not trained = affected), once for each moment: a hidden cell is None.
    """
    people = Person.objects.filter(pk__in=introduction.needs.values("person_id"))
    counts = people.aggregate(n=Count("pk"))
    affected = counts["n"]
    before = _trained_people(introduction, people, until=introduction.go_live_on).count()
    now = _trained_people(introduction, people).count()
    min_size = privacy.effective_min_size(
        Programme.objects.filter(municipalities=introduction.municipality_id)
        .values_list("min_group_size", flat=True).first())
    shown, total_shown = {}, True
    for key, trained in (("before", before), ("now", now)):
        cells, total = privacy.suppress_breakdown(
            {"trained": trained, "untrained": affected - trained}, min_size=min_size,
            total_fixed=False)
        shown[key] = cells["trained"].count if cells["trained"].shown else None
        total_shown &= total.shown  # the same total in both lines: hidden if either hides it
    return Coverage(affected if total_shown else None, shown["before"], shown["now"])


# For the ambassadors app ------------------------------------------------------------------------

def open_tasks_for_units(units) -> QuerySet:
    """Open learning tasks of the given units (each with the units below it), soonest due
    first: the ambassador's 'introduce <technology> to the staff' list."""
    return (LearningTask.objects
            .filter(status=LearningTask.Status.OPEN,
                    unit__in=Unit.objects.in_subtree_of(list(units)).values("pk"))
            .select_related("introduction__technology", "unit", "person")
            .order_by("due_on", "pk"))


def open_needs_for_units(units) -> QuerySet:
    """Open learning needs of people in the given units (each with the units below it)."""
    return (LearningNeed.objects
            .filter(status=LearningNeed.Status.OPEN,
                    unit__in=Unit.objects.in_subtree_of(list(units)).values("pk"))
            .select_related("introduction__technology", "person", "unit")
            .order_by("introduction__go_live_on", "person__last_name", "pk"))


# The resource library -------------------------------------------------------------------------

def resources(*, competence=None, technology=None, kind: str = "") -> QuerySet:
    """Resources with their number of ratings and average (filters optional)."""
    from django.db.models import Avg

    from modig.learning.models import LearningResource

    found = LearningResource.objects.all()
    if competence is not None:
        found = found.filter(pk__in=LearningResource.competences.through.objects.filter(
            competence=competence).values("learningresource_id"))
    if technology is not None:
        found = found.filter(
            Q(pk__in=LearningResource.technologies.through.objects.filter(
                technology=technology).values("learningresource_id"))
            | Q(pk__in=LearningResource.competences.through.objects.filter(
                competence__in=technology.competences.values("pk")).values(
                "learningresource_id")))
    if kind:
        found = found.filter(kind=kind)
    return found.annotate(rating_count=Count("ratings"), rating_average=Avg("ratings__stars"))


def shown_average(resource) -> float | None:
    """A resource's average rating, shown only from privacy.FLOOR ratings on (fewer would
    let a rater's colleagues read one person's rating off the page)."""
    if resource.rating_count < privacy.FLOOR:
        return None
    return round(resource.rating_average, 1)


def can_add_resource(user) -> bool:
    from modig.accounts.access import has_role

    return is_programme_admin(user) or has_role(user, Role.COORDINATOR, Role.AMBASSADOR)
