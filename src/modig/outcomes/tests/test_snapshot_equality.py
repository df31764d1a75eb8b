"""The dashboards' figures read the snapshots (the ledger's per-person rows, parts and
aggregates; the paired improvement of a follow-up round) while they are current, and every
figure then equals the live one, for the whole programme and under the dashboards' filters
(municipality, target group, period). Stale snapshots are never read."""

import datetime
import uuid

import pytest
from django.utils import translation

from modig.organisation.models import Person, TargetGroup
from modig.organisation.services import merge_people
from modig.outcomes import dashboard, figures
from modig.outcomes.dashboard import MUNICIPALITY, PROGRAMME, Place
from modig.outcomes.models import ImprovementCount, ImprovementSnapshot, PairedImprovement
from modig.outcomes.tests.builders import build, build_surveys
from modig.surveys.tests.results_builders import submit
from modig.training import ledger
from modig.training.ledger import LedgerFilter


@pytest.fixture
def surveyed(region):
    build(region)
    region.baseline, region.follow_up = build_surveys(region)
    return region


def every_figure(region) -> dict:
    programme = region.programme
    base_staff = TargetGroup.objects.get(code=TargetGroup.Code.BASE_STAFF)
    filters = {
        "all": None,
        "ale": LedgerFilter(municipalities=[region.ale]),
        "tjorn": LedgerFilter(municipalities=[region.tjorn]),
        "base staff": LedgerFilter(target_groups=[base_staff]),
        "ale, base staff": LedgerFilter(municipalities=[region.ale],
                                        target_groups=[base_staff]),
        "unit": LedgerFilter(units=[region.vikadamm]),
    }
    narrowed = Place(PROGRAMME, programme, ends_on=datetime.date(2026, 3, 5)).period_programme()
    result = {}
    for label, the_filter in filters.items():
        for period, the_programme in (("whole", programme), ("to 5 March", narrowed)):
            key = f"{label}, {period}"
            result[f"{key}: total"] = figures.trained(the_programme, the_filter)
            result[f"{key}: breakdowns"] = figures.breakdowns(the_programme, figures.BREAKDOWNS,
                                                              the_filter)
            for group_by in figures.BREAKDOWNS:
                rows, _total = figures.trained_by(the_programme, group_by, the_filter,
                                                  with_total=False)
                assert rows == result[f"{key}: breakdowns"][group_by], (key, group_by)
            result[f"{key}: format"] = figures.trained_by_format(the_programme, the_filter)
            result[f"{key}: trend"] = figures.trend(the_programme, the_filter)
            result[f"{key}: targets"] = figures.targets(the_programme, the_filter)
    follow_up = region.follow_up
    result["improvement"] = figures.measured_improvement(follow_up)
    result["improvement, ale"] = figures.measured_improvement(follow_up, [region.ale])
    result["by municipality"] = figures.improvement_by_municipality(follow_up)
    result["by hours"] = figures.improvement_by_hours(follow_up)
    assert figures.improvement_figures(follow_up) == (
        result["improvement"], result["by municipality"], result["by hours"])
    assert figures.improvement_figures(follow_up, [region.ale], breakdowns=False) == (
        result["improvement, ale"], None, None)
    result["rates"] = [(r.pk, p) for r, p in figures.response_rates(programme)]
    return result


