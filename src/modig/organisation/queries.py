"""Reads of the organisation registry that feed pages.

Every read starts from a scoped queryset in `modig.accounts.access`, so nothing outside the
user's scope can be listed, searched, counted or exported through these functions. Head counts
here are counts of people the reader may already see by name, so they are not suppressed.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from modig.accounts import access
from modig.organisation.models import (
    DuplicateDecision,
    Employment,
    Municipality,
    Person,
    Unit,
)

PEOPLE_STATUSES = ("active", "inactive", "all")


def scope_overview(user) -> dict:
    """Counts for the home page within the user's scope; none for those who see only themselves."""
    if not user.is_authenticated or not access.can_browse_registry(user):
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
    """People visible to the user, filtered as on the people page.

    Filters match the employments the user may read, so a filter can never reveal an
    employment in another municipality (a coordinator in Ale filtering on Tjörn finds no one).
    """
    employments = access.employments_visible_to(user)
    if municipality_code:
        employments = employments.filter(municipality__code=municipality_code)
    if unit_id:
        unit = access.units_visible_to(user).filter(pk=unit_id).first()
        if unit is None:
            return Person.objects.none()
        employments = employments.filter(
            units__in=Unit.objects.in_subtree_of([unit]).values("pk")
        )
    if staff_category:
        employments = employments.filter(staff_category=staff_category)
    if occupation_code:
        employments = employments.filter(occupation__ssyk_code=occupation_code)
    for word in text.split():
        employments = employments.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(employee_id__iexact=word)
        )
    people = access.people_visible_to(user)
    if status == "active":
        people = people.filter(pk__in=employments.filter(is_active=True).values("person_id"))
    else:
        people = people.filter(pk__in=employments.values("person_id"))
        if status == "inactive":
            people = people.exclude(
                pk__in=access.employments_visible_to(user)
                .filter(is_active=True)
                .values("person_id")
            )
    return people.order_by("last_name", "first_name", "pk")


def with_employments(user, people) -> list[Person]:
    """A page of people, each with `shown_employments`: the ones the user may read (2 queries
    for the employments, their units and occupations, however long the page)."""
    people = list(people)
    employments = (
        access.employments_visible_to(user)
        .filter(person__in=[p.pk for p in people])
        .select_related("municipality", "occupation")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("name")))
        .order_by("-is_active", "municipality__name", "employee_id")
    )
    by_person: dict[int, list[Employment]] = {}
    for employment in employments:
        by_person.setdefault(employment.person_id, []).append(employment)
    for person in people:
        person.shown_employments = by_person.get(person.pk, [])
    return people


def person_record(user, person: Person) -> dict:
    """What a person's page shows: readable employments in full, other municipalities by name."""
    visible = list(
        access.employments_visible_to(user)
        .filter(person=person)
        .select_related("municipality", "occupation")
        .prefetch_related("units", "target_groups")
        .order_by("-is_active", "municipality__name", "employee_id")
    )
    elsewhere = (
        Municipality.objects.filter(employments__person=person, employments__is_active=True)
        .exclude(pk__in=[e.municipality_id for e in visible])
        .distinct()
        .order_by("name")
    )
    return {"employments": visible, "elsewhere": list(elsewhere)}


def _active_people_in_subtree() -> Subquery:
    """Distinct people with an active employment at or below the outer unit."""
    return Subquery(
        Employment.objects.filter(
            is_active=True, units__path__startswith=OuterRef("path")
        )
        .order_by()
        .values("is_active")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")[:1],
        output_field=IntegerField(),
    )


@dataclass
class UnitNode:
    unit: Unit
    active_here: int
    active_in_subtree: int
    children: list["UnitNode"] = field(default_factory=list)


