"""What changes the managers' change log and the action plans."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modig.organisation.models import Employment, Person, Unit
from modig.plans import drafts
from modig.plans.access import management_employments
from modig.plans.models import Action, ActionPlan, FollowUpNote, Goal, RoutineChange


@transaction.atomic
def record_routine_change(*, manager: Person, unit: Unit, changed_on: datetime.date,
                          routine: str, way: str, description: str = "", recorded_by=None,
                          submission_key: uuid.UUID | None = None) -> RoutineChange:
    """Record one change; the same submission key returns the change already recorded."""
    if submission_key is not None:
        existing = RoutineChange.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    errors = {}
    if changed_on > timezone.localdate():
        errors["changed_on"] = _("The date is in the future. Give the date when the routine "
                                 "changed, today at the latest.")
    if not management_employments().filter(person=manager,
                                           municipality_id=unit.municipality_id).exists():
        errors["manager"] = _("%(name)s has no manager's employment in %(municipality)s. "
                              "Choose a manager employed in the unit's municipality.") % {
            "name": manager.full_name, "municipality": unit.municipality.name}
    if not routine.strip():
        errors["routine"] = _("Write which routine changed.")
    if way not in RoutineChange.Way.values:
        errors["way"] = _("Choose a digital or a mobile way of working.")
    if errors:
        raise ValidationError(errors)
    change = RoutineChange(manager=manager, unit=unit, changed_on=changed_on,
                           routine=routine.strip(), way=way, description=description.strip(),
                           recorded_by=recorded_by, submission_key=submission_key)
    change.full_clean(exclude=["recorded_by", "submission_key"])
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        # The same form sent twice at once: the other request recorded it.
        existing = RoutineChange.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return change


def move_routine_changes(sender, *, keep: Person, duplicate: Person, **kwargs) -> None:
    """When two person records are merged, the duplicate's changes and actions follow the
    kept record."""
    RoutineChange.objects.filter(manager=duplicate).update(manager=keep)
    Action.objects.filter(owner=duplicate).update(owner=keep)


# Action plans ---------------------------------------------------------------------------------

def _sent_before(model, submission_key):
    """What a form with this one-time key already added (a double tap), or None. Taken under
    a lock-free read: a truly simultaneous second insert fails on the unique key instead."""
    if submission_key is None:
        return None
    return model.objects.filter(submission_key=submission_key).first()


def _period_errors(plan: ActionPlan) -> dict:
    errors = {}
    if plan.starts_on and plan.ends_on and plan.ends_on < plan.starts_on:
        errors["ends_on"] = _("The plan ends before it starts. Give an end date after the "
                              "start date.")
    if plan.unit_id and plan.unit.municipality_id != plan.municipality_id:
        errors["unit"] = _("The unit is not in %(municipality)s. Choose one of the "
                           "municipality's units.") % {"municipality": plan.municipality.name}
    if plan.pk and plan.starts_on and plan.ends_on:
        outside = Action.objects.filter(goal__plan=plan).filter(
            Q(due_on__lt=plan.starts_on) | Q(due_on__gt=plan.ends_on)).count()
        if outside:
            errors["starts_on"] = ngettext(
                "%(count)s action is due outside the new period. Change its due date first.",
                "%(count)s actions are due outside the new period. Change their due dates "
                "first.", outside) % {"count": outside}
    return errors


@transaction.atomic
def create_plan(*, municipality, unit=None, title: str, starts_on, ends_on, created_by=None,
                from_survey: bool = False, submission_key=None) -> ActionPlan:
    """A new draft plan; from_survey proposes goals from the latest closed baseline round."""
    if (done := _sent_before(ActionPlan, submission_key)) is not None:
        return done
    plan = ActionPlan(municipality=municipality, unit=unit, title=title.strip(),
                      starts_on=starts_on, ends_on=ends_on, created_by=created_by,
                      submission_key=submission_key)
    errors = _period_errors(plan)
    if not plan.title:
        errors["title"] = _("Give the plan a title.")
    proposals = []
    if from_survey and not errors:
        round_, proposals = drafts.proposed_goals(municipality)
        if round_ is None:
            errors["from_survey"] = _("%(municipality)s has no closed baseline survey yet. "
                                      "Start an empty plan instead.") % {
                "municipality": municipality.name}
        elif not proposals:
            errors["from_survey"] = _("The results of %(round)s cannot be shown for "
                                      "%(municipality)s (too few answers). Start an empty "
                                      "plan instead.") % {
                "round": round_.name, "municipality": municipality.name}
    if errors:
        raise ValidationError(errors)
    plan.save()
    for position, proposal in enumerate(proposals, start=1):
        # The goal keeps the round whose results it came from (the "results" link).
        goal = Goal.objects.create(plan=plan, position=position, text=proposal.text,
                                   source_round=round_)
        goal.competences.set(proposal.competences)
    return plan


@transaction.atomic
def update_plan(plan: ActionPlan, *, title: str, starts_on, ends_on, status: str) -> ActionPlan:
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.title, plan.starts_on, plan.ends_on, plan.status = (title.strip(), starts_on,
                                                             ends_on, status)
    errors = _period_errors(plan)
    if not plan.title:
        errors["title"] = _("Give the plan a title.")
    if status not in ActionPlan.Status.values:
        errors["status"] = _("Choose draft or adopted.")
    if errors:
        raise ValidationError(errors)
    plan.save()
    return plan


@transaction.atomic
def add_goal(plan: ActionPlan, *, text: str, competences=(), technologies=(),
             submission_key=None) -> Goal:
    if (done := _sent_before(Goal, submission_key)) is not None:
        return done
    if not text.strip():
        raise ValidationError({"text": _("Write the goal.")})
    position = (plan.goals.aggregate(top=Max("position"))["top"] or 0) + 1
    goal = Goal.objects.create(plan=plan, position=position, text=text.strip(),
                               submission_key=submission_key)
    goal.competences.set(competences)
    goal.technologies.set(technologies)
    return goal


def _action_errors(plan: ActionPlan, action: Action) -> dict:
    errors = {}
    if action.goal.plan_id != plan.pk:
        errors["goal"] = _("Choose one of the plan's goals.")
    if not action.text.strip():
        errors["text"] = _("Write what is to be done.")
    if action.due_on and action.due_on < plan.starts_on:
        errors["due_on"] = _("The due date is before the plan starts (%(date)s). Give a date "
                             "inside the plan's period.") % {"date": plan.starts_on}
    elif action.due_on and action.due_on > plan.ends_on:
        errors["due_on"] = _("The due date is after the plan ends (%(date)s). Give a date "
                             "inside the plan's period.") % {"date": plan.ends_on}
    if action.owner_id and not Employment.objects.active().filter(
            person_id=action.owner_id, municipality_id=plan.municipality_id).exists():
        errors["owner"] = _("%(name)s does not work in %(municipality)s. Choose an owner "
                            "employed in the municipality, or write only a name.") % {
            "name": action.owner.full_name, "municipality": plan.municipality.name}
    if not action.owner_name.strip():
        errors["owner_name"] = _("Write who owns the action.")
    if action.status not in Action.Status.values:
        errors["status"] = _("Choose a status.")
    return errors


@transaction.atomic
def save_action(plan: ActionPlan, action: Action, *, competences=(),
                technologies=None) -> Action:
    """Add or change an action of the plan; refused whole when anything is wrong. A new
    action whose submission key was seen before is the one already added."""
    if action.pk is None and (done := _sent_before(Action, action.submission_key)) is not None:
        return done
    if action.owner_id and not action.owner_name.strip():
        action.owner_name = action.owner.full_name
    action.owner_name = action.owner_name.strip()
    errors = _action_errors(plan, action)
    if errors:
        raise ValidationError(errors)
    action.text = action.text.strip()
    action.save()
    action.competences.set(competences)
    if technologies is not None:  # None: leave the links as they are
        action.technologies.set(technologies)
    return action


@transaction.atomic
def add_note(plan: ActionPlan, *, noted_on, text: str, author=None,
             submission_key=None) -> FollowUpNote:
    if (done := _sent_before(FollowUpNote, submission_key)) is not None:
        return done
    errors = {}
    if noted_on > timezone.localdate():
        errors["noted_on"] = _("The date is in the future. Give today's date or an earlier "
                               "one.")
    if not text.strip():
        errors["text"] = _("Write the follow-up.")
    if errors:
        raise ValidationError(errors)
    return FollowUpNote.objects.create(
        plan=plan, noted_on=noted_on, text=text.strip(), author=author,
        author_name=(author.get_full_name() if author is not None else ""),
        submission_key=submission_key)
