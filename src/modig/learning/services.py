"""What changes the learning app's records: the catalogue, introductions and the needs and
tasks they create. Every write is one transaction; bad input raises ValidationError with a
Swedish message and writes nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from modig.learning.models import (
    LearningNeed,
    LearningResource,
    LearningTask,
    ResourceRating,
    Technology,
    TechnologyIntroduction,
)
from modig.learning.queries import affected_employments, task_units
from modig.organisation.models import Employment, Municipality, Unit

# Catalogue ------------------------------------------------------------------------------------

# Path segments the catalogue's own pages use under /valfardsteknik/ (learning/urls.py).
RESERVED_CODES = {"ny", "inforanden", "uppgifter", "material"}


def _unique_code(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:50] or "teknik"
    code, n = base, 1
    while code in RESERVED_CODES or Technology.objects.filter(code=code).exclude(
            pk=exclude_pk).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def save_technology(technology: Technology | None, *, name: str, category: str,
                    description: str = "", competences=()) -> Technology:
    """Create a technology (technology None) or change one."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the name of the technology.")})
    if category not in Technology.Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    clash = Technology.objects.filter(name__iexact=name)
    if technology is not None:
        clash = clash.exclude(pk=technology.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already a technology with this name. "
                                         "Choose another name or change that one.")})
    if technology is None:
        technology = Technology(code=_unique_code(name))
    technology.name, technology.category, technology.description = name, category, description
    technology.save()
    technology.competences.set(competences)
    return technology


# Introductions --------------------------------------------------------------------------------

@transaction.atomic
def introduce(technology: Technology, *, municipality: Municipality, unit: Unit | None,
              go_live_on: datetime.date, occupations=(), note: str = "",
              by=None) -> TechnologyIntroduction:
    """Record an introduction and create its learning needs and unit tasks."""
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("The unit is not in the chosen municipality.")})
    if unit is not None and not unit.is_active:
        raise ValidationError({"unit": _("The unit is closed. Choose an active unit.")})
    if go_live_on is None:
        raise ValidationError({"go_live_on": _("Write the go-live date.")})
    duplicate = TechnologyIntroduction.objects.filter(
        technology=technology, municipality=municipality, unit=unit, go_live_on=go_live_on)
    if duplicate.exists():
        # A second tap on Save, or the same introduction twice: refuse rather than double it.
        raise ValidationError(_("This introduction is already registered for the same place "
                                "and date."), code="duplicate")
    introduction = TechnologyIntroduction.objects.create(
        technology=technology, municipality=municipality, unit=unit, go_live_on=go_live_on,
        note=note, created_by=by)
    introduction.occupations.set(occupations)
    sync_introduction(introduction)
    return introduction


def sync_introduction(introduction: TechnologyIntroduction,
                      employments=None) -> tuple[int, int]:
    """Create the missing needs (one per affected person) and introduce-tasks (one per unit
    where affected staff work) of an introduction; `employments` narrows to some employments
    (newcomers). Idempotent: running it again creates nothing. Returns (needs, tasks) made."""
    affected = affected_employments(introduction)
    if employments is not None:
        affected = affected.filter(pk__in=employments)
    links = (Employment.units.through.objects
             .filter(employment__in=affected.values("pk"),
                     unit__in=task_units(introduction).values("pk"))
             .order_by("employment__person_id", "unit_id")
             .values_list("employment__person_id", "unit_id"))
    seen, needs = set(), []
    for person_id, unit_id in links.iterator():
        if person_id not in seen:
            seen.add(person_id)
            needs.append(LearningNeed(introduction=introduction, person_id=person_id,
                                      unit_id=unit_id))
    existing = set(introduction.needs.values_list("person_id", flat=True))
    new_needs = [need for need in needs if need.person_id not in existing]
    LearningNeed.objects.bulk_create(new_needs, ignore_conflicts=True)
    unit_ids = {need.unit_id for need in needs}
    have = set(introduction.tasks.filter(kind=LearningTask.Kind.INTRODUCE)
               .values_list("unit_id", flat=True))
    new_tasks = [LearningTask(introduction=introduction, unit_id=unit_id,
                              kind=LearningTask.Kind.INTRODUCE,
                              due_on=introduction.go_live_on)
                 for unit_id in sorted(unit_ids - have)]
    LearningTask.objects.bulk_create(new_tasks, ignore_conflicts=True)
    return len(new_needs), len(new_tasks)


