"""Live response rates: counts in the database, small units hidden, scoped per role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from modig.organisation.tests.factories import EmploymentFactory, PersonFactory, make_unit
from modig.surveys import response_rates
from modig.surveys.invitations import invite_population
from modig.surveys.models import Invitation
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db


def staff(region, unit, count, prefix):
    for n in range(count):
        EmploymentFactory(person=PersonFactory(), municipality=unit.municipality,
                          employee_id=f"{prefix}{n}", units=[unit])


def answer(round_, unit, count):
    ids = Invitation.objects.filter(round=round_, unit=unit).values_list("pk", flat=True)
    Invitation.objects.filter(pk__in=list(ids[:count])).update(submitted_at=timezone.now())


@pytest.fixture
def round_with_answers(region):
    """Vikadamm: Anna, Bertil, Dana + 5 = 8 invited, 6 answered; Solgården: Cecilia + 1 = 2
    (below 5), 1 answered; Ljungen (Tjörn): 3 invited."""
    staff(region, region.vikadamm, 5, "V")
    staff(region, region.solgarden, 1, "S")
    ljungen = make_unit(region.tjorn, "Ljungen")
    staff(region, ljungen, 3, "L")
    round_ = make_round(region.programme, min_group_size=5)
    invite_population(round_)
    answer(round_, region.vikadamm, 6)
    answer(round_, region.solgarden, 1)
    return round_


def test_unit_rates_are_counted_and_small_units_hidden(round_with_answers, region):
    rates = {r.label: r for r in response_rates.by_unit(round_with_answers,
                                                        hidden_label="Mindre enheter")}
    vikadamm = rates["Vikadamm boende (Ale)"]
    assert (vikadamm.invited, vikadamm.answered, vikadamm.percent) == (8, 6, 75)
    solgarden = rates["Solgården (Tjörn)"]
    assert solgarden.hidden and solgarden.percent is None
    assert rates["Ljungen (Tjörn)"].hidden
    together = rates["Mindre enheter"]
    assert (together.invited, together.answered) == (5, 1)
    total = response_rates.total(round_with_answers)
    assert (total.invited, total.answered) == (13, 7)


def test_rates_are_one_query_whatever_the_size(round_with_answers):
    with CaptureQueriesContext(connection) as queries:
        response_rates.by_unit(round_with_answers)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        response_rates.by_round([round_with_answers])
    assert len(queries) == 1


def test_unit_manager_sees_their_units_and_no_names(round_with_answers, region,
                                                   unit_manager, login):
    page = login(unit_manager).get(reverse("surveys:round-detail",
                                           kwargs={"pk": round_with_answers.pk}))
    assert page.status_code == 200
    labels = [r.label for r in page.context["rates"]["units"]]
    assert labels == ["Vikadamm boende (Ale)"]
    assert page.context["rates"]["municipalities"] == []
    text = page.content.decode()
    assert "75 %" in text
    assert region.anna.last_name not in text and region.bertil.last_name not in text


def test_coordinator_sees_small_units_as_too_few(round_with_answers, tjorn_coordinator,
                                                 login):
    page = login(tjorn_coordinator).get(reverse("surveys:round-detail",
                                                kwargs={"pk": round_with_answers.pk}))
    text = page.content.decode()
    labels = [r.label for r in page.context["rates"]["units"]]
    assert "Vikadamm boende (Ale)" not in labels
    assert "för få för att visa" in text
    assert [m.label for m in page.context["rates"]["municipalities"]] == ["Tjörn"]


def test_the_list_shows_the_live_rate(round_with_answers, programme_admin, login):
    page = login(programme_admin).get(reverse("surveys:round-list"))
    assert page.context["rows"][0]["rate"].percent == round(100 * 7 / 13)
    assert "54 %" in page.content.decode()


@pytest.fixture
def ale_with_a_small_unit(round_with_answers, region):
    """Ale: Vikadamm (8 invited, 6 answered) and Lilla (2 invited, 1 answered)."""
    lilla = make_unit(region.ale, "Lilla")
    staff(region, lilla, 2, "Q")
    invite_population(round_with_answers)
    answer(round_with_answers, lilla, 1)
    return round_with_answers, lilla


def test_a_small_unit_cannot_be_worked_out_from_its_municipality(ale_with_a_small_unit, region):
    round_, _lilla = ale_with_a_small_unit
    units = {r.key: r for r in response_rates.by_unit(round_)}
    ale = {r.key: r for r in response_rates.by_municipality(round_)}[region.ale.pk]
    assert (ale.invited, ale.answered) == (10, 7)  # the municipality is shown
    in_ale = [r for r in units.values() if r.label.endswith("(Ale)")]
    # Ale minus its shown units would give Lilla's count if Vikadamm stayed shown: it is
    # hidden too (complementary suppression), so the hidden ones are two, with 10 people.
    assert all(r.hidden for r in in_ale) and len(in_ale) == 2
    shown_sum = sum(r.answered for r in in_ale if not r.hidden)
    assert ale.answered - shown_sum == 7  # only the two together, never one of them


def test_your_units_figure_hides_when_it_would_give_away_a_hidden_unit(ale_with_a_small_unit,
                                                                       region):
    round_, lilla = ale_with_a_small_unit
    # Vikadamm alone is hidden (the complement of Lilla): its sum alone would show it.
    assert response_rates.for_units(round_, [region.vikadamm]).hidden
    # Both Ale units together: two hidden units with 10 people, as Ale itself shows.
    both = response_rates.for_units(round_, [region.vikadamm, lilla])
    assert (both.invited, both.answered) == (10, 7)


def test_hidden_units_are_added_together_only_two_or_more_and_enough_people(
        ale_with_a_small_unit):
    round_, _lilla = ale_with_a_small_unit
    rates = response_rates.by_unit(round_, hidden_label="Mindre enheter")
    together = rates[-1]
    assert together.label == "Mindre enheter"
    assert (together.invited, together.answered) == (15, 8)  # Ale's two and Tjörn's two


def test_a_unit_hidden_to_protect_another_says_so_not_too_few(ale_with_a_small_unit,
                                                              programme_admin, login):
    round_, _lilla = ale_with_a_small_unit
    page = login(programme_admin).get(reverse("surveys:round-detail", kwargs={"pk": round_.pk}))
    units = {r.label: r for r in page.context["rates"]["units"]}
    vikadamm, lilla = units["Vikadamm boende (Ale)"], units["Lilla (Ale)"]
    assert vikadamm.hidden and vikadamm.protects_others  # 8 invited: enough, hidden for Lilla
    assert lilla.hidden and not lilla.protects_others  # 2 invited: too few
    text = page.content.decode()
    assert "dold, så att ingen kan räkna ut en mindre grupp" in text
    assert "för få för att visa" in text
    assert units["Dolda enheter tillsammans"].invited == 15


def test_the_round_page_counts_its_rates_once(ale_with_a_small_unit, programme_admin, login):
    round_, _lilla = ale_with_a_small_unit
    client = login(programme_admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("surveys:round-detail", kwargs={"pk": round_.pk}))
    grouped = [q["sql"] for q in queries.captured_queries
               if "surveys_invitation" in q["sql"] and "GROUP BY" in q["sql"]
               and '"unit_id"' in q["sql"]]
    assert len(grouped) == 1, grouped