def unit_tree(
    user, municipality: Municipality, *, include_inactive: bool = False
) -> list[UnitNode]:
    """A municipality's visible units as a tree with active head counts, in one query.

    `active_here` counts people employed in the unit itself, `active_in_subtree` the distinct
    people in the unit and every unit below it.
    """
    units = access.units_visible_to(user).filter(municipality=municipality)
    if not include_inactive:
        units = units.filter(is_active=True)
    units = (
        units.annotate(
            active_here=Count(
                "employments__person", filter=Q(employments__is_active=True), distinct=True
            ),
            active_in_subtree=Coalesce(_active_people_in_subtree(), 0),
        )
        .select_related("operation_area")
        .order_by("path")
    )
    nodes: dict[int, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit in units:
        node = UnitNode(unit, unit.active_here, unit.active_in_subtree)
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.unit.name.lower())
    roots.sort(key=lambda n: n.unit.name.lower())
    return roots


def municipality_overview(user) -> QuerySet[Municipality]:
    """The municipalities the user may browse, with active units and people in their scope."""
    units = access.units_visible_to(user).filter(
        municipality=OuterRef("pk"), is_active=True
    )
    people = access.employments_visible_to(user).filter(
        municipality=OuterRef("pk"), is_active=True
    )
    return access.municipalities_visible_to(user).annotate(
        active_units=Coalesce(Subquery(
            units.order_by().values("municipality").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ), 0),
        active_people=Coalesce(Subquery(
            people.order_by().values("municipality")
            .annotate(n=Count("person_id", distinct=True)).values("n")[:1],
            output_field=IntegerField(),
        ), 0),
    ).order_by("name")


