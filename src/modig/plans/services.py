"""What changes the managers' change log."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modig.organisation.models import Person, Unit
from modig.plans.access import management_employments
from modig.plans.models import RoutineChange


@transaction.atomic
def record_routine_change(*, manager: Person, unit: Unit, changed_on: datetime.date,
                          routine: str, way: str, description: str = "", recorded_by=None,
                          submission_key: uuid.UUID | None = None) -> RoutineChange:
    """Record one change; the same submission key returns the change already recorded."""
    if submission_key is not None:
        existing = RoutineChange.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    errors = {}
    if changed_on > timezone.localdate():
        errors["changed_on"] = _("The date is in the future. Give the date when the routine "
                                 "changed, today at the latest.")
    if not management_employments().filter(person=manager,
                                           municipality_id=unit.municipality_id).exists():
        errors["manager"] = _("%(name)s has no manager's employment in %(municipality)s. "
                              "Choose a manager employed in the unit's municipality.") % {
            "name": manager.full_name, "municipality": unit.municipality.name}
    if not routine.strip():
        errors["routine"] = _("Write which routine changed.")
    if way not in RoutineChange.Way.values:
        errors["way"] = _("Choose a digital or a mobile way of working.")
    if errors:
        raise ValidationError(errors)
    change = RoutineChange(manager=manager, unit=unit, changed_on=changed_on,
                           routine=routine.strip(), way=way, description=description.strip(),
                           recorded_by=recorded_by, submission_key=submission_key)
    change.full_clean(exclude=["recorded_by", "submission_key"])
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        # The same form sent twice at once: the other request recorded it.
        existing = RoutineChange.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return change


def move_routine_changes(sender, *, keep: Person, duplicate: Person, **kwargs) -> None:
    """When two person records are merged, the duplicate's changes follow the kept record."""
    RoutineChange.objects.filter(manager=duplicate).update(manager=keep)
