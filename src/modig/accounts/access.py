"""Who may see and change what. Every scoped fetch and check in Modig goes through here.

Rules (DESIGN.md, "Who uses it"):
- programme administrator: everything in the programme;
- municipality coordinator: the municipality's units and everyone employed there;
- unit manager and ambassador: their units and the units below them, and the people employed
  there (read only);
- trainer: no one's roster record (their participants come with training);
- staff member: themselves.
Outside one's scope is a 404 (the object's existence is not revealed); inside it but read-only
on a write is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from modig.accounts.models import AccessLogEntry, Role, RoleAssignment, User
from modig.organisation.models import Municipality, Person, Unit

_CACHE_ATTR = "_modig_role_assignments"


def current_assignments(user: User) -> list[RoleAssignment]:
    """The user's current role assignments, loaded once per user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.current()
            .filter(user=user)
            .select_related("municipality", "programme")
            .prefetch_related("units")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user: User) -> None:
    """Drop the per-object cache after roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: User) -> set[str]:
    """The set of role codes the user holds today."""
    return {assignment.role for assignment in current_assignments(user)}


def has_role(user: User, *roles: str) -> bool:
    """Whether the user holds any of the given roles today."""
    return bool(roles_of(user) & set(roles))


def is_programme_admin(user: User) -> bool:
    """Programme administrators (and Django superusers) see the whole programme."""
    return user.is_authenticated and (
        user.is_superuser or has_role(user, Role.PROGRAMME_ADMIN)
    )


def coordinated_municipality_ids(user: User) -> set[int]:
    """Municipalities the user coordinates."""
    return {
        a.municipality_id
        for a in current_assignments(user)
        if a.role == Role.COORDINATOR and a.municipality_id
    }


def _assigned_units(user: User, *roles: str) -> list[Unit]:
    return [unit for a in current_assignments(user) if a.role in roles for unit in a.units.all()]


def municipalities_visible_to(user: User) -> QuerySet[Municipality]:
    """Municipalities whose registry the user may browse."""
    if is_programme_admin(user):
        return Municipality.objects.all()
    unit_ids = [u.municipality_id for u in _assigned_units(user, Role.UNIT_MANAGER,
                                                           Role.AMBASSADOR)]
    return Municipality.objects.filter(
        pk__in=coordinated_municipality_ids(user) | set(unit_ids)
    )


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Units the user may browse."""
    if is_programme_admin(user):
        return Unit.objects.all()
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    for unit in _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR):
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(condition)


def people_visible_to(user: User) -> QuerySet[Person]:
    """People whose roster record the user may open."""
    if not user.is_authenticated:
        return Person.objects.none()
    if is_programme_admin(user):
        return Person.objects.all()
    condition = Q(pk__in=[])
    municipality_ids = coordinated_municipality_ids(user)
    if municipality_ids:
        condition |= Q(employments__municipality_id__in=municipality_ids)
    scoped_units = _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR)
    if scoped_units:
        condition |= Q(
            employments__units__in=Unit.objects.in_subtree_of(scoped_units).values("pk")
        )
    if user.person_id:
        condition |= Q(pk=user.person_id)
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk"))


def can_edit_municipality(user: User, municipality: Municipality) -> bool:
    """Roster writes (imports, merges, edits) belong to the programme office and coordinators."""
    return is_programme_admin(user) or municipality.pk in coordinated_municipality_ids(user)


def editable_municipalities(user: User) -> QuerySet[Municipality]:
    """Municipalities whose roster the user may change."""
    if is_programme_admin(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=coordinated_municipality_ids(user))


def municipality_for_user(user: User, code: str, *, write: bool = False) -> Municipality:
    """A municipality by SCB code: 404 outside scope, 403 on a write without the right."""
    municipality = municipalities_visible_to(user).filter(code=code).first()
    if municipality is None:
        raise Http404
    if write and not can_edit_municipality(user, municipality):
        raise PermissionDenied
    return municipality


