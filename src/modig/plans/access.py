"""Who may record and read the managers' change log.

- programme administrator: every change, records for any manager;
- coordinator: the changes at their municipality's units, records for its managers;
- unit manager: records their own changes (their account must be linked to their person
  record) at their units, and sees the changes they recorded or that are theirs;
- everyone else: no access (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from modig.accounts.access import (
    coordinated_municipality_ids,
    current_assignments,
    has_role,
    is_programme_admin,
    units_visible_to,
)
from modig.accounts.models import Role
from modig.organisation.models import Employment, Municipality, Person, StaffCategory, Unit
from modig.plans.models import ActionPlan, RoutineChange


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


# Action plans ---------------------------------------------------------------------------------

def can_use_plans(user) -> bool:
    return can_use_change_log(user)


def require_plans(user) -> None:
    if not can_use_plans(user):
        raise PermissionDenied


def _managed_units(user) -> list[Unit]:
    return [unit for a in current_assignments(user) if a.role == Role.UNIT_MANAGER
            for unit in a.units.all()]


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    """Admin: every plan; coordinator: their municipality's; unit manager: the plans of their
    units (and below) and their municipality's own plan (read only)."""
    if is_programme_admin(user):
        return ActionPlan.objects.all()
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    managed = _managed_units(user)
    if managed:
        condition |= Q(unit__in=Unit.objects.in_subtree_of(managed).values("pk"))
        condition |= Q(unit__isnull=True,
                       municipality_id__in={unit.municipality_id for unit in managed})
    return ActionPlan.objects.filter(condition)


def can_edit_plan(user, plan: ActionPlan) -> bool:
    if is_programme_admin(user) or plan.municipality_id in coordinated_municipality_ids(user):
        return True
    return plan.unit_id is not None and Unit.objects.in_subtree_of(
        _managed_units(user)).filter(pk=plan.unit_id).exists()


def plan_for_user(user, pk: int, *, write: bool = False) -> ActionPlan:
    plan = plans_visible_to(user).select_related("municipality", "unit").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if write and not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def plan_municipalities(user) -> QuerySet[Municipality]:
    """Municipalities the user may start a plan for."""
    if is_programme_admin(user):
        return Municipality.objects.filter(programmes__isnull=False).distinct().order_by("name")
    ids = coordinated_municipality_ids(user) | {u.municipality_id for u in _managed_units(user)}
    return Municipality.objects.filter(pk__in=ids).order_by("name")


def plan_units(user) -> QuerySet[Unit]:
    """Units the user may start a unit plan for."""
    if is_programme_admin(user):
        return Unit.objects.all().select_related("municipality").order_by("path")
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    managed = _managed_units(user)
    if managed:
        condition |= Q(pk__in=Unit.objects.in_subtree_of(managed).values("pk"))
    return Unit.objects.filter(condition).select_related("municipality").order_by("path")


def may_start_municipality_plan(user, municipality) -> bool:
    return is_programme_admin(user) or municipality.pk in coordinated_municipality_ids(user)
