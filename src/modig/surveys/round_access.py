"""Who may see and manage survey rounds (DESIGN.md, "Who uses it").

- programme administrator: every round of the programme; creates, changes, publishes, closes;
- coordinator: published rounds whose population includes their municipality; sends
  reminders and prints letters there;
- unit manager: published rounds whose population includes their units; sees the response
  rates of their units and prints their units' letters;
- everyone else: 403.
Outside one's scope a round is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from modig.accounts.access import (
    _assigned_units,
    coordinated_municipality_ids,
    is_programme_admin,
)
from modig.accounts.models import Role
from modig.organisation.models import Municipality, Unit
from modig.surveys.models import Round

MunicipalityLink = Round.municipalities.through
UnitLink = Round.units.through


def managed_units(user) -> list[Unit]:
    return _assigned_units(user, Role.UNIT_MANAGER)


def can_use_rounds(user) -> bool:
    """The round pages are for the programme office, coordinators and unit managers."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user)) or bool(
        managed_units(user))


def can_manage_rounds(user) -> bool:
    """Creating, changing, publishing and closing rounds: the programme office."""
    return is_programme_admin(user)


def _includes_municipalities(municipality_ids) -> Q:
    """Rounds whose population can reach these municipalities: the municipality dimension is
    empty or names one of them, and the unit dimension is empty or has a unit there."""
    named = MunicipalityLink.objects.filter(municipality_id__in=municipality_ids)
    any_municipality = Q(pk__in=MunicipalityLink.objects.values("round_id"))
    unit_there = UnitLink.objects.filter(unit__municipality_id__in=municipality_ids)
    any_unit = Q(pk__in=UnitLink.objects.values("round_id"))
    return (
        Q(programme__municipalities__in=municipality_ids)
        & (~any_municipality | Q(pk__in=named.values("round_id")))
        & (~any_unit | Q(pk__in=unit_there.values("round_id")))
    )


def _includes_units(units) -> Q:
    """Rounds whose population can reach these units: above or below them in the tree."""
    condition = Q(pk__in=[])
    for unit in units:
        ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
        related = UnitLink.objects.filter(Q(unit_id__in=ancestors)
                                          | Q(unit__path__startswith=unit.path))
        condition |= _includes_municipalities([unit.municipality_id]) & (
            ~Q(pk__in=UnitLink.objects.values("round_id"))
            | Q(pk__in=related.values("round_id")))
    return condition


def rounds_visible_to(user) -> QuerySet[Round]:
    if not user.is_authenticated:
        return Round.objects.none()
    if is_programme_admin(user):
        return Round.objects.all()
    condition = Q(pk__in=[])
    municipality_ids = coordinated_municipality_ids(user)
    if municipality_ids:
        condition |= _includes_municipalities(municipality_ids)
    units = managed_units(user)
    if units:
        condition |= _includes_units(units)
    visible = Round.objects.filter(condition).values("pk")
    return Round.objects.filter(pk__in=visible, published_at__isnull=False)


def round_for_user(user, pk: int, *, manage: bool = False) -> Round:
    """A round by id: 403 for roles without round pages, 404 outside scope, 403 on a change
    without the right."""
    if not can_use_rounds(user):
        raise PermissionDenied
    round_ = rounds_visible_to(user).select_related("programme", "questionnaire",
                                                   "baseline").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    if manage and not can_manage_rounds(user):
        raise PermissionDenied
    return round_


def municipalities_for_rounds(user) -> QuerySet[Municipality]:
    """Municipalities whose figures, letters and reminders the user handles."""
    if is_programme_admin(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=coordinated_municipality_ids(user))


def units_for_rounds(user) -> QuerySet[Unit]:
    """Units whose response rates and letters the user sees (subtrees included)."""
    if is_programme_admin(user):
        return Unit.objects.all()
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    for unit in managed_units(user):
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(condition)


def can_send_reminders(user, municipality: Municipality) -> bool:
    return is_programme_admin(user) or municipality.pk in coordinated_municipality_ids(user)


def unit_for_letters(user, pk) -> Unit:
    """A unit whose letters the user may print: 404 outside scope."""
    unit = units_for_rounds(user).select_related("municipality").filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit

