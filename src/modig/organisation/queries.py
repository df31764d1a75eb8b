"""Reads of the organisation registry that feed pages."""

from django.db.models import Count, Q, QuerySet

from modig.accounts import access
from modig.organisation.models import Employment, Person, Unit


def scope_overview(user) -> dict:
    """Counts for the home page, within the user's scope."""
    if not user.is_authenticated:
        return {}
    people = access.people_visible_to(user)
    return {
        "municipalities": access.municipalities_visible_to(user).count(),
        "units": access.units_visible_to(user).filter(is_active=True).count(),
        "people": people.filter(employments__is_active=True).distinct().count(),
    }


def search_people(
    user,
    *,
    text: str = "",
    municipality_code: str = "",
    unit_id: int | None = None,
    staff_category: str = "",
    occupation_code: str = "",
    status: str = "active",
) -> QuerySet[Person]:
    """People visible to the user, filtered as on the people page."""
    people = access.people_visible_to(user)
    employment_filter = Q()
    if municipality_code:
        employment_filter &= Q(employments__municipality__code=municipality_code)
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is not None:
            employment_filter &= Q(
                employments__units__in=Unit.objects.in_subtree_of([unit]).values("pk")
            )
    if staff_category:
        employment_filter &= Q(employments__staff_category=staff_category)
    if occupation_code:
        employment_filter &= Q(employments__occupation__ssyk_code=occupation_code)
    if status == "active":
        employment_filter &= Q(employments__is_active=True)
    elif status == "inactive":
        people = people.exclude(employments__is_active=True)
    if employment_filter:
        people = people.filter(pk__in=Person.objects.filter(employment_filter).values("pk"))
    for word in text.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(employments__employee_id__iexact=word)
        )
    return people.distinct().order_by("last_name", "first_name", "pk")


def employments_for_people(people: list[Person]) -> dict[int, list[Employment]]:
    """Employments with their units and occupation for a page of people, in two queries."""
    employments = (
        Employment.objects.filter(person__in=people)
        .select_related("municipality", "occupation")
        .prefetch_related("units")
        .order_by("-is_active", "municipality__name")
    )
    by_person: dict[int, list[Employment]] = {}
    for employment in employments:
        by_person.setdefault(employment.person_id, []).append(employment)
    return by_person


def unit_tree(user, municipality) -> list[tuple[Unit, int]]:
    """A municipality's visible units in tree order with their depth and active head count."""
    units = (
        access.units_visible_to(user)
        .filter(municipality=municipality)
        .annotate(
            active_people=Count(
                "employments__person",
                filter=Q(employments__is_active=True),
                distinct=True,
            )
        )
        .select_related("operation_area")
        .order_by("path")
    )
    return [(unit, unit.path.count("/") - 2) for unit in units]


def likely_duplicates(user, *, limit: int = 200) -> list[tuple[Person, Person, str]]:
    """Pairs of people in scope who may be one human: same e-mail, or same name and birth year.

    Pairs a coordinator has already kept apart are left out.
    """
    from modig.organisation.models import DuplicateDecision

    people = access.people_visible_to(user)
    kept_apart = set(DuplicateDecision.objects.values_list("person_low_id", "person_high_id"))
    pairs: list[tuple[Person, Person, str]] = []
    seen: set[tuple[int, int]] = set()

    def add_groups(keys: list[str], reason: str, base: QuerySet[Person]):
        groups = base.values(*keys).annotate(n=Count("pk")).filter(n__gt=1).order_by()[:limit]
        for group in groups:
            members = list(Person.objects.filter(**{k: group[k] for k in keys}).order_by("pk"))
            for i, first in enumerate(members):
                for second in members[i + 1:]:
                    key = (first.pk, second.pk)
                    if key in seen or key in kept_apart:
                        continue
                    seen.add(key)
                    pairs.append((first, second, reason))

    in_scope = people.values("pk")
    add_groups(["email"], "email", Person.objects.exclude(email="").filter(pk__in=in_scope))
    add_groups(
        ["first_name", "last_name", "birth_year"], "name_birth_year",
        Person.objects.filter(birth_year__isnull=False, pk__in=people.values("pk")),
    )
    return pairs[:limit]
