"""Every outcome figure against hand-computed values on the region in builders.py."""

import pytest

from modig.lib import privacy
from modig.organisation.models import Person, StaffCategory
from modig.outcomes import figures
from modig.outcomes.tests.builders import build, build_surveys
from modig.surveys.models import Round
from modig.surveys.tests.factories import make_invitation, make_questionnaire, make_round
from modig.training import ledger
from modig.training.ledger import LedgerFilter


@pytest.fixture
def place(region):
    return build(region)


def _rows(rows):
    return {row.key: (row.people, row.minutes) for row in rows}


def test_people_trained_are_counted_once_with_their_minutes(place):
    total = figures.trained(place.programme)
    assert (total.people, total.minutes, total.hidden) == (8, 1050, False)
    assert total.hours == 17.5


def test_by_municipality_a_person_in_two_is_in_both_rows(place):
    rows, total = figures.trained_by(place.programme, "municipality")
    assert _rows(rows) == {place.ale.pk: (5, 915), place.tjorn.pk: (4, 180)}
    assert total.people == 8


def test_by_format(place):
    rows = figures.trained_by_format(place.programme)
    assert _rows(rows) == {"on_site": (4, 870), "self_paced": (4, 180)}


def test_age_band_at_the_programme_start(place):
    rows, _total = figures.trained_by(place.programme, "age_band")
    by_band = {row.key: row for row in rows}
    # 30–39: Anna, Eva, Erik, Dana (270 × 3 + 45); Bertil alone is hidden, and 60+ (three
    # people) with him so that total minus 30–39 does not give Bertil.
    assert (by_band["30_39"].people, by_band["30_39"].minutes) == (4, 855)
    assert by_band["50_59"].hidden and by_band["50_59"].reason == privacy.SMALL
    assert by_band["60_plus"].hidden and by_band["60_plus"].reason == privacy.COMPLEMENT
    assert by_band["50_59"].people is None and by_band["50_59"].minutes is None


def test_unknown_birth_year_is_its_own_band(place):
    Person.objects.filter(pk=place.people["tor"].pk).update(birth_year=None)
    rows, _total = figures.trained_by(place.programme, "age_band")
    assert {row.key for row in rows} == {"30_39", "50_59", "60_plus", "unknown"}


def test_gender_one_man_is_hidden_and_so_is_the_rest(place):
    rows, total = figures.trained_by(place.programme, "gender")
    by_gender = {row.key: row for row in rows}
    assert by_gender["male"].hidden and by_gender["female"].hidden
    assert by_gender["female"].reason == privacy.COMPLEMENT
    assert total.people == 8


def test_a_group_below_the_minimum_is_hidden(place):
    small = figures.trained(place.programme, LedgerFilter(
        people=Person.objects.filter(pk__in=[place.anna.pk, place.bertil.pk])))
    assert small.hidden and small.people is None and small.minutes is None


def test_targets_against_actuals(place):
    targets = {t.key: t for t in figures.targets(place.programme)}
    assert targets["people"].target == 10 and targets["people"].actual.people == 8
    assert targets["people"].share == pytest.approx(0.8)
    assert targets["hours"].actual.minutes == 1050 and targets["hours"].target == 20
    # Managers: Dana alone, hidden; base staff then hidden as her complement.
    assert targets[StaffCategory.MANAGEMENT].actual.hidden
    assert targets[StaffCategory.BASE].actual.hidden
    assert targets[StaffCategory.BASE].share is None


def test_trend_per_month_and_cumulative(place):
    rows = figures.trend(place.programme)
    assert [(r["months"], r["people"], r["minutes"], r["cumulative_people"],
             r["cumulative_minutes"]) for r in rows] == [
        (["2026-03"], 4, 870, 4, 870), (["2026-04"], 4, 180, 8, 1050)]


def test_trend_joins_months_below_the_minimum(place):
    place.programme.min_group_size = 5
    rows = figures.trend(place.programme)
    assert [(r["months"], r["people"], r["cumulative_people"]) for r in rows] == [
        (["2026-03", "2026-04"], 8, 8)]


