"""Writes to the organisation registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from modig.organisation.models import DuplicateDecision, Employment, Municipality, Person, Unit
from modig.organisation.signals import people_merged

_PATH_MAX = Unit._meta.get_field("path").max_length


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id else "/"
    return f"{prefix}{unit.pk}/"


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("A unit needs a name."), code="unit_name_missing")
    return name


def _check_name_free(municipality: Municipality, parent: Unit | None, name: str,
                     *, exclude: Unit | None = None) -> None:
    siblings = Unit.objects.filter(municipality=municipality, parent=parent,
                                   name__iexact=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ValidationError(
            _("There is already a unit called %(name)s at that place. Choose another name.")
            % {"name": name},
            code="unit_name_taken",
        )


@transaction.atomic
def create_unit(
    municipality: Municipality,
    *,
    name: str,
    parent: Unit | None = None,
    kind: str = Unit.Kind.UNIT,
    code: str = "",
    operation_area=None,
) -> Unit:
    """Create a unit under a parent (or at the top of the municipality) and set its path."""
    name = _clean_name(name)
    if parent is not None and parent.municipality_id != municipality.pk:
        raise ValidationError(
            _("The parent unit belongs to another municipality."), code="unit_parent_elsewhere"
        )
    if parent is not None and not parent.is_active:
        raise ValidationError(
            _("The parent unit is closed. Choose an active unit."), code="unit_parent_inactive"
        )
    _check_name_free(municipality, parent, name)
    unit = Unit.objects.create(
        municipality=municipality, parent=parent, name=name, kind=kind, code=code.strip(),
        operation_area=operation_area or (parent.operation_area if parent else None),
    )
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, name: str, kind: str, code: str = "") -> Unit:
    """Rename a unit or change its kind and code; its place in the tree stays."""
    name = _clean_name(name)
    _check_name_free(unit.municipality, unit.parent, name, exclude=unit)
    unit.name, unit.kind, unit.code = name, kind, code.strip()
    unit.save(update_fields=["name", "kind", "code"])
    return unit


@transaction.atomic
def move_unit(unit: Unit, *, parent: Unit | None) -> Unit:
    """Put a unit (and everything below it) under another parent in the same municipality.

    The materialised paths of the unit and all its descendants are rewritten in one UPDATE.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if (parent.pk if parent else None) == unit.parent_id:
        return unit
    if parent is not None:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if parent.municipality_id != unit.municipality_id:
            raise ValidationError(
                _("A unit can only be moved within its own municipality."),
                code="unit_parent_elsewhere",
            )
        if parent.path.startswith(unit.path):
            raise ValidationError(
                _("A unit cannot be moved under itself or one of its own sub-units."),
                code="unit_move_cycle",
            )
        if not parent.is_active:
            raise ValidationError(
                _("The new parent unit is closed. Choose an active unit."),
                code="unit_parent_inactive",
            )
    _check_name_free(unit.municipality, parent, unit.name, exclude=unit)
    old_path = unit.path
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    deepest = (
        Unit.objects.filter(path__startswith=old_path)
        .order_by("-path")
        .values_list("path", flat=True)
    )
    if any(len(p) - len(old_path) + len(new_path) > _PATH_MAX for p in deepest):
        raise ValidationError(_("The unit tree would become too deep."), code="unit_too_deep")
    unit.parent = parent
    unit.save(update_fields=["parent"])
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    unit.refresh_from_db(fields=["path"])
    # People in the moved subtree may now be in an open recurring survey round.
    transaction.on_commit(lambda: _invite_people_below(new_path), robust=True)
    return unit


def _invite_people_below(path: str) -> None:
    from modig.surveys.invitations import invite_into_open_recurring_rounds_later

    invite_into_open_recurring_rounds_later(Employment.objects.filter(
        is_active=True, units__path__startswith=path).values_list("person_id", flat=True))


@transaction.atomic
def deactivate_unit(unit: Unit) -> int:
    """Close a unit and every unit below it; refused while people still work there.

    Returns the number of units closed.
    """
    subtree = Unit.objects.filter(path__startswith=unit.path)
    still_working = (
        Employment.objects.filter(is_active=True, units__in=subtree.values("pk"))
        .values("person_id").distinct().count()
    )
    if still_working:
        raise ValidationError(
            _("%(n)s people with an active employment still work here. Update the staff list "
              "first, so they belong to another unit or are no longer active.")
            % {"n": still_working},
            code="unit_has_people",
        )
    return subtree.filter(is_active=True).update(is_active=False)


