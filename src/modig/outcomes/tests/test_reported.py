"""Self-reported outcomes (outcomes.reported) on a small region with known answers, and the
dashboards that show them.

Staff follow-up round (fully anonymous, minimum group size 3), answers to "has your digital
knowledge become stronger" (3 yes a lot, 2 yes a little, 1 no, 0 don't know):
- Ale, base staff, target group base staff: 3, 3, 3, 2, 2, 1, 1, 0, 0 and one skipped
  → yes 5 of 7, 2 don't know.
- Tjörn, base staff, no target group: 2, 2, 1, 1 → yes 2 of 4.
- Tjörn, management: 3, 1 → yes 1 of 2 (too few on its own).
Total: yes 8 of 13, 2 don't know. Not counted: a response in progress and the baseline.

Managers' follow-up round (pseudonymous): M1–M8 answer "changed a routine" 3, 2, 2, 3, 2, 1,
1, 0 → 5 of 7, 1 don't know; "lead better" 3, 3, 2, 1, 1, skipped … → see the tests. Change
log: M1, M2, M3, M6, M8 and M9 (who did not answer) recorded a change: 6 of the 9 managers; of
the 7 who answered yes or no, M1, M2, M3 and M6 → 4 of 7.
"""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from modig.organisation.models import StaffCategory, TargetGroup
from modig.outcomes import reported
from modig.plans import services as plans_services
from modig.plans.models import RoutineChange
from modig.plans.tests.conftest import make_manager
from modig.surveys.models import Item, Response, Round
from modig.surveys.tests.factories import add_follow_up_items, make_questionnaire, make_round

KNOWLEDGE = Item.OutcomeField.KNOWLEDGE_GAIN


def _respond(round_, municipality, *, submitted=True, respondent_key=None, **fields):
    return Response.objects.create(
        round=round_, municipality=municipality, respondent_key=respondent_key,
        submitted_at=timezone.now() if submitted else None, **fields)


@pytest.fixture
def staff_rounds(region):
    region.programme.min_group_size = 3
    region.programme.save()
    questionnaire = make_questionnaire()
    add_follow_up_items(questionnaire)
    baseline = make_round(region.programme, questionnaire, min_group_size=3)
    follow_up = make_round(region.programme, questionnaire, name="Uppföljning",
                           kind=Round.Kind.FOLLOW_UP, baseline=baseline, min_group_size=3,
                           anonymity=Round.Anonymity.ANONYMOUS)
    base = TargetGroup.objects.get(code=TargetGroup.Code.BASE_STAFF)
    for value in (3, 3, 3, 2, 2, 1, 1, 0, 0, None):
        _respond(follow_up, region.ale, unit=region.vikadamm, staff_category=StaffCategory.BASE,
                 target_group=base, knowledge_gain=value)
    for value in (2, 2, 1, 1):
        _respond(follow_up, region.tjorn, unit=region.solgarden,
                 staff_category=StaffCategory.BASE, knowledge_gain=value)
    for value in (3, 1):
        _respond(follow_up, region.tjorn, unit=region.solgarden,
                 staff_category=StaffCategory.MANAGEMENT, knowledge_gain=value)
    _respond(follow_up, region.ale, submitted=False, knowledge_gain=3)  # not sent: left out
    # A baseline does not ask the item: whatever is stored there is no figure.
    for _n in range(5):
        _respond(baseline, region.ale, knowledge_gain=3, respondent_key=uuid.uuid4())
    region.base_staff = base
    return baseline, follow_up


def test_self_reported_share_counts_yes_of_yes_or_no_and_leaves_dont_know_out(region,
                                                                              staff_rounds):
    baseline, follow_up = staff_rounds
    result = reported.self_reported_improvement(follow_up)
    assert (result.numerator, result.denominator, result.dont_know) == (8, 13, 2)
    low, high = result.interval
    assert round(low, 3) == 0.355 and round(high, 3) == 0.823  # Wilson, 8 of 13
    assert reported.self_reported_improvement(baseline) is None


def test_self_reported_share_by_municipality_and_narrowed(region, staff_rounds):
    _baseline, follow_up = staff_rounds
    rows = {row.key: row for row in reported.self_reported_improvement_by(
        follow_up, "municipality")}
    assert (rows[region.ale.pk].numerator, rows[region.ale.pk].denominator) == (5, 7)
    assert rows[region.ale.pk].dont_know == 2
    assert (rows[region.tjorn.pk].numerator, rows[region.tjorn.pk].denominator) == (3, 6)
    ale = reported.self_reported_improvement(follow_up, [region.ale])
    assert (ale.numerator, ale.denominator, ale.dont_know) == (5, 7, 2)
    unit = reported.self_reported_improvement(follow_up, units=[region.nodinge])
    assert (unit.numerator, unit.denominator) == (5, 7)  # Vikadamm is below Nödinge
    groups = reported.self_reported_improvement(follow_up, target_groups=[region.base_staff])
    assert (groups.numerator, groups.denominator) == (5, 7)


