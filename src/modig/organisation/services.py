"""Writes to the organisation registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from modig.organisation.models import Employment, Municipality, Person, Unit


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id else "/"
    return f"{prefix}{unit.pk}/"


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
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("A unit needs a name."), code="unit_name_missing")
    if parent is not None and parent.municipality_id != municipality.pk:
        raise ValidationError(
            _("The parent unit belongs to another municipality."), code="unit_parent_elsewhere"
        )
    unit = Unit.objects.create(
        municipality=municipality, parent=parent, name=name, kind=kind, code=code,
        operation_area=operation_area or (parent.operation_area if parent else None),
    )
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def merge_people(keep: Person, *, duplicate: Person) -> Person:
    """Move every employment and link of `duplicate` to `keep`, then delete `duplicate`."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."), code="merge_self")
    clashes = Employment.objects.filter(person=keep).values_list("municipality_id", "employee_id")
    for employment in duplicate.employments.all():
        if (employment.municipality_id, employment.employee_id) in set(clashes):
            raise ValidationError(_("Both people hold the same employment."), code="merge_clash")
    duplicate.employments.update(person=keep)
    duplicate_user = getattr(duplicate, "user", None)
    if duplicate_user is not None and getattr(keep, "user", None) is None:
        duplicate_user.person = keep
        duplicate_user.save(update_fields=["person"])
    inherited = {
        field: getattr(duplicate, field)
        for field in ("email", "mobile", "birth_year", "identity_number")
        if not getattr(keep, field) and getattr(duplicate, field)
    }
    if keep.gender == Person.Gender.UNKNOWN:
        inherited["gender"] = duplicate.gender
    protected = keep.has_protected_identity or duplicate.has_protected_identity
    duplicate.delete()  # first, so an inherited identity number stays unique
    for field, value in inherited.items():
        setattr(keep, field, value)
    keep.has_protected_identity = protected
    keep.save()
    return keep
