"""The demo's change log and action plans: `modig demo` on a small scale, checked in the
database and through the outcome queries (the same the pages show)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from modig.organisation.models import Programme
from modig.plans import queries
from modig.plans.models import Action, ActionPlan, FollowUpNote, RoutineChange


@pytest.fixture
def demo_output(db) -> str:
    out = StringIO()
    call_command("demo", "--scale", "0.2", stdout=out)
    return out.getvalue()


def test_about_seventy_percent_of_the_managers_changed_a_routine(demo_output):
    programme = Programme.objects.get()
    managers = queries.managers_in_scope(programme).count()
    changed = queries.managers_with_changed_routine(programme).count()
    assert managers >= 20
    assert 0.6 <= changed / managers <= 0.8
    printed = re.search(r"Change log: (\d+) of (\d+) managers", demo_output)
    assert (int(printed[1]), int(printed[2])) == (changed, managers)
    assert not RoutineChange.objects.filter(
        Q(changed_on__gt=timezone.localdate()) | Q(changed_on__lt=programme.starts_on)
        | Q(changed_on__gt=programme.ends_on)).exists()
    assert set(RoutineChange.objects.values_list("way", flat=True)) == {"digital", "mobile"}


def test_one_plan_per_municipality_with_goals_actions_in_varied_statuses_and_notes(
        demo_output):
    programme = Programme.objects.get()
    plans = ActionPlan.objects.annotate(goals_n=Count("goals", distinct=True))
    assert sorted(plans.values_list("municipality", flat=True)) == sorted(
        programme.municipalities.values_list("pk", flat=True))
    assert all(plan.goals_n >= 3 for plan in plans)
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    # Every owner from the register works in the plan's municipality.
    assert Action.objects.filter(owner__isnull=False).exists()
    assert not Action.objects.filter(owner__isnull=False).exclude(
        owner__employments__municipality=F("goal__plan__municipality")).exists()
    assert FollowUpNote.objects.values("plan").distinct().count() == plans.count()
    # The demo has closed baseline rounds: plans are drafted from the results where shown.
    drafted = re.search(r"\((\d+) drafted from the survey results\)", demo_output)
    assert int(drafted[1]) >= 1
    assert plans.filter(goals__text__contains="medelvärdet").exists()
