"""Who may see which round's results, and where in the organisation (DESIGN.md, "Who uses it").

- programme administrator: every round, the whole programme;
- coordinator: rounds reaching their municipalities; figures of those municipalities only;
- unit manager: rounds reaching their units; figures of their units and the units below;
- everyone else (ambassador, trainer, staff member): no results pages (403).
A round outside one's scope is a 404 (the same rule as the round pages: round_access).

The list of staff with the lowest scores (for forming training groups) is personal data: the
same three roles within the same scope, only in pseudonymous rounds, every view logged.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from modig.accounts.access import _assigned_units, coordinated_municipality_ids, is_programme_admin
from modig.accounts.models import Role
from modig.organisation.models import Municipality, Unit
from modig.surveys.models import Round
from modig.surveys.round_access import rounds_visible_to

PROGRAMME, MUNICIPALITY, UNIT = "programme", "municipality", "unit"


@dataclass(frozen=True)
class Place:
    """A node of the results tree: the programme, a municipality or a unit (with its subtree)."""

    kind: str
    obj: object = None  # Municipality or Unit

    @property
    def pk(self):
        return self.obj.pk if self.obj is not None else None

    @property
    def param(self) -> str:
        """The value of the `plats` GET parameter that selects this place."""
        if self.kind == MUNICIPALITY:
            return f"k{self.obj.pk}"
        if self.kind == UNIT:
            return f"e{self.obj.pk}"
        return ""

    @property
    def name(self) -> str:
        return str(self.obj.name) if self.obj is not None else ""


def managed_units(user) -> list[Unit]:
    return _assigned_units(user, Role.UNIT_MANAGER)


def can_view_results(user) -> bool:
    return (is_programme_admin(user) or bool(coordinated_municipality_ids(user))
            or bool(managed_units(user)))


def round_for_results(user, pk: int) -> Round:
    """A round whose results the user may open: 403 for other roles, 404 outside scope."""
    if not can_view_results(user):
        raise PermissionDenied
    round_ = (rounds_visible_to(user).select_related("programme", "questionnaire", "baseline")
              .filter(pk=pk, published_at__isnull=False).first())
    if round_ is None:
        raise Http404
    return round_


def root_places(user, round_: Round) -> list[Place]:
    """The places the user may start from: the programme, their municipalities, their units."""
    if is_programme_admin(user):
        return [Place(PROGRAMME)]
    places = [Place(MUNICIPALITY, m) for m in Municipality.objects.filter(
        pk__in=coordinated_municipality_ids(user),
        programmes=round_.programme).order_by("name")]
    covered = {p.pk for p in places}
    for unit in sorted(managed_units(user), key=lambda u: u.name):
        if unit.municipality_id not in covered:
            places.append(Place(UNIT, unit))
    return places


def may_open(user, place: Place) -> bool:
    """Whether the place is inside the user's scope (its figures may be shown)."""
    if is_programme_admin(user):
        return True
    if place.kind == PROGRAMME:
        return False
    coordinated = coordinated_municipality_ids(user)
    if place.kind == MUNICIPALITY:
        return place.pk in coordinated
    unit = place.obj
    return unit.municipality_id in coordinated or any(
        unit.path.startswith(own.path) for own in managed_units(user))


def can_list_lowest_scores(user) -> bool:
    """The lowest-scores list is for the programme office, coordinators and unit managers."""
    return can_view_results(user)
