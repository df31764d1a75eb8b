"""Results of a survey round through the pages and exports: figures, suppression, scope,
baseline against follow-up, exports, the lowest-scores list."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from modig.accounts.models import AccessLogEntry, Role
from modig.lib.privacy import ALL
from modig.organisation.models import Occupation
from modig.organisation.tests.factories import make_unit
from modig.surveys import results
from modig.surveys.access import MUNICIPALITY, PROGRAMME, Place
from modig.surveys.models import ResultSnapshot, Round
from modig.surveys.results_snapshot import build_snapshot, current_snapshot
from modig.surveys.tests.factories import make_questionnaire, make_round
from modig.surveys.tests.results_builders import rating_items, submit, submit_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(db):
    return make_questionnaire(items_per_area=1)


@pytest.fixture
def small_round(region, questionnaire):
    """6 answers at Vikadamm (Ale), 2 at Solgården (Tjörn), minimum group size 5."""
    round_ = make_round(region.programme, questionnaire, min_group_size=5)
    items = rating_items(round_)
    for value in (1, 2, 3, 4, 5, 0):
        submit(round_, municipality=region.ale, unit=region.vikadamm,
               values={item.pk: value for item in items})
    submit_many(round_, 2, municipality=region.tjorn, unit=region.solgarden, value=5)
    return round_


def url(round_, **params):
    from urllib.parse import urlencode
    return reverse("surveys:round-results", kwargs={"pk": round_.pk}) + (
        f"?{urlencode(params)}" if params else "")


def export_url(round_, fmt, **params):
    from urllib.parse import urlencode
    return reverse("surveys:round-results-export", kwargs={"pk": round_.pk, "fmt": fmt}) + (
        f"?{urlencode(params)}" if params else "")


def csv_blocks(content: bytes) -> dict[str, list[list[str]]]:
    text = content.decode("utf-8-sig")
    blocks, name = {}, None
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not row:
            name = None
        elif name is None:
            name = row[0]
            blocks[name] = []
        else:
            blocks[name].append(row)
    return blocks


# Figures on small known data -----------------------------------------------------------------

def test_small_group_and_its_complement_are_hidden_total_shown(small_round, region):
    data = results.round_results(small_round, Place(PROGRAMME))
    assert data.group.shown and data.group.count == 8
    by_key = {row.key: row.cell for row in data.breakdown}
    assert by_key[region.tjorn.pk].hidden and by_key[region.tjorn.pk].reason == "small"
    # 8 - Ale would give Tjörn's 2, so Ale is hidden as well.
    assert by_key[region.ale.pk].hidden and by_key[region.ale.pk].reason == "complement"


def test_a_group_hidden_above_stays_hidden_below(small_round, region):
    """Ale was hidden at programme level (8 - Ale = Tjörn's 2), so Ale's own page hides too."""
    data = results.round_results(small_round, Place(MUNICIPALITY, region.ale))
    assert data.group.hidden and data.areas == [] and data.breakdown == []


def test_means_leave_dont_know_out_and_distributions_count_every_step(region, questionnaire):
    round_ = make_round(region.programme, questionnaire, min_group_size=5)
    items = rating_items(round_)
    for value in (1, 2, 3, 4, 5, 0):
        submit(round_, municipality=region.ale, unit=region.vikadamm,
               values={item.pk: value for item in items})
    data = results.round_results(round_, Place(MUNICIPALITY, region.ale))
    assert data.group.count == 6
    area = data.areas[0]
    # Vikadamm: one each of 1..5 and one "don't know": mean 3, not 2.5.
    assert area.distribution.mean == pytest.approx(3.0)
    assert area.distribution.counts == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert area.distribution.dont_know == 1


def test_page_shows_total_and_explains_hidden_groups(login, programme_admin, small_round):
    response = login(programme_admin).get(url(small_round))
    assert response.status_code == 200
    body = response.content.decode()
    assert "8 svar" in body
    assert "för få personer" in body  # hidden: too few people
    assert "<svg" in body and "style=" not in body and "<script>" not in body
    # One 28 px row per area, so bars stay level with their labels however wide the page is.
    assert 'class="chart-svg" viewBox="0 0 ' in body
    assert re.search(r'class="chart-svg" viewBox="0 0 \d+ 140" height="140"', body)


def test_group_below_minimum_says_so_and_shows_no_figures(login, tjorn_coordinator,
                                                          small_round, region):
    response = login(tjorn_coordinator).get(url(small_round))
    body = response.content.decode()
    assert response.status_code == 200
    assert "För få svar för att visa" in body
    assert "<svg" not in body


@pytest.fixture
def both_shown(region, questionnaire):
    """Vikadamm 6 and Backa 2 under Nödinge (Ale 8), Solgården 6 (Tjörn): both
    municipalities can be shown, Nödinge's units cannot."""
    round_ = make_round(region.programme, questionnaire, min_group_size=5)
    backa = make_unit(region.ale, "Backa", parent=region.nodinge)
    submit_many(round_, 6, municipality=region.ale, unit=region.vikadamm, value=4)
    submit_many(round_, 2, municipality=region.ale, unit=backa, value=2)
    submit_many(round_, 6, municipality=region.tjorn, unit=region.solgarden, value=5)
    round_.backa = backa
    return round_


def test_heatmap_hides_the_same_columns_as_the_breakdown(both_shown, region):
    extra = both_shown.backa
    data = results.round_results(both_shown, Place("unit", region.nodinge))
    assert data.group.shown and data.group.count == 8
    columns = {c.key: c.cell for c in data.heatmap_columns}
    assert columns[extra.pk].hidden and columns[region.vikadamm.pk].hidden
    assert all(cell["mean"] is None for row in data.heatmap_rows for cell in row["cells"])


def test_filters_by_occupation_and_target_group(region, questionnaire):
    round_ = make_round(region.programme, questionnaire, min_group_size=3)
    nurse, aide = Occupation.objects.order_by("ssyk_code")[:2]
    submit_many(round_, 4, municipality=region.ale, unit=region.vikadamm, occupation=nurse,
                value=4)
    submit_many(round_, 5, municipality=region.ale, unit=region.vikadamm, occupation=aide,
                value=2)
    data = results.round_results(round_, Place(MUNICIPALITY, region.ale), occupation=nurse.pk)
    assert data.group.count == 4
    assert data.areas[0].distribution.mean == pytest.approx(4.0)
    data = results.round_results(round_, Place(MUNICIPALITY, region.ale),
                                 per=results.PER_OCCUPATION)
    assert {row.key: row.cell.count for row in data.breakdown} == {nurse.pk: 4, aide.pk: 5}
    assert {row.key: row.area_means[0] for row in data.breakdown} == {nurse.pk: 4.0,
                                                                      aide.pk: 2.0}


# Scope ------------------------------------------------------------------------------------------

def test_coordinator_page_is_hidden_when_the_programme_page_would_reveal_another_municipality(
        login, coordinator, small_round):
    """Programme 8 = Ale 6 + Tjörn 2: showing Ale to its coordinator would give Tjörn."""
    body = login(coordinator).get(url(small_round)).content.decode()
    assert "För få svar för att visa" in body and "6 svar" not in body


def test_ale_coordinator_never_sees_tjorn(login, coordinator, both_shown, region):
    small_round = both_shown
    client = login(coordinator)
    body = client.get(url(small_round)).content.decode()
    assert "Solgården" not in body and "Tjörn" not in body
    assert "8 svar" in body
    for params in ({"plats": f"k{region.tjorn.pk}"}, {"plats": f"e{region.solgarden.pk}"}):
        assert client.get(url(small_round, **params)).status_code == 404
        assert client.get(export_url(small_round, "csv", **params)).status_code == 404
    export = client.get(export_url(small_round, "csv")).content.decode("utf-8-sig")
    assert "Solgården" not in export and "Tjörn" not in export


def test_unit_manager_sees_their_subtree_only(login, unit_manager, small_round, region):
    client = login(unit_manager)
    assert client.get(url(small_round)).status_code == 200
    assert client.get(url(small_round, plats=f"e{region.vikadamm.pk}")).status_code == 200
    assert client.get(url(small_round, plats=f"e{region.ale_elderly.pk}")).status_code == 404
    assert client.get(url(small_round, plats=f"k{region.ale.pk}")).status_code == 404


@pytest.mark.parametrize("persona", ["ambassador", "trainer", "staff_member", "outsider"])
def test_other_roles_get_no_results(login, persona, request, small_round):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get(url(small_round)).status_code == 403
    assert client.get(export_url(small_round, "xlsx")).status_code == 403


# Baseline against follow-up ---------------------------------------------------------------------

def _pair_rounds(region, questionnaire, *, anonymity):
    baseline = make_round(region.programme, questionnaire, name="Före", min_group_size=3,
                          anonymity=anonymity)
    follow_up = make_round(region.programme, questionnaire, name="Efter", min_group_size=3,
                           anonymity=anonymity, kind=Round.Kind.FOLLOW_UP, baseline=baseline)
    return baseline, follow_up


def test_paired_change_counts_only_people_in_both_rounds(region, questionnaire):
    baseline, follow_up = _pair_rounds(region, questionnaire,
                                       anonymity=Round.Anonymity.PSEUDONYMOUS)
    keys = [submit(baseline, municipality=region.ale, unit=region.vikadamm,
                   value=2).respondent_key for _ in range(4)]
    # Two more answered only the baseline, very low: they move the unpaired mean only.
    submit_many(baseline, 2, municipality=region.ale, unit=region.vikadamm, value=1)
    for key in keys:
        submit(follow_up, municipality=region.ale, unit=region.vikadamm, value=4,
               respondent_key=key)
    data = results.round_results(follow_up, Place(MUNICIPALITY, region.ale))
    change = data.comparison.areas[0]
    assert data.comparison.paired
    assert change.pairs == 4
    assert change.paired_change == pytest.approx(2.0)
    assert change.baseline_mean == pytest.approx((4 * 2 + 2 * 1) / 6)
    assert change.change == pytest.approx(4 - 10 / 6)


def test_anonymous_rounds_are_compared_unpaired(region, questionnaire):
    baseline, follow_up = _pair_rounds(region, questionnaire,
                                       anonymity=Round.Anonymity.ANONYMOUS)
    submit_many(baseline, 3, municipality=region.ale, unit=region.vikadamm, value=2)
    submit_many(follow_up, 3, municipality=region.ale, unit=region.vikadamm, value=3)
    data = results.round_results(follow_up, Place(MUNICIPALITY, region.ale))
    assert not data.comparison.paired
    assert data.comparison.areas[0].change == pytest.approx(1.0)
    assert data.comparison.areas[0].paired_change is None


def test_paired_change_with_too_few_pairs_is_hidden(region, questionnaire):
    baseline, follow_up = _pair_rounds(region, questionnaire,
                                       anonymity=Round.Anonymity.PSEUDONYMOUS)
    keys = [submit(baseline, municipality=region.ale, value=2).respondent_key
            for _ in range(3)]
    submit(follow_up, municipality=region.ale, value=4, respondent_key=keys[0])
    submit(follow_up, municipality=region.ale, value=4, respondent_key=keys[1])
    submit_many(follow_up, 2, municipality=region.ale, value=4)
    data = results.round_results(follow_up, Place(MUNICIPALITY, region.ale))
    assert data.group.shown
    assert data.comparison.areas[0].paired_change is None
    assert data.comparison.areas[0].pairs is None


# Exports ----------------------------------------------------------------------------------------

def test_csv_export_has_no_hidden_cell_and_is_logged(login, programme_admin, small_round,
                                                     region):
    response = login(programme_admin).get(export_url(small_round, "csv"))
    assert response.status_code == 200
    blocks = csv_blocks(response.content)
    rows = {row[0]: row for row in blocks["Jämförelse"][1:]}
    assert rows["Tjörn"][1] == "dold" and rows["Ale"][1] == "dold"
    assert "2" not in rows["Tjörn"] and "6" not in rows["Ale"]
    assert ["Svar", "8"] in blocks["Grupp"]
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT,
                                         detail__contains="survey results").count() == 1


