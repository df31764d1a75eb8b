"""Who a survey round reaches: its population, resolved in the database.

A person belongs to a round's population when one of their ACTIVE employments, in one of the
programme's municipalities, matches every dimension of the round that has values:
municipalities, units (a unit includes every unit below it), target groups and occupations.
Within a dimension any of the chosen values matches; a dimension with no values does not
restrict. The same rules serve a saved round (`for_round`) and a form that has not been saved
yet (`Population(...)`), so the count shown while editing is the count that gets invited.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from modig.organisation.models import Employment, Person, Programme, Unit


@dataclass(frozen=True)
class Population:
    """A round's selection: ids per dimension (empty means "everyone" in that dimension)."""

    programme_id: int
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    target_group_ids: frozenset[int] = field(default_factory=frozenset)
    occupation_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, programme: Programme | int, *, municipalities: Iterable = (),
           units: Iterable = (), target_groups: Iterable = (),
           occupations: Iterable = ()) -> "Population":
        """From model instances or ids, as a form gives them."""
        def ids(values):
            return frozenset(getattr(v, "pk", v) for v in values)

        return cls(getattr(programme, "pk", programme), ids(municipalities), ids(units),
                   ids(target_groups), ids(occupations))

    def subtree_units(self) -> QuerySet[Unit]:
        """The chosen units and every unit below them."""
        chosen = Unit.objects.filter(pk__in=self.unit_ids).only("path")
        return Unit.objects.in_subtree_of(list(chosen))

    def employments(self) -> QuerySet[Employment]:
        """Active employments that match every dimension with values (no duplicates)."""
        employments = Employment.objects.filter(
            is_active=True,
            municipality__programmes=self.programme_id,
        )
        if self.municipality_ids:
            employments = employments.filter(municipality_id__in=self.municipality_ids)
        if self.occupation_ids:
            employments = employments.filter(occupation_id__in=self.occupation_ids)
        # Many-to-many dimensions as subqueries, so an employment in two chosen units (or two
        # chosen groups) is still one row.
        if self.unit_ids:
            links = Employment.units.through.objects.filter(
                unit_id__in=self.subtree_units().values("pk"))
            employments = employments.filter(pk__in=links.values("employment_id"))
        if self.target_group_ids:
            links = Employment.target_groups.through.objects.filter(
                targetgroup_id__in=self.target_group_ids)
            employments = employments.filter(pk__in=links.values("employment_id"))
        return employments

    def people(self) -> QuerySet[Person]:
        """Everyone in the population, once each."""
        return Person.objects.filter(pk__in=self.employments().values("person_id"))

    def count(self) -> int:
        """How many people are in the population (one COUNT in the database)."""
        return self.employments().values("person_id").distinct().count()

    def contains(self, person: Person | int) -> bool:
        return self.employments().filter(person_id=getattr(person, "pk", person)).exists()

    def placements(self, person_ids: Iterable[int] | None = None
                   ) -> dict[int, tuple[int, int | None]]:
        """{person id: (municipality id, unit id or None)} for the given people (all when
        None): where the person's matching employment is. A person with several matching
        employments is placed at the oldest one, and within it at the lowest matching unit,
        so the answer is the same every time it is asked."""
        employments = self.employments()
        if person_ids is not None:
            employments = employments.filter(person_id__in=list(person_ids))
        first = {}
        for person_id, employment_id, municipality_id in employments.order_by(
                "person_id", "pk").values_list("person_id", "pk", "municipality_id"):
            first.setdefault(person_id, (employment_id, municipality_id))
        links = Employment.units.through.objects.filter(
            employment_id__in=[employment_id for employment_id, _ in first.values()])
        if self.unit_ids:
            links = links.filter(unit_id__in=self.subtree_units().values("pk"))
        unit_of = dict(links.values("employment_id").annotate(unit=Min("unit_id"))
                       .values_list("employment_id", "unit"))
        return {person_id: (municipality_id, unit_of.get(employment_id))
                for person_id, (employment_id, municipality_id) in first.items()}


def for_round(round_) -> Population:
    """The population of a saved round (reads its four selections: four small queries)."""
    return Population(
        round_.programme_id,
        frozenset(round_.municipalities.values_list("pk", flat=True)),
        frozenset(round_.units.values_list("pk", flat=True)),
        frozenset(round_.target_groups.values_list("pk", flat=True)),
        frozenset(round_.occupations.values_list("pk", flat=True)),
    )


def population_size(round_) -> int:
    return for_round(round_).count()


@dataclass(frozen=True)
class OptionCounts:
    """People with an active employment in the programme, per choice of the round form:
    shown next to each choice so the office sees whom a choice reaches before saving."""

    municipalities: dict[int, int]
    units: dict[int, int]
    target_groups: dict[int, int]
    occupations: dict[int, int]


def option_counts(programme: Programme | int, units: QuerySet[Unit]) -> OptionCounts:
    """Four GROUP BY queries (units: one query with a correlated count per unit, people in
    the unit and below it, each person once)."""
    active = Employment.objects.filter(is_active=True,
                                       municipality__programmes=getattr(programme, "pk",
                                                                        programme))

    def per(field):
        return dict(active.values(field).annotate(n=Count("person_id", distinct=True))
                    .values_list(field, "n").order_by())

    in_subtree = Subquery(
        active.filter(units__path__startswith=OuterRef("path")).order_by()
        .values("is_active").annotate(n=Count("person_id", distinct=True)).values("n")[:1],
        output_field=IntegerField())
    return OptionCounts(
        municipalities=per("municipality_id"),
        units=dict(units.annotate(n=Coalesce(in_subtree, 0)).values_list("pk", "n")),
        target_groups=per("target_groups"),
        occupations=per("occupation_id"),
    )