@transaction.atomic
def reactivate_unit(unit: Unit) -> Unit:
    """Open a closed unit again (not the units below it); its parent must be active."""
    if unit.parent_id and not Unit.objects.filter(pk=unit.parent_id, is_active=True).exists():
        raise ValidationError(
            _("The unit above is closed. Open it first."), code="unit_parent_inactive"
        )
    unit.is_active = True
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def keep_people_apart(first: Person, second: Person, *, decided_by=None) -> DuplicateDecision:
    """Record that two look-alike people are different humans, so they are not listed again."""
    if first.pk == second.pk:
        raise ValidationError(_("A person cannot be merged with themselves."), code="merge_self")
    low, high = sorted([first.pk, second.pk])
    decision, _created = DuplicateDecision.objects.get_or_create(
        person_low_id=low, person_high_id=high, defaults={"decided_by": decided_by}
    )
    return decision


@transaction.atomic
def merge_people(keep: Person, *, duplicate: Person) -> Person:
    """Move every employment and link of `duplicate` to `keep`, then delete `duplicate`.

    Refused when the two records have different identity numbers (they are two people) or
    both have their own log-in. Fields `keep` lacks are taken from `duplicate`.
    """
    from modig.accounts.models import AccessLogEntry, User

    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."), code="merge_self")
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(
        pk__in=[keep.pk, duplicate.pk])}
    if len(locked) != 2:
        raise ValidationError(
            _("One of the two records no longer exists. Reload the list."), code="merge_gone"
        )
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if (
        keep.identity_number and duplicate.identity_number
        and keep.identity_number != duplicate.identity_number
    ):
        raise ValidationError(
            _("The two records have different identity numbers, so they are two people. "
              "Keep them apart instead."),
            code="merge_identity_differs",
        )
    users = list(User.objects.filter(person__in=[keep, duplicate]))
    if len(users) > 1:
        raise ValidationError(
            _("Both people have their own log-in. Ask the programme office to close one "
              "of the log-ins first."),
            code="merge_two_users",
        )
    # employee_id is unique within a municipality, so moving employments cannot clash.
    Employment.objects.filter(person=duplicate).update(person=keep)
    AccessLogEntry.objects.filter(person=duplicate).update(person=keep)
    _move_decisions(duplicate, keep)
    people_merged.send(sender=Person, keep=keep, duplicate=duplicate)
    inherited = [
        name for name in ("email", "mobile", "birth_year", "identity_number")
        if not getattr(keep, name) and getattr(duplicate, name)
    ]
    values = {name: getattr(duplicate, name) for name in inherited}
    if keep.gender == Person.Gender.UNKNOWN and duplicate.gender != Person.Gender.UNKNOWN:
        values["gender"] = duplicate.gender
    values["has_protected_identity"] = (
        keep.has_protected_identity or duplicate.has_protected_identity
    )
    duplicate_user = users[0] if users and users[0].person_id == duplicate.pk else None
    duplicate.delete()  # first, so an inherited identity number stays unique
    for name, value in values.items():
        setattr(keep, name, value)
    keep.save(update_fields=[*values, "updated_at"])
    if duplicate_user is not None:
        duplicate_user.person = keep
        duplicate_user.save(update_fields=["person"])
    return keep


def _move_decisions(duplicate: Person, keep: Person) -> None:
    """"X is not the duplicate" also means "X is not the kept person"."""
    decisions = DuplicateDecision.objects.filter(person_low=duplicate) | \
        DuplicateDecision.objects.filter(person_high=duplicate)
    for decision in decisions:
        other = (decision.person_high_id if decision.person_low_id == duplicate.pk
                 else decision.person_low_id)
        if other != keep.pk:
            low, high = sorted([other, keep.pk])
            DuplicateDecision.objects.get_or_create(
                person_low_id=low, person_high_id=high,
                defaults={"decided_by_id": decision.decided_by_id},
            )


@transaction.atomic
def change_unit(unit: Unit, *, name: str, kind: str, code: str = "",
                parent: Unit | None) -> Unit:
    """Rename a unit and move it under another parent in one go (the edit page)."""
    unit = move_unit(unit, parent=parent)
    return update_unit(unit, name=name, kind=kind, code=code)