def test_a_small_staff_category_and_its_complement_are_hidden(region, staff_rounds):
    _baseline, follow_up = staff_rounds
    rows = {row.key: row for row in reported.self_reported_improvement_by(
        follow_up, "staff_category")}
    # Management: 2 answered yes or no (below 3): hidden; base staff (11) is hidden too, or
    # the total 13 minus 11 would give the managers' 2.
    managers, base = rows[StaffCategory.MANAGEMENT], rows[StaffCategory.BASE]
    assert managers.hidden and managers.reason == "small"
    assert base.hidden and base.reason == "complement"
    assert base.numerator is None and base.dont_know is None
    by_group = {row.key: row for row in reported.self_reported_improvement_by(
        follow_up, "target_group")}
    assert (by_group[region.base_staff.pk].numerator, by_group[None].denominator) == (5, 6)


def test_the_rounds_own_minimum_group_size_applies_when_larger(region, staff_rounds):
    _baseline, follow_up = staff_rounds
    Round.objects.filter(pk=follow_up.pk).update(min_group_size=14)
    follow_up.refresh_from_db()
    assert reported.min_size(follow_up) == 14
    result = reported.self_reported_improvement(follow_up)
    assert result.hidden and result.denominator is None and result.dont_know is None


def test_a_follow_up_round_without_the_item_gives_no_figure(region):
    follow_up = make_round(region.programme, make_questionnaire(), kind=Round.Kind.FOLLOW_UP)
    assert reported.self_reported_improvement(follow_up) is None
    assert reported.follow_up_rounds(region.programme, reported.KNOWLEDGE) == []


@pytest.fixture
def manager_round(region):
    region.programme.min_group_size = 3
    region.programme.save()
    questionnaire = make_questionnaire(code="test-manager")
    add_follow_up_items(questionnaire, (Item.OutcomeField.ROUTINE_CHANGED,
                                        Item.OutcomeField.LEADERSHIP_GAIN))
    round_ = make_round(region.programme, questionnaire, name="Chefers uppföljning",
                        kind=Round.Kind.FOLLOW_UP, min_group_size=3)
    managers = [make_manager(region.ale, region.vikadamm, first_name=f"M{n}")
                for n in range(1, 10)]
    routine = (3, 2, 2, 3, 2, 1, 1, 0)
    leadership = (3, 3, 2, 1, 1, 0, 3, None)
    for person, changed, lead in zip(managers, routine, leadership, strict=False):
        _respond(round_, region.ale, unit=region.vikadamm, respondent_key=person.pseudonym,
                 staff_category=StaffCategory.MANAGEMENT, routine_changed=changed,
                 leadership_gain=lead)
    for index in (0, 1, 2, 5, 7, 8):
        plans_services.record_routine_change(
            manager=managers[index], unit=region.vikadamm, changed_on=datetime.date(2026, 3, 2),
            routine="Dagsplanering", way=RoutineChange.Way.DIGITAL)
    return round_


def test_managers_changed_routine_from_both_sources_each_with_its_denominator(region,
                                                                            manager_round):
    sources = reported.changed_routine_sources(manager_round)
    assert (sources.questionnaire.numerator, sources.questionnaire.denominator,
            sources.questionnaire.dont_know) == (5, 7, 1)
    assert (sources.change_log.numerator, sources.change_log.denominator) == (6, 9)
    assert (sources.change_log_respondents.numerator,
            sources.change_log_respondents.denominator) == (4, 7)


def test_managers_strengthened_leadership(region, manager_round):
    result = reported.managers_strengthened_leadership(manager_round)
    # 3, 3, 2, 3 yes; 1, 1 no; one don't know; one skipped.
    assert (result.numerator, result.denominator, result.dont_know) == (4, 6, 1)


def test_an_anonymous_manager_round_has_no_change_log_for_its_respondents(region,
                                                                         manager_round):
    Round.objects.filter(pk=manager_round.pk).update(anonymity=Round.Anonymity.ANONYMOUS)
    manager_round.refresh_from_db()
    sources = reported.changed_routine_sources(manager_round)
    assert sources.questionnaire.denominator == 7 and sources.change_log_respondents is None


# Dashboards ------------------------------------------------------------------------------------

def test_programme_dashboard_shows_the_self_reported_and_manager_figures(
        region, staff_rounds, manager_round, login, programme_admin):
    page = login(programme_admin).get(reverse("outcomes:programme")).content.decode()
    assert "Egen bedömning, bättre digitala kunskaper: Uppföljning" in page
    assert "8 / 13" in page and "5 / 7" in page and "3 / 6" in page
    assert "Målgrupp: Baspersonal" in page and "Personalkategori: Baspersonal" in page
    assert "#self-reported" in page and "#routine-sources" in page
    assert "#stronger-leadership" in page and "4 / 6" in page
    assert "6 / 9" in page and "4 / 7" in page  # the change log beside the survey
    assert 'href="/handlingsplaner/rutiner/"' in page  # the change log's records


def test_municipality_and_unit_dashboards_narrow_the_figures(
        region, staff_rounds, login, programme_admin):
    client = login(programme_admin)
    page = client.get(reverse("outcomes:municipality", args=[region.tjorn.code])).content.decode()
    assert "3 / 6" in page and "8 / 13" not in page
    page = client.get(reverse("outcomes:unit", args=[region.vikadamm.pk])).content.decode()
    assert "Egen bedömning, bättre digitala kunskaper" in page and "5 / 7" in page


def test_definitions_page_explains_the_self_reported_figures(client, login, programme_admin):
    page = login(programme_admin).get(reverse("outcomes:definitions")).content.decode()
    for anchor in ("self-reported", "routine-sources", "stronger-leadership"):
        assert f'id="{anchor}"' in page