def unit_for_user(user: User, pk: int, *, write: bool = False) -> Unit:
    """A unit by id: 404 outside scope, 403 on a write without the right."""
    unit = units_visible_to(user).select_related("municipality", "parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    if write and not can_edit_municipality(user, unit.municipality):
        raise PermissionDenied
    return unit


def person_for_user(user: User, pk: int, *, write: bool = False) -> Person:
    """A person by id: 404 outside scope, 403 on a write without the right."""
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write and not (
        is_programme_admin(user)
        or person.employments.filter(
            municipality_id__in=coordinated_municipality_ids(user)
        ).exists()
    ):
        raise PermissionDenied
    return person


def can_view_identity_number(user: User) -> bool:
    """Full identity numbers are for the roles that report to the ESF (settings)."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return has_role(user, *settings.MODIG_IDENTITY_NUMBER_ROLES)


def can_read_access_log(user: User) -> bool:
    """The access log is read by the programme office."""
    return is_programme_admin(user)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log_access(request, action: str, *, person: Person | None = None, detail: str = "") -> None:
    """Record that the request's user opened or exported personal data."""
    AccessLogEntry.objects.create(
        user=request.user,
        user_email=request.user.email,
        action=action,
        person=person,
        detail=detail[:300],
        ip_address=client_ip(request),
    )


# Registry pages (organisation app) -----------------------------------------------------------

REGISTRY_ROLES = (Role.PROGRAMME_ADMIN, Role.COORDINATOR, Role.UNIT_MANAGER, Role.AMBASSADOR)


def can_browse_registry(user: User) -> bool:
    """The people, unit and municipality pages are for the roles that look after staff."""
    return is_programme_admin(user) or has_role(user, *REGISTRY_ROLES)


def employments_visible_to(user: User):
    """Employments the user may read: in their municipalities or units, or their own."""
    from modig.organisation.models import Employment

    if not user.is_authenticated:
        return Employment.objects.none()
    if is_programme_admin(user):
        return Employment.objects.all()
    condition = Q(municipality_id__in=coordinated_municipality_ids(user))
    scoped_units = _assigned_units(user, Role.UNIT_MANAGER, Role.AMBASSADOR)
    if scoped_units:
        condition |= Q(units__in=Unit.objects.in_subtree_of(scoped_units).values("pk"))
    if user.person_id:
        condition |= Q(person_id=user.person_id)
    return Employment.objects.filter(
        pk__in=Employment.objects.filter(condition).values("pk")
    )


def can_export_people(user: User) -> bool:
    """Exports of personal data are for the programme office and coordinators."""
    return is_programme_admin(user) or bool(coordinated_municipality_ids(user))


def can_resolve_duplicates(user: User) -> bool:
    """The likely-duplicates page is for the programme office and coordinators."""
    return can_export_people(user)


def _employment_municipality_ids(*people: Person) -> set[int]:
    # Reads prefetched employments where the caller loaded them (the duplicates page does).
    return {e.municipality_id for person in people for e in person.employments.all()}


def can_merge_people(user: User, first: Person, second: Person) -> bool:
    """Merging changes both records: the programme office, or a coordinator of every
    municipality where either person is employed."""
    if is_programme_admin(user):
        return True
    municipality_ids = _employment_municipality_ids(first, second)
    return bool(municipality_ids) and municipality_ids <= coordinated_municipality_ids(user)


def can_keep_apart(user: User, first: Person, second: Person) -> bool:
    """Saying "two different people" needs the right to edit at least one of them."""
    if is_programme_admin(user):
        return True
    coordinated = coordinated_municipality_ids(user)
    return any(_employment_municipality_ids(p) & coordinated for p in (first, second))


def duplicate_pair_for_user(user: User, first_pk: int, second_pk: int) -> tuple[Person, Person]:
    """Two people for the duplicates pages, lowest id first: 404 unless the user sees at
    least one of them and, when the other is outside their scope, the two really look alike
    (so a guessed id reveals nothing that the duplicates list does not show)."""
    from django.db.models import Prefetch

    from modig.organisation.models import Employment
    from modig.organisation.queries import pair_matches

    if first_pk == second_pk:
        raise Http404
    employments = Employment.objects.select_related("municipality", "occupation")
    people = list(
        Person.objects.filter(pk__in=[first_pk, second_pk])
        .prefetch_related(Prefetch("employments", queryset=employments.order_by("pk")))
        .order_by("pk")
    )
    if len(people) != 2:
        raise Http404
    visible = set(people_visible_to(user).filter(pk__in=[first_pk, second_pk])
                  .values_list("pk", flat=True))
    if not visible or (len(visible) == 1 and not pair_matches(*people)):
        raise Http404
    return people[0], people[1]
