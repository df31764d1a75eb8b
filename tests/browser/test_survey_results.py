"""Survey results pages on a phone: axe-core on the results page (charts, heatmap,
comparison), the hidden-group page and the lowest-scores list; the page fits the screen and
its filters work without JavaScript."""

import pytest

from .browsing import use_session_of, visit


@pytest.fixture
def rounds(region):
    """A baseline and a paired follow-up: 6 at Vikadamm and 2 at Backa (Ale), 6 at Solgården."""
    from modig.competence.reference import load_digcomp
    from modig.organisation.tests.factories import make_unit
    from modig.surveys.models import Round
    from modig.surveys.tests.factories import make_questionnaire, make_round
    from modig.surveys.tests.results_builders import submit

    load_digcomp()
    questionnaire = make_questionnaire(items_per_area=1)
    backa = make_unit(region.ale, "Backa", parent=region.nodinge)
    baseline = make_round(region.programme, questionnaire, name="Före", min_group_size=5)
    follow_up = make_round(region.programme, questionnaire, name="Efter", min_group_size=5,
                           kind=Round.Kind.FOLLOW_UP, baseline=baseline)
    for unit, count, before, after in ((region.vikadamm, 6, 2, 4), (backa, 2, 1, 3),
                                       (region.solgarden, 6, 3, 3)):
        for _ in range(count):
            key = submit(baseline, municipality=unit.municipality, unit=unit,
                         value=before).respondent_key
            submit(follow_up, municipality=unit.municipality, unit=unit, value=after,
                   respondent_key=key)
    return follow_up


def test_results_pages_pass_axe_on_a_phone(phone, server, programme_admin, rounds, region):
    use_session_of(phone, server, programme_admin)
    base = f"{server}/enkater/omgangar/{rounds.pk}/resultat/"
    for path in (base, f"{base}?plats=e{region.nodinge.pk}",
                 f"{base}?plats=k{region.ale.pk}&per=yrke",
                 f"/enkater/omgangar/{rounds.pk}/resultat/lagsta/"):
        visit(phone, path if path.startswith("http") else f"{server}{path}")
        assert phone.get_by_role("heading", level=1).count() == 1, path
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"
    visit(phone, base)
    assert phone.locator("svg.chart-svg").count() == 2  # profile, and before/after
    assert phone.get_by_text("Jämfört med Före").count() == 1


def test_filters_work_without_javascript(no_script, server, programme_admin, rounds, region):
    use_session_of(no_script, server, programme_admin)
    visit(no_script, f"{server}/enkater/omgangar/{rounds.pk}/resultat/")
    no_script.select_option("#id_per", "yrke")
    no_script.get_by_role("button", name="Visa").click()
    assert "per=yrke" in no_script.url
    assert no_script.locator("#id_per").input_value() == "yrke"
