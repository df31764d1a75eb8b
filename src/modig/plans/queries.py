"""What the outcomes read from the change log: the managers who changed at least one routine
to a digital or mobile way of working inside the programme period, and the managers in scope
(the denominator). Both are Person querysets, each person once; `routine_change_share` is the
privacy-protected figure for pages (lib/privacy.py)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from modig.lib import privacy
from modig.organisation.models import Person, Programme, Unit
from modig.plans.access import management_employments
from modig.plans.models import RoutineChange


def _scope(programme: Programme, municipalities, units) -> tuple[QuerySet, QuerySet]:
    """(management employments in scope, units in scope)."""
    employments = management_employments().filter(
        municipality__in=programme.municipalities.all())
    scoped_units = Unit.objects.filter(municipality__in=programme.municipalities.all())
    if municipalities:
        employments = employments.filter(municipality__in=municipalities)
        scoped_units = scoped_units.filter(municipality__in=municipalities)
    if units:
        subtree = Unit.objects.in_subtree_of(units).values("pk")
        employments = employments.filter(units__in=subtree)
        scoped_units = scoped_units.filter(pk__in=subtree)
    return employments, scoped_units


def managers_in_scope(programme: Programme, *, municipalities=(), units=(),
                      people: QuerySet | None = None) -> QuerySet[Person]:
    """The denominator: people with an active management employment in the programme's
    municipalities (narrowed to the given municipalities, units with their subtrees, people)."""
    employments, _ = _scope(programme, municipalities, units)
    managers = Person.objects.filter(pk__in=employments.values("person_id"))
    if people is not None:
        managers = managers.filter(pk__in=people.values("pk"))
    return managers


def managers_with_changed_routine(programme: Programme, *, municipalities=(), units=(),
                                  people: QuerySet | None = None) -> QuerySet[Person]:
    """The managers in scope who recorded at least one change inside the programme period,
    at a unit in scope."""
    _, scoped_units = _scope(programme, municipalities, units)
    changes = RoutineChange.objects.filter(
        changed_on__gte=programme.starts_on, changed_on__lte=programme.ends_on,
        unit__in=scoped_units.values("pk"))
    return managers_in_scope(programme, municipalities=municipalities, units=units,
                             people=people).filter(pk__in=changes.values("manager_id"))


@dataclass
class Share:
    """'changed' of 'managers' managers; a hidden cell's count is not to be shown."""

    changed: privacy.Cell
    managers: privacy.Cell

    @property
    def percent(self) -> int | None:
        if self.changed.hidden or self.managers.hidden or not self.managers.count:
            return None
        return round(100 * self.changed.count / self.managers.count)


def routine_change_share(programme: Programme, **filters) -> Share:
    """The figure 'changed at least one routine' with its denominator, through the privacy
    rules: the changed and the unchanged managers are a breakdown of the managers in scope."""
    managers = managers_in_scope(programme, **filters).count()
    changed = managers_with_changed_routine(programme, **filters).count()
    cells, total = privacy.suppress_breakdown(
        {"changed": changed, "unchanged": managers - changed},
        min_size=privacy.effective_min_size(programme.min_group_size))
    return Share(changed=cells["changed"], managers=total)
