"""Who may record and read the managers' change log.

- programme administrator: every change, records for any manager;
- coordinator: the changes at their municipality's units, records for its managers;
- unit manager: records their own changes (their account must be linked to their person
  record) at their units, and sees the changes they recorded or that are theirs;
- everyone else: no access (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from modig.accounts.access import (
    coordinated_municipality_ids,
    has_role,
    is_programme_admin,
    units_visible_to,
)
from modig.accounts.models import Role
from modig.organisation.models import Employment, Person, StaffCategory, Unit
from modig.plans.models import RoutineChange


def management_employments() -> QuerySet[Employment]:
    return Employment.objects.active().filter(staff_category=StaffCategory.MANAGEMENT)


def can_use_change_log(user) -> bool:
    return is_programme_admin(user) or has_role(user, Role.COORDINATOR, Role.UNIT_MANAGER)


def require_change_log(user) -> None:
    if not can_use_change_log(user):
        raise PermissionDenied


def recordable_managers(user) -> QuerySet[Person]:
    """The managers the user may record a change for."""
    employments = management_employments()
    if is_programme_admin(user):
        pass
    elif coordinated_municipality_ids(user):
        employments = employments.filter(
            municipality_id__in=coordinated_municipality_ids(user))
    elif has_role(user, Role.UNIT_MANAGER) and user.person_id:
        employments = employments.filter(person_id=user.person_id)
    else:
        employments = employments.none()
    return Person.objects.filter(pk__in=employments.values("person_id")).order_by(
        "last_name", "first_name", "pk")


def recordable_units(user) -> QuerySet[Unit]:
    """The units at which the user may record a change."""
    if not can_use_change_log(user):
        return Unit.objects.none()
    return units_visible_to(user).select_related("municipality").order_by(
        "municipality__name", "path")


def changes_visible_to(user) -> QuerySet[RoutineChange]:
    if is_programme_admin(user):
        return RoutineChange.objects.all()
    condition = Q(pk__in=[])
    municipality_ids = coordinated_municipality_ids(user)
    if municipality_ids:
        condition |= Q(unit__municipality_id__in=municipality_ids)
    if has_role(user, Role.UNIT_MANAGER):
        condition |= Q(recorded_by=user)
        if user.person_id:
            condition |= Q(manager_id=user.person_id)
    return RoutineChange.objects.filter(condition)