def live(region, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(ledger, "_snapshot_level", lambda programme: 0)
        patch.setattr(figures, "_use_improvement_snapshot", lambda follow_up: False)
        return every_figure(region)


def assert_current_equals_live(region, monkeypatch) -> dict:
    figures.rebuild_snapshots(region.programme)
    assert ledger.is_current(region.programme)
    assert figures.improvement_is_current(region.follow_up)
    current = every_figure(region)
    assert current == live(region, monkeypatch)
    return current


def test_every_dashboard_figure_from_the_snapshots_equals_the_live_one(surveyed, monkeypatch):
    current = assert_current_equals_live(surveyed, monkeypatch)
    # The known answers of builders.py, so the comparison is not between two empty results.
    assert (current["all, whole: total"].people, current["all, whole: total"].minutes) == (
        8, 1050)
    improvement = current["improvement"]
    assert (improvement.numerator, improvement.denominator) == (3, 7)
    assert PairedImprovement.objects.filter(follow_up=surveyed.follow_up).count() == 7
    months = {m for group in current["all, whole: trend"] for m in group["months"]}
    assert months == {"2026-03", "2026-04"}


def test_the_snapshots_are_read_while_current(surveyed, monkeypatch):
    figures.rebuild_snapshots(surveyed.programme)
    # Rows that disagree with the answers show the figure comes from the snapshot.
    counts = ImprovementCount.objects.filter(follow_up=surveyed.follow_up)
    counts.filter(kind="municipality").update(improved=0)
    assert figures.measured_improvement(surveyed.follow_up).numerator == 0
    counts.filter(kind="band").update(pairs=50, improved=50)
    assert {p.numerator for p in figures.improvement_by_hours(surveyed.follow_up)
            if p.denominator} == {50}


def test_a_new_response_makes_the_improvement_snapshot_stale(surveyed, monkeypatch):
    figures.rebuild_snapshots(surveyed.programme)
    pia = surveyed.people["pia"]
    submit(surveyed.baseline, municipality=surveyed.ale, respondent_key=pia.pseudonym, value=1)
    submit(surveyed.follow_up, municipality=surveyed.ale, respondent_key=pia.pseudonym, value=5)
    assert not figures.improvement_is_current(surveyed.follow_up)
    # Stale: counted from the answers (8 pairs now, Pia improved), and a rebuild queued.
    result = figures.measured_improvement(surveyed.follow_up)
    assert (result.numerator, result.denominator) == (4, 8)
    assert ImprovementSnapshot.objects.get(follow_up=surveyed.follow_up).rebuild_requested_at
    assert_current_equals_live(surveyed, monkeypatch)


def test_a_removed_response_makes_it_stale(surveyed, monkeypatch):
    figures.rebuild_snapshots(surveyed.programme)
    surveyed.follow_up.responses.filter(
        respondent_key=surveyed.people["cecilia"].pseudonym).delete()
    assert not figures.improvement_is_current(surveyed.follow_up)
    assert figures.measured_improvement(surveyed.follow_up).denominator == 6
    assert_current_equals_live(surveyed, monkeypatch)


def test_merging_two_people_makes_it_stale(surveyed, monkeypatch):
    # Pia answers the follow-up only, under a pseudonym of a duplicate record of Dana (who
    # answered the baseline only): merged, the two answers pair.
    duplicate = Person.objects.create(first_name="Dana", last_name="Dubblett")
    submit(surveyed.follow_up, municipality=surveyed.ale, respondent_key=duplicate.pseudonym,
           value=5)
    figures.rebuild_snapshots(surveyed.programme)
    assert figures.measured_improvement(surveyed.follow_up).denominator == 7
    merge_people(keep=surveyed.people["dana"], duplicate=duplicate)
    assert not figures.improvement_is_current(surveyed.follow_up)
    assert figures.measured_improvement(surveyed.follow_up).denominator == 8
    assert_current_equals_live(surveyed, monkeypatch)


def test_a_stale_ledger_is_read_live_in_every_dashboard_figure(surveyed, monkeypatch):
    figures.rebuild_snapshots(surveyed.programme)
    before = every_figure(surveyed)
    # A new completion after the rebuild: every figure counts it at once.
    apps = surveyed.programme.courses.get(title="Appar")
    from modig.training import services

    services.complete_distance_course(apps, surveyed.people["pia"],
                                      completed_on=datetime.date(2026, 4, 2), by=None,
                                      confirmed_as="self")
    assert not ledger.is_current(surveyed.programme)
    after = every_figure(surveyed)
    assert after["all, whole: total"].people == before["all, whole: total"].people + 1
    assert after == live(surveyed, monkeypatch)


def test_a_dashboard_page_computes_its_breakdowns_once(surveyed, monkeypatch):
    figures.rebuild_snapshots(surveyed.programme)
    translation.activate("sv")
    for place in (Place(PROGRAMME, surveyed.programme),
                  Place(MUNICIPALITY, surveyed.programme, municipality=surveyed.ale)):
        dashboard.breakdown_chart(place, "staff_category", "")
        calls = []
        with monkeypatch.context() as patch:
            patch.setattr(figures, "breakdowns", lambda *a, calls=calls, **k: calls.append(a))
            dashboard.targets_chart(place)
            for group_by in dashboard.page_breakdowns(place):
                dashboard.breakdown_chart(place, group_by, "")
        assert calls == []  # all from the first chart's one pass
        fresh = Place(place.kind, place.programme, municipality=place.municipality)
        for group_by in dashboard.page_breakdowns(place):
            assert (dashboard.breakdown_chart(fresh, group_by, "").rows
                    == dashboard.breakdown_chart(place, group_by, "").rows)


def test_unpaired_strangers_stay_out_of_the_snapshot(surveyed):
    submit(surveyed.baseline, municipality=surveyed.ale, respondent_key=uuid.uuid4(), value=3)
    figures.rebuild_snapshots(surveyed.programme)
    assert PairedImprovement.objects.filter(follow_up=surveyed.follow_up).count() == 7


def test_a_change_of_people_s_groups_is_counted_at_once(surveyed, monkeypatch):
    """Employments, their units and target groups, gender and birth year decide the
    breakdowns: any write of them, bulk ones included (no signals), makes the stored
    breakdown rows stale, while the per-person minutes stay current."""
    from modig.organisation.models import Employment

    eva, tor = surveyed.people["eva"], surveyed.people["tor"]
    changes = [
        lambda: Employment.objects.filter(person=eva).update(municipality=surveyed.tjorn),
        lambda: Employment.objects.get(person=tor).units.add(surveyed.vikadamm),
        lambda: Employment.objects.get(person=tor).target_groups.add(
            TargetGroup.objects.get(code=TargetGroup.Code.BASE_STAFF)),
        lambda: Employment.objects.get(person=tor).target_groups.clear(),
        lambda: Person.objects.filter(pk=eva.pk).update(gender=Person.Gender.MALE),
        lambda: Person.objects.filter(pk=tor.pk).update(birth_year=2001),
    ]
    for n, change in enumerate(changes):
        figures.rebuild_snapshots(surveyed.programme)
        before = figures.breakdowns(surveyed.programme, figures.BREAKDOWNS)
        change()
        assert ledger.is_current(surveyed.programme)
        assert ledger._snapshot_level(surveyed.programme) == 1  # minutes current, groups not
        after = figures.breakdowns(surveyed.programme, figures.BREAKDOWNS)
        if n == 0:  # Eva's minutes moved from Ale's row to Tjörn's
            assert after["municipality"] != before["municipality"]
        assert after == live(surveyed, monkeypatch)["all, whole: breakdowns"]
    assert_current_equals_live(surveyed, monkeypatch)


def test_a_change_of_other_employment_fields_keeps_the_breakdowns_current(surveyed):
    from modig.organisation.models import Employment

    figures.rebuild_snapshots(surveyed.programme)
    Employment.objects.update(job_title="Undersköterska")
    Person.objects.update(email="x@example.com")
    # A save writes every column; only a changed group counts.
    for employment in Employment.objects.all():
        employment.save()
    for person in Person.objects.all():
        person.save()
    new = Person.objects.create(first_name="Ny", last_name="Person")
    assert ledger._snapshot_level(surveyed.programme) == 2
    new.delete()  # no employments, no entries: but a delete counts (it could have had them)
    assert ledger._snapshot_level(surveyed.programme) == 1
