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


# The action plans' status per municipality (the final report and the evaluator's extract) ---

@dataclass
class PlanStatus:
    """A municipality's action plans (its own and its units'): how many, how many adopted,
    their goals, and their actions by status. An action is overdue when it is neither done
    nor cancelled and its due date is before `on`; overdue actions are counted only there,
    not also under in progress or not started."""

    municipality: object
    plans: int
    adopted: int
    goals: int
    done: int
    in_progress: int
    not_started: int
    overdue: int
    cancelled: int

    @property
    def actions(self) -> int:
        return self.done + self.in_progress + self.not_started + self.overdue + self.cancelled


def plan_status(programme: Programme, on=None) -> list[PlanStatus]:
    """One PlanStatus per municipality of the programme (by name), plans whose period overlaps
    the programme's. Not about people: no suppression needed."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from modig.plans.models import Action, ActionPlan, Goal

    day = on or timezone.localdate()
    plans = ActionPlan.objects.filter(municipality__in=programme.municipalities.all(),
                                      starts_on__lte=programme.ends_on,
                                      ends_on__gte=programme.starts_on)
    plan_rows = {row["municipality"]: row for row in plans.order_by().values("municipality")
                 .annotate(n=Count("pk"),
                           adopted=Count("pk", filter=Q(status=ActionPlan.Status.ADOPTED)))}
    goal_rows = dict(Goal.objects.filter(plan__in=plans.values("pk")).order_by()
                     .values("plan__municipality").annotate(n=Count("pk"))
                     .values_list("plan__municipality", "n"))
    open_ = ~Q(status__in=[Action.Status.DONE, Action.Status.CANCELLED])
    late = Q(due_on__lt=day) & open_
    action_rows = {row["goal__plan__municipality"]: row for row in Action.objects.filter(
        goal__plan__in=plans.values("pk")).order_by().values("goal__plan__municipality")
        .annotate(done=Count("pk", filter=Q(status=Action.Status.DONE)),
                  cancelled=Count("pk", filter=Q(status=Action.Status.CANCELLED)),
                  overdue=Count("pk", filter=late),
                  in_progress=Count("pk", filter=Q(status=Action.Status.IN_PROGRESS) & ~late),
                  not_started=Count("pk", filter=Q(status=Action.Status.NOT_STARTED) & ~late))}
    result = []
    for municipality in programme.municipalities.order_by("name"):
        plan = plan_rows.get(municipality.pk, {})
        action = action_rows.get(municipality.pk, {})
        result.append(PlanStatus(
            municipality, plan.get("n", 0), plan.get("adopted", 0),
            goal_rows.get(municipality.pk, 0), action.get("done", 0),
            action.get("in_progress", 0), action.get("not_started", 0),
            action.get("overdue", 0), action.get("cancelled", 0)))
    return result
