"""The demo's workplace learning on the test region: introductions with needs and tasks,
resources with ratings, plans; the same seed gives the same rows."""

from modig.demo.learning import RESOURCES, generate_learning
from modig.learning.models import (
    LearningNeed,
    LearningPlan,
    LearningResource,
    LearningStep,
    Technology,
    TechnologyIntroduction,
)


def _rows():
    return sorted(LearningNeed.objects.values_list(
        "introduction__technology__code", "person_id", "status", "met_on"))


def test_the_demo_introduces_technology_with_needs_resources_and_plans(region):
    summary = generate_learning(region.programme, seed=7)
    # Vikadamm (Ale) and Solgården (Tjörn) are the test region's workplaces: two each.
    assert summary.introductions == 4
    assert summary.needs == LearningNeed.objects.count() > 0
    assert summary.tasks >= 4
    assert LearningResource.objects.count() == len(RESOURCES) == summary.resources
    # Every resource names a technology of the catalogue.
    assert not LearningResource.objects.filter(technologies__isnull=True).exists()
    assert summary.plans == 2
    assert LearningStep.objects.filter(done_on__isnull=False).count() == 4
    assert Technology.objects.count() == 13


def test_the_demo_is_deterministic(region):
    generate_learning(region.programme, seed=7)
    first = _rows()
    LearningNeed.objects.all().delete()
    TechnologyIntroduction.objects.all().delete()
    LearningResource.objects.all().delete()
    LearningPlan.objects.all().delete()
    generate_learning(region.programme, seed=7)
    assert _rows() == first
