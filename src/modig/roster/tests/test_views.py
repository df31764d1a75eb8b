"""The upload → columns → preview → save flow over HTTP, and who may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from modig.organisation.models import Person
from modig.roster import services
from modig.roster.models import RosterImport
from modig.roster.tests.helpers import csv_bytes, rows_ok


def mapping_data(roster_import) -> dict:
    return {f"column_{i}": roster_import.mapping[header]
            for i, header in enumerate(roster_import.headers)}


def upload(client, content, *, code="1440", name="lista.csv"):
    return client.post(reverse("roster:import-upload"), {
        "municipality": code, "file": SimpleUploadedFile(name, content, "text/csv")})


def test_a_coordinator_uploads_maps_previews_and_saves(login, coordinator):
    client = login(coordinator)
    rows = [*rows_ok(), ["A10", "Bo", "Lind", "bo@", "", "", "", "Vårdbiträde",
                         "Vikadamm boende", ""]]
    response = upload(client, csv_bytes(rows))
    roster_import = RosterImport.objects.get()
    assert response.url == reverse("roster:import-mapping", args=[roster_import.pk])
    page = client.get(response.url)
    assert "Anst.nr" in page.content.decode()
    data = mapping_data(roster_import)
    response = client.post(reverse("roster:import-mapping", args=[roster_import.pk]), data)
    detail = client.get(response.url).content.decode()
    assert "Rad" in detail and "E-post" in detail and "”bo@” är inte en e-postadress" in detail
    assert "Spara personallistan" not in detail
    # The status says what to do, not "ready to save", while the file has errors.
    assert "rätta felen i filen" in detail and "klar att spara" not in detail
    fixed = upload(client, csv_bytes(rows_ok()), name="lista-rattad.csv")
    second = RosterImport.objects.exclude(pk=roster_import.pk).get()
    client.post(fixed.url, data)
    detail = client.get(reverse("roster:import-detail", args=[second.pk])).content.decode()
    assert "Spara personallistan" in detail
    assert "Kontrollerad, klar att spara" in detail
    response = client.post(reverse("roster:import-commit", args=[second.pk]),
                           {"missing_count": "2"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == RosterImport.Status.COMMITTED
    assert Person.objects.filter(first_name="Åsa").exists()
    listing = client.get(reverse("roster:import-list")).content.decode()
    assert "lista-rattad.csv" in listing


def test_a_full_import_over_http_needs_the_confirmation_box(login, coordinator, region):
    client = login(coordinator)
    response = upload(client, csv_bytes(rows_ok()))
    roster_import = RosterImport.objects.get()
    data = mapping_data(roster_import)
    client.post(response.url, data)
    commit = reverse("roster:import-commit", args=[roster_import.pk])
    client.post(commit, {"full": "on", "missing_count": "2"})
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.CHECKED
    page = client.get(reverse("roster:import-detail", args=[roster_import.pk])).content.decode()
    assert "markera de 2 anställningar" in page
    client.post(commit, {"full": "on", "confirm_deactivations": "on", "missing_count": "2"})
    roster_import.refresh_from_db()
    assert roster_import.deactivated_count == 2


def test_new_units_are_confirmed_with_checkboxes(login, coordinator):
    client = login(coordinator)
    rows = [["N1", "Nils", "Nord", "", "", "", "", "Vårdbiträde", "Nya hemmet", ""]]
    response = upload(client, csv_bytes(rows))
    roster_import = RosterImport.objects.get()
    data = mapping_data(roster_import)
    client.post(response.url, data)
    page = client.get(reverse("roster:import-detail", args=[roster_import.pk])).content.decode()
    assert 'value="Nya hemmet"' in page
    client.post(reverse("roster:import-units", args=[roster_import.pk]), {"units": "Nya hemmet"})
    roster_import.refresh_from_db()
    assert roster_import.errors_count == 0 and roster_import.confirmed_units == ["Nya hemmet"]


def test_a_bad_file_gets_a_clear_message_and_nothing_is_stored(login, coordinator):
    response = upload(login(coordinator), b"", name="lista.csv")
    assert response.status_code == 200
    assert "Filen är tom" in response.content.decode()
    response = upload(login(coordinator), b"%PDF", name="lista.pdf")
    assert "CSV" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_the_same_file_twice_says_when_it_was_imported(login, coordinator, region):
    content = csv_bytes(rows_ok())
    roster_import = services.start_import(region.ale, file_name="a.csv", content=content)
    services.request_commit(services.save_mapping(roster_import, mapping=roster_import.mapping))
    response = upload(login(coordinator), content)
    assert "importerades redan" in response.content.decode()
    assert RosterImport.objects.count() == 1


@pytest.fixture
def tjorn_import(region):
    rows = [["T9", "Tor", "Ström", "", "", "", "", "Vårdbiträde", "Solgården", ""]]
    return services.start_import(region.tjorn, file_name="tjorn.csv", content=csv_bytes(rows))


@pytest.mark.parametrize("name", ["import-detail", "import-mapping"])
def test_a_coordinator_of_another_municipality_gets_404(login, coordinator, tjorn_import, name):
    response = login(coordinator).get(reverse(f"roster:{name}", args=[tjorn_import.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["import-units", "import-commit"])
def test_posts_to_another_municipalitys_import_get_404(login, coordinator, tjorn_import, name):
    response = login(coordinator).post(reverse(f"roster:{name}", args=[tjorn_import.pk]),
                                       {"missing_count": "0"})
    assert response.status_code == 404


def test_a_coordinator_cannot_upload_into_another_municipality(login, coordinator):
    response = upload(login(coordinator), csv_bytes(rows_ok()), code="1407")
    assert response.status_code == 200
    assert RosterImport.objects.count() == 0


def test_the_list_shows_only_ones_own_municipality(login, coordinator, tjorn_import):
    page = login(coordinator).get(reverse("roster:import-list")).content.decode()
    assert "tjorn.csv" not in page


def test_the_programme_office_sees_every_import(login, programme_admin, tjorn_import):
    client = login(programme_admin)
    assert "tjorn.csv" in client.get(reverse("roster:import-list")).content.decode()
    assert client.get(reverse("roster:import-detail", args=[tjorn_import.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["unit_manager", "ambassador", "trainer", "staff_member",
                                     "outsider"])
def test_other_roles_cannot_import(request, login, persona, tjorn_import):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("roster:import-list")).status_code == 403
    assert client.get(reverse("roster:import-upload")).status_code == 403
    assert client.get(reverse("roster:import-detail", args=[tjorn_import.pk])).status_code == 404


def test_a_running_check_shows_progress_and_refreshes_itself(login, coordinator, region):
    roster_import = services.start_import(region.ale, file_name="a.csv",
                                          content=csv_bytes(rows_ok()))
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.CHECKING, rows_done=1)
    page = login(coordinator).get(reverse("roster:import-detail", args=[roster_import.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert '<progress id="progress" max="2" value="1">' in html