def test_drill_down_distinct_people_equals_the_figure(place):
    for filters in (None, LedgerFilter(municipalities=[place.ale]),
                    LedgerFilter(municipalities=[place.tjorn])):
        records = ledger.records_behind(place.programme, filters)
        figure = figures.trained(place.programme, filters)
        assert len({r["entry_person"] for r in records}) == figure.people
        assert sum(r["entry_minutes"] for r in records) == figure.minutes


def test_wilson_interval():
    low, high = figures.wilson(3, 7)
    assert (round(low, 3), round(high, 3)) == (0.158, 0.750)
    assert figures.wilson(0, 10)[0] == 0.0
    assert figures.wilson(10, 10)[1] == 1.0
    with pytest.raises(ValueError):
        figures.wilson(0, 0)


@pytest.fixture
def surveyed(place):
    place.baseline, place.follow_up = build_surveys(place)
    return place


def test_measured_improvement_counts_paired_respondents(surveyed):
    result = figures.measured_improvement(surveyed.follow_up)
    assert (result.numerator, result.denominator) == (3, 7)
    assert result.share == pytest.approx(3 / 7)
    assert result.interval == pytest.approx(figures.wilson(3, 7))


def test_measured_improvement_in_one_municipality(surveyed):
    result = figures.measured_improvement(surveyed.follow_up, [surveyed.ale])
    assert (result.numerator, result.denominator) == (2, 4)


def test_improvement_by_municipality(surveyed):
    rows = {row.key: (row.numerator, row.denominator)
            for row in figures.improvement_by_municipality(surveyed.follow_up)}
    assert rows == {surveyed.ale.pk: (2, 4), surveyed.tjorn.pk: (1, 3)}


def test_improvement_by_training_hours(surveyed):
    rows = {row.key: row for row in figures.improvement_by_hours(surveyed.follow_up)}
    assert (rows["4_8"].numerator, rows["4_8"].denominator) == (2, 3)
    assert (rows["under_4"].numerator, rows["under_4"].denominator) == (1, 4)
    assert rows["0"].denominator is None and not rows["0"].hidden
    assert list(rows) == list(figures.HOUR_BANDS)


def test_improvement_hidden_below_the_minimum(surveyed):
    tjorn_only = figures.measured_improvement(surveyed.follow_up, [surveyed.tjorn])
    assert tjorn_only.denominator == 3
    Round.objects.filter(pk=surveyed.follow_up.pk).update(min_group_size=4)
    surveyed.follow_up.refresh_from_db()
    hidden = figures.measured_improvement(surveyed.follow_up, [surveyed.tjorn])
    assert hidden.hidden and hidden.numerator is None and hidden.share is None
    rows = {row.key: row for row in figures.improvement_by_municipality(surveyed.follow_up)}
    # Tjörn (3) is small; Ale (4) must go too, or total minus Ale gives Tjörn.
    assert rows[surveyed.tjorn.pk].reason == privacy.SMALL
    assert rows[surveyed.ale.pk].reason == privacy.COMPLEMENT


def test_anonymous_rounds_do_not_pair(surveyed):
    Round.objects.filter(pk=surveyed.follow_up.pk).update(
        anonymity=Round.Anonymity.ANONYMOUS)
    surveyed.follow_up.refresh_from_db()
    assert figures.measured_improvement(surveyed.follow_up) is None
    assert figures.improvement_by_hours(surveyed.follow_up) is None
    assert figures.measured_improvement(surveyed.baseline) is None


def test_response_rates_per_round(place):
    questionnaire = make_questionnaire()
    rounds = [make_round(place.programme, questionnaire, min_group_size=3, name="A"),
              make_round(place.programme, questionnaire, min_group_size=3, name="B")]
    for index, key in enumerate(("anna", "eva", "erik")):
        invitation, _token, _code = make_invitation(rounds[0], place.people[key])
        if index < 2:
            invitation.submitted_at = invitation.created_at
            invitation.save(update_fields=["submitted_at"])
    make_invitation(rounds[1], place.people["anna"])
    rates = {round_.name: rate for round_, rate in figures.response_rates(place.programme)}
    assert (rates["A"].numerator, rates["A"].denominator) == (2, 3)
    assert rates["B"].hidden


def test_a_breakdown_without_its_total_has_the_same_rows(place):
    rows, total = figures.trained_by(place.programme, "municipality", with_total=False)
    assert total is None
    assert rows == figures.trained_by(place.programme, "municipality")[0]
