"""The catalogue and introduction pages through the HTTP client."""

import datetime

from django.urls import reverse

from modig.learning.models import Technology, TechnologyIntroduction
from modig.learning.tests.helpers import alarm, digcomp, introduce
from modig.training.tests.factories import make_course


def test_the_catalogue_lists_and_filters_by_category(client, login, staff_member):
    login(staff_member)
    page = client.get(reverse("learning:technology-list"), {"kategori": "robotics"})
    assert page.status_code == 200
    assert "Robotsäl" in page.text and "Ätrobot" in page.text
    assert "Digital tillsyn nattetid" not in page.text
    assert "Ny teknik" not in page.text  # only the programme office adds


def test_a_technology_page_suggests_courses_teaching_its_competences(client, login, region,
                                                                      staff_member):
    make_course(region.programme, title="Felsök larmet", competences=[digcomp("5.1")])
    make_course(region.programme, title="Upphovsrätt i vården", competences=[digcomp("3.3")])
    login(staff_member)
    page = client.get(reverse("learning:technology-detail", args=[alarm().code]))
    assert "Felsök larmet" in page.text and "Upphovsrätt i vården" not in page.text
    assert "Lösa tekniska problem" in page.text


def test_the_programme_office_adds_a_technology(client, login, programme_admin):
    login(programme_admin)
    answer = client.post(reverse("learning:technology-create"), {
        "name": "Digital nyckelhantering", "category": "digital_lock",
        "competences": [digcomp("4.1").pk]})
    technology = Technology.objects.get(name="Digital nyckelhantering")
    assert answer.status_code == 302
    assert list(technology.competences.values_list("code", flat=True)) == ["4.1"]


def test_a_technology_without_a_name_or_with_a_taken_name_is_refused(client, login,
                                                                       programme_admin):
    login(programme_admin)
    count = Technology.objects.count()
    empty = client.post(reverse("learning:technology-create"), {"name": " ",
                                                                 "category": "robotics"})
    assert "Skriv teknikens namn." in empty.text
    taken = client.post(reverse("learning:technology-create"), {
        "name": alarm().name.upper(), "category": "robotics"})
    assert "Det finns redan en teknik med det namnet" in taken.text
    assert Technology.objects.count() == count


def test_the_programme_office_changes_a_technology(client, login, programme_admin):
    login(programme_admin)
    technology = alarm()
    client.post(reverse("learning:technology-edit", args=[technology.code]), {
        "name": technology.name, "category": "sensors", "description": "Larm i hemmet."})
    technology.refresh_from_db()
    assert (technology.category, technology.description) == ("sensors", "Larm i hemmet.")
    assert not technology.competences.exists()


def _form(scope, **fields):
    return {"technology": alarm().pk, "scope": scope, "go_live_on": "2026-09-01", **fields}


def test_a_coordinator_introduces_a_technology_in_a_unit(client, login, region, coordinator):
    login(coordinator)
    answer = client.post(reverse("learning:introduction-create"),
                         _form(f"u:{region.nodinge.pk}"))
    introduction = TechnologyIntroduction.objects.get()
    assert answer.url == reverse("learning:introduction-detail", args=[introduction.pk])
    assert introduction.needs.count() == 3
    page = client.get(answer.url)
    assert "Vikadamm boende" in page.text and "Markera som klar" in page.text
    assert "Visas inte (liten grupp)" in page.text  # three people: below the minimum


def test_a_coordinator_introduces_in_the_whole_municipality(client, login, region,
                                                             coordinator):
    login(coordinator)
    client.post(reverse("learning:introduction-create"), _form(f"m:{region.ale.code}"))
    introduction = TechnologyIntroduction.objects.get()
    assert introduction.unit is None and introduction.municipality == region.ale


def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(client, login, region,
                                                               coordinator):
    login(coordinator)
    url = reverse("learning:introduction-create")
    bad_date = client.post(url, _form(f"u:{region.nodinge.pk}", go_live_on="1 sept"))
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in bad_date.text
    other = client.post(url, _form(f"u:{region.solgarden.pk}"))
    assert "Välj en kommun eller enhet i listan." in other.text
    other_municipality = client.post(url, _form(f"m:{region.tjorn.code}"))
    assert "Välj en kommun eller enhet i listan." in other_municipality.text
    missing = client.post(url, {"scope": f"u:{region.nodinge.pk}"})
    assert "Välj tekniken." in missing.text
    assert not TechnologyIntroduction.objects.exists()


def test_a_double_submit_is_refused(client, login, region, coordinator):
    login(coordinator)
    url = reverse("learning:introduction-create")
    client.post(url, _form(f"u:{region.nodinge.pk}"))
    again = client.post(url, _form(f"u:{region.nodinge.pk}"))
    assert "redan registrerat" in again.text
    assert TechnologyIntroduction.objects.count() == 1


def test_a_unit_manager_introduces_only_in_their_units(client, login, region, unit_manager):
    login(unit_manager)
    url = reverse("learning:introduction-create")
    refused = client.post(url, _form(f"m:{region.ale.code}"))
    assert "Välj en kommun eller enhet i listan." in refused.text
    assert client.post(url, _form(f"u:{region.vikadamm.pk}")).status_code == 302
    assert TechnologyIntroduction.objects.get().unit == region.vikadamm


def test_the_list_shows_introductions_in_scope(client, login, region, unit_manager):
    introduce(region, unit=region.ale_elderly)  # above the manager's Nödinge: affects it
    introduce(region, municipality=region.tjorn, go_live_on=datetime.date(2026, 10, 1))
    login(unit_manager)
    page = client.get(reverse("learning:introduction-list"))
    assert "Äldreomsorg" in page.text and "Tjörn" not in page.text


def test_the_ambassador_marks_their_units_task_done(client, login, region, ambassador):
    task = introduce(region, unit=region.nodinge).tasks.get()
    login(ambassador)
    answer = client.post(reverse("learning:task-done", args=[task.pk]))
    task.refresh_from_db()
    assert answer.status_code == 302 and task.status == "done"