def unit_ancestors(user, unit: Unit) -> list[Unit]:
    """The visible units above `unit`, top first (for the breadcrumb)."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    found = {u.pk: u for u in access.units_visible_to(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def unit_children(user, unit: Unit) -> QuerySet[Unit]:
    """The visible units directly below `unit`, with their active head counts."""
    return (
        access.units_visible_to(user)
        .filter(parent=unit)
        .annotate(active_in_subtree=Coalesce(_active_people_in_subtree(), 0))
        .order_by("-is_active", "name")
    )


def unit_choices(municipality: Municipality, *, exclude_subtree_of: Unit | None = None):
    """Active units of a municipality in tree order, for choosing a parent."""
    units = Unit.objects.filter(municipality=municipality, is_active=True).order_by("path")
    if exclude_subtree_of is not None:
        units = units.exclude(path__startswith=exclude_subtree_of.path)
    return units


# Export -----------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "last_name", "first_name", "email", "mobile", "birth_year", "gender", "municipality",
    "employee_id", "units", "occupation", "staff_category", "active",
)


def people_export_rows(user, people: QuerySet[Person]) -> Iterator[list]:
    """One row per readable employment of the given people; never the identity number."""
    employments = (
        access.employments_visible_to(user)
        .filter(person__in=people.values("pk"))
        .select_related("person", "municipality", "occupation")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("name")))
        .order_by("person__last_name", "person__first_name", "person_id", "employee_id")
    )
    for employment in employments.iterator(chunk_size=1000):
        person = employment.person
        yield [
            person.last_name, person.first_name, person.email, person.mobile,
            person.birth_year or "", person.get_gender_display(), employment.municipality.name,
            employment.employee_id, ", ".join(u.name for u in employment.units.all()),
            str(employment.occupation or ""), employment.get_staff_category_display(),
            "1" if employment.is_active else "0",
        ]


# Likely duplicates --------------------------------------------------------------------------

REASON_EMAIL = "email"
REASON_NAME_BIRTH_YEAR = "name_birth_year"


@dataclass
class DuplicatePair:
    first: Person
    second: Person
    reasons: list[str]
    first_visible: bool
    second_visible: bool
    first_municipalities: list[str]
    second_municipalities: list[str]
    can_merge: bool = False
    can_keep_apart: bool = False

    @property
    def both_visible(self) -> bool:
        return self.first_visible and self.second_visible


def _name_key(person: Person) -> tuple:
    return (person.first_name.strip().lower(), person.last_name.strip().lower(), person.birth_year)


def pair_matches(first: Person, second: Person) -> list[str]:
    """Why two people look like one human (empty when they do not)."""
    if (
        first.identity_number and second.identity_number
        and first.identity_number != second.identity_number
    ):
        return []
    reasons = []
    if first.email and first.email.strip().lower() == second.email.strip().lower():
        reasons.append(REASON_EMAIL)
    if first.birth_year and _name_key(first) == _name_key(second):
        reasons.append(REASON_NAME_BIRTH_YEAR)
    return reasons


def likely_duplicates(user, *, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of people who may be one human, where at least one half is in the user's scope.

    Same e-mail (case-insensitive), or same first name, last name and birth year, within a
    municipality or across municipalities. Pairs already kept apart, and pairs with two
    different identity numbers (certainly two people), are left out. The groups are found in
    SQL over the whole register, so the other half may be outside the user's scope; the page
    then shows only what is needed to decide (name, birth year, municipality).
    """
    in_scope = access.people_visible_to(user).values("pk")
    email_keys = list(
        Person.objects.exclude(email="")
        .annotate(key=Lower("email"))
        .order_by()
        .values("key")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(pk__in=in_scope)))
        .filter(n__gt=1, mine__gt=0)
        .values_list("key", flat=True)[:limit]
    )
    name_keys = list(
        Person.objects.filter(birth_year__isnull=False)
        .annotate(first=Lower("first_name"), last=Lower("last_name"))
        .order_by()
        .values("first", "last", "birth_year")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(pk__in=in_scope)))
        .filter(n__gt=1, mine__gt=0)
        .values_list("first", "last", "birth_year")[:limit]
    )
    condition = Q(email_key__in=email_keys)
    for first, last, birth_year in name_keys:
        condition |= Q(first_key=first, last_key=last, birth_year=birth_year)
    if not email_keys and not name_keys:
        return []
    members = list(
        Person.objects.annotate(
            email_key=Lower("email"), first_key=Lower("first_name"), last_key=Lower("last_name")
        )
        .filter(condition)
        .prefetch_related(
            Prefetch(
                "employments",
                queryset=Employment.objects.select_related("municipality").order_by(
                    "municipality__name"
                ),
            )
        )
        .order_by("pk")
    )
    visible_ids = set(
        access.people_visible_to(user)
        .filter(pk__in=[p.pk for p in members])
        .values_list("pk", flat=True)
    )
    member_ids = [p.pk for p in members]
    kept_apart = set(
        DuplicateDecision.objects.filter(
            person_low__in=member_ids, person_high__in=member_ids
        ).values_list("person_low_id", "person_high_id")
    )
    buckets: dict[tuple, list[Person]] = {}
    for person in members:
        if person.email:
            buckets.setdefault(("e", person.email.strip().lower()), []).append(person)
        if person.birth_year:
            buckets.setdefault(("n", *_name_key(person)), []).append(person)
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for group in buckets.values():
        for index, first in enumerate(group):
            for second in group[index + 1:]:
                key = (first.pk, second.pk)
                if key in pairs or key in kept_apart:
                    continue
                if first.pk not in visible_ids and second.pk not in visible_ids:
                    continue
                reasons = pair_matches(first, second)
                if not reasons:
                    continue
                pairs[key] = DuplicatePair(
                    first, second, reasons,
                    first_visible=first.pk in visible_ids,
                    second_visible=second.pk in visible_ids,
                    first_municipalities=_municipality_names(first),
                    second_municipalities=_municipality_names(second),
                )
    result = sorted(pairs.values(), key=lambda p: (p.first.last_name, p.first.first_name,
                                                   p.first.pk, p.second.pk))[:limit]
    for pair in result:
        pair.can_merge = access.can_merge_people(user, pair.first, pair.second)
        pair.can_keep_apart = access.can_keep_apart(user, pair.first, pair.second)
    return result


def _municipality_names(person: Person) -> list[str]:
    names: list[str] = []
    for employment in person.employments.all():
        if employment.municipality.name not in names:
            names.append(employment.municipality.name)
    return names