def test_xlsx_export_matches_the_page(login, programme_admin, small_round):
    response = login(programme_admin).get(export_url(small_round, "xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    values = [c for row in workbook["Jämförelse"].iter_rows(values_only=True) for c in row]
    assert values.count("dold") >= 2
    assert 2 not in values and 6 not in values


def test_unknown_export_format_is_404(login, programme_admin, small_round):
    assert login(programme_admin).get(export_url(small_round, "pdf")).status_code == 404


# Lowest scores ----------------------------------------------------------------------------------

def lowest_url(round_, **params):
    from urllib.parse import urlencode
    return reverse("surveys:round-lowest-scores", kwargs={"pk": round_.pk}) + (
        f"?{urlencode(params)}" if params else "")


def test_lowest_scores_list_names_people_lowest_first_and_is_logged(login, coordinator, region,
                                                                    questionnaire):
    round_ = make_round(region.programme, questionnaire)
    submit(round_, municipality=region.ale, unit=region.vikadamm, value=4,
           respondent_key=region.anna.pseudonym)
    submit(round_, municipality=region.ale, unit=region.vikadamm, value=1,
           respondent_key=region.bertil.pseudonym)
    submit(round_, municipality=region.tjorn, unit=region.solgarden, value=1,
           respondent_key=region.cecilia.pseudonym)
    response = login(coordinator).get(lowest_url(round_))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Bertil Berg") < body.index("Anna Andersson")
    assert "Cecilia" not in body  # Tjörn is outside the Ale coordinator's scope
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW_PERSON)
    assert entry.user == coordinator and "lowest self-ratings" in entry.detail


def test_lowest_scores_refused_in_anonymous_rounds(login, programme_admin, region,
                                                   questionnaire):
    round_ = make_round(region.programme, questionnaire, anonymity=Round.Anonymity.ANONYMOUS)
    submit_many(round_, 5, municipality=region.ale, unit=region.vikadamm, value=1)
    response = login(programme_admin).get(lowest_url(round_))
    assert response.status_code == 200
    assert "inte möjligt" in response.content.decode()
    assert not AccessLogEntry.objects.exists()
    with pytest.raises(ValueError):
        results.lowest_scores(round_, Place(PROGRAMME))


@pytest.mark.parametrize("persona", ["ambassador", "staff_member", "trainer"])
def test_lowest_scores_refused_for_staff_and_ambassadors(login, request, persona, small_round):
    client = login(request.getfixturevalue(persona))
    assert client.get(lowest_url(small_round)).status_code == 403
    assert not AccessLogEntry.objects.exists()


# Snapshot and speed -----------------------------------------------------------------------------

def test_new_answers_queue_a_rebuild_and_the_rebuild_counts_them(region, questionnaire,
                                                                 django_capture_on_commit_callbacks):
    import datetime

    round_ = make_round(region.programme, questionnaire, min_group_size=3)
    submit_many(round_, 3, municipality=region.ale, unit=region.vikadamm)
    snapshot = current_snapshot(round_)
    assert snapshot.responses == 3
    submit_many(round_, 2, municipality=region.ale, unit=region.vikadamm)
    assert current_snapshot(round_).refresh_requested_at is None  # built moments ago
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        built_at=snapshot.built_at - datetime.timedelta(minutes=10))
    with django_capture_on_commit_callbacks() as callbacks:
        current_snapshot(round_)
    assert ResultSnapshot.objects.get(pk=snapshot.pk).refresh_requested_at is not None
    assert len(callbacks) == 1
    assert build_snapshot(round_).responses == 5
    assert results.round_results(round_, Place(PROGRAMME)).group.count == 5


