"""Framework and questionnaire pages on a phone: axe-core on every page, no sideways scroll,
and editing without JavaScript (plain forms)."""

import pytest

from .browsing import scan, use_session_of, visit


@pytest.fixture
def content():
    """DigComp and the default questionnaires (the live-server flush drops migration data)."""
    from modig.competence.reference import load_digcomp
    from modig.surveys.questionnaires import default_questionnaire, load_default_questionnaires

    load_digcomp()
    load_default_questionnaires()
    return default_questionnaire("staff")


def assert_fits(page, path):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide: the whole page scrolls sideways"


def test_framework_and_questionnaire_pages_pass_axe_on_a_phone(phone, server, programme_admin,
                                                               content):
    from modig.competence.models import Competence

    use_session_of(phone, server, programme_admin)
    competence = Competence.objects.get(framework__code="digcomp-2-2", code="1.1")
    item = content.items.order_by("position").last()
    pages = [
        "/kompetens/ramverk/",
        "/kompetens/ramverk/digcomp-2-2/",
        "/kompetens/ramverk/digcomp-2-2/andra/",
        f"/kompetens/ramverk/digcomp-2-2/omraden/{competence.area_id}/andra/",
        f"/kompetens/ramverk/digcomp-2-2/kompetenser/{competence.pk}/andra/",
        "/kompetens/ramverk/nytt/",
        "/kompetens/ramverk/importera/",
        "/enkater/formular/",
        f"/enkater/formular/{content.pk}/",
        f"/enkater/formular/{content.pk}/andra/",
        f"/enkater/formular/{content.pk}/ny-fraga/",
        f"/enkater/formular/{content.pk}/fragor/{item.pk}/andra/",
        f"/enkater/formular/{content.pk}/forhandsvisning/",
    ]
    for path in pages:
        visit(phone, f"{server}{path}")
        assert phone.get_by_role("heading", level=1).count() == 1, path
        assert_fits(phone, path)


def test_editing_and_freezing_work_without_javascript(no_script, server, programme_admin,
                                                      content, tmp_path):
    from modig.surveys.questionnaires import freeze

    page = no_script
    use_session_of(page, server, programme_admin)
    first = content.items.order_by("position").first()
    visit(page, f"{server}/enkater/formular/{content.pk}/andra/")
    page.get_by_role("button", name=f"Flytta ner {first.text_sv}").click()
    page.wait_for_load_state()
    scan(page)
    first.refresh_from_db()
    assert first.position == 2
    assert page.get_by_text("Frågan är flyttad.").is_visible()

    freeze(content)
    visit(page, f"{server}/enkater/formular/{content.pk}/andra/")
    assert page.get_by_text("Formuläret används redan i en enkätomgång").is_visible()
    page.get_by_role("button", name="Gör en ny version").click()
    page.wait_for_load_state()
    scan(page)
    assert page.get_by_role("heading", name="Ändra formuläret").is_visible()
    assert page.get_by_label("Titel på svenska").input_value() == content.title_sv


def test_a_bad_csv_file_shows_the_rows_to_fix(no_script, server, programme_admin, content,
                                              tmp_path):
    page = no_script
    use_session_of(page, server, programme_admin)
    bad = tmp_path / "ramverk.csv"
    bad.write_text("framework_code;area_code;area_title_sv;competence_code;competence_title_sv\n"
                   "digcomp-2-2;1;Information;1.1;Söka\n"
                   "digcomp-2-2;1;Information;1.1;Söka igen\n", encoding="utf-8")
    visit(page, f"{server}/kompetens/ramverk/importera/")
    page.get_by_label("CSV-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollera filen").click()
    page.wait_for_load_state()
    scan(page)
    assert page.get_by_text("Filen har fel. Inget importerades.").is_visible()
    assert page.get_by_text("Rad 3: Kompetenskoden 1.1 finns redan på rad 2.").is_visible()