@transaction.atomic
def welcome_newcomers(employment_ids) -> int:
    """Give people who joined a unit the unit's open learning needs (introductions not yet
    live, or live and still with open needs) and an introduction task for the unit. Returns
    the number of needs created."""
    employments = Employment.objects.filter(pk__in=list(employment_ids), is_active=True)
    municipality_ids = set(employments.values_list("municipality_id", flat=True))
    created = 0
    today = timezone.localdate()
    for introduction in TechnologyIntroduction.objects.filter(
            municipality_id__in=municipality_ids).select_related("technology"):
        if introduction.go_live_on < today and not introduction.needs.filter(
                status=LearningNeed.Status.OPEN).exists():
            continue  # done and dusted: a newcomer learns it from colleagues, not a campaign
        before = set(introduction.needs.values_list("person_id", flat=True))
        made, _tasks = sync_introduction(introduction, employments=employments.values("pk"))
        created += made
        if not made:
            continue
        for need in introduction.needs.exclude(person_id__in=before):
            LearningTask.objects.get_or_create(
                introduction=introduction, unit_id=need.unit_id, person_id=need.person_id,
                kind=LearningTask.Kind.NEWCOMER,
                defaults={"due_on": max(today, introduction.go_live_on)})
    return created


@transaction.atomic
def mark_need_met(need: LearningNeed, *, on: datetime.date | None = None,
                  by=None) -> LearningNeed:
    """Met once: a need already met keeps its first date and who marked it."""
    on = on or timezone.localdate()
    LearningNeed.objects.filter(pk=need.pk, status=LearningNeed.Status.OPEN).update(
        status=LearningNeed.Status.MET, met_on=on, met_by=_user(by))
    need.refresh_from_db()
    return need


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


@transaction.atomic
def mark_needs_met(unit: Unit, need_ids, *, on: datetime.date | None, by=None) -> int:
    """Mark people's open needs at a unit (or the units below it) met on a date, by a user.
    Refused whole, with a Swedish message, for a date in the future, no need chosen, or a
    need at another unit. Needs already met are left as they are. Returns the number marked."""
    on = on or timezone.localdate()
    need_ids = {int(pk) for pk in need_ids}
    if on > timezone.localdate():
        raise ValidationError({"met_on": _("The date cannot be in the future. Choose today or "
                                           "an earlier day.")})
    if not need_ids:
        raise ValidationError({"needs": _("Tick at least one person whose need is met.")})
    subtree = Unit.objects.in_subtree_of([unit]).values("pk")
    needs = LearningNeed.objects.filter(pk__in=need_ids)
    outside = needs.exclude(unit__in=subtree).select_related("person", "unit")
    if outside.exists() or needs.count() != len(need_ids):
        names = ", ".join(f"{n.person.full_name} ({n.unit.name})" for n in outside[:5])
        raise ValidationError({"needs": _(
            "Only needs at %(unit)s can be marked here. %(names)s works at another unit: mark "
            "it on that unit's page.") % {"unit": unit.name, "names": names or "?"}})
    return needs.filter(status=LearningNeed.Status.OPEN).update(
        status=LearningNeed.Status.MET, met_on=on, met_by=_user(by))


@transaction.atomic
def mark_task_done(task: LearningTask, *, on: datetime.date | None = None) -> LearningTask:
    """Done once: a second tap keeps the first date."""
    LearningTask.objects.filter(pk=task.pk, status=LearningTask.Status.OPEN).update(
        status=LearningTask.Status.DONE, done_on=on or timezone.localdate())
    task.refresh_from_db()
    return task


# The resource library -------------------------------------------------------------------------

@transaction.atomic
def add_resource(*, title: str, kind: str, url: str = "", body: str = "", competences=(),
                 technologies=(), by=None) -> LearningResource:
    title = " ".join(title.split())
    errors = {}
    if not title:
        errors["title"] = _("Write a title.")
    if kind not in LearningResource.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if not url.strip() and not body.strip():
        errors["url"] = _("Give a link or write the text (or both).")
    if errors:
        raise ValidationError(errors)
    duplicate = LearningResource.objects.filter(title__iexact=title, url=url.strip(),
                                                added_by=by).first()
    if duplicate is not None:
        return duplicate  # a double tap on Save
    resource = LearningResource.objects.create(title=title, kind=kind, url=url.strip(),
                                               body=body.strip(), added_by=by)
    resource.competences.set(competences)
    resource.technologies.set(technologies)
    return resource


def rate(resource: LearningResource, user, stars) -> ResourceRating:
    """Rate a resource 1-5; a second rating by the same user replaces the first."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Choose from 1 to 5 stars.")})
    rating, _created = ResourceRating.objects.update_or_create(
        resource=resource, user=user, defaults={"stars": stars})
    return rating