def test_results_page_query_count_has_a_ceiling(login, programme_admin, small_round, region,
                                                django_assert_max_num_queries):
    client = login(programme_admin)
    client.get(url(small_round))  # builds the snapshot
    with django_assert_max_num_queries(25):
        response = client.get(url(small_round, plats=f"e{region.nodinge.pk}"))
    assert response.status_code == 200


def test_filters_that_are_not_numbers_are_ignored(login, programme_admin, small_round):
    response = login(programme_admin).get(url(small_round, yrke="x", malgrupp="'", per="z"))
    assert response.status_code == 200


def test_coordinator_of_two_municipalities_chooses_between_them(client, small_round, region):
    from conftest import sign_in

    user = make_user("dubbel@gr.example", Role.COORDINATOR, municipality=region.ale)
    from modig.accounts.models import RoleAssignment
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, municipality=region.tjorn)
    sign_in(client, user)
    body = client.get(url(small_round)).content.decode()
    assert 'name="plats"' in body and "Tjörn" in body
    assert ALL not in body


def test_a_big_round_is_prepared_in_the_background_first(login, programme_admin, region,
                                                          questionnaire, monkeypatch):
    from modig.surveys import results_snapshot

    monkeypatch.setattr(results_snapshot, "SYNC_BUILD_LIMIT", 4)
    round_ = make_round(region.programme, questionnaire, min_group_size=3)
    submit_many(round_, 5, municipality=region.ale, unit=region.vikadamm)
    client = login(programme_admin)
    body = client.get(url(round_)).content.decode()
    assert "Siffrorna tas fram" in body
    assert client.get(export_url(round_, "csv")).status_code == 200
    assert not AccessLogEntry.objects.exists()  # nothing was exported yet
    snapshot = ResultSnapshot.objects.get(round=round_)
    assert snapshot.built_at is None and snapshot.refresh_requested_at is not None
    results_snapshot.refresh_results.call(round_.pk)  # what the task worker runs
    assert "5 svar" in client.get(url(round_)).content.decode()
