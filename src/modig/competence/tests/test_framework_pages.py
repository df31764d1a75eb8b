"""Framework pages through HTTP: who may do what, editing, deleting, CSV import and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from modig.competence.models import Competence, CompetenceArea, Framework

pytestmark = pytest.mark.django_db

HEADER = ("framework_code;framework_title_sv;framework_title_en;area_code;area_title_sv;"
          "area_title_en;competence_code;competence_title_sv;competence_title_en")


def upload(client, text: str, name: str = "ramverk.csv"):
    return client.post(reverse("competence:framework-import"), {
        "file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"),
    })


def counts():
    return Framework.objects.count(), CompetenceArea.objects.count(), Competence.objects.count()


def test_detail_lists_areas_competences_and_the_items_that_measure_them(login, coordinator):
    response = login(coordinator).get(
        reverse("competence:framework-detail", kwargs={"code": "digcomp-2-2"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Informations- och datakunskap" in page and "5.4" in page
    assert "Jag kan göra ett säkert lösenord." in page  # measures 4.1
    assert "omsorg-medarbetare v2" in page  # the newest version: v1 with the follow-up items
    assert "Ändra ramverket" not in page  # read only for coordinators


def test_coordinator_cannot_change_a_framework(login, coordinator):
    client = login(coordinator)
    response = client.post(reverse("competence:framework-edit",
                                   kwargs={"code": "digcomp-2-2"}),
                           {"code": "digcomp-2-2", "title_sv": "Kapad"})
    assert response.status_code == 403
    assert Framework.objects.get(code="digcomp-2-2").title_sv.startswith("DigComp")


def test_admin_creates_a_framework_with_an_area_and_a_competence(login, programme_admin):
    client = login(programme_admin)
    response = client.post(reverse("competence:framework-create"),
                           {"code": "vard-2026", "title_sv": "Vårdens kompetenser"})
    assert response.status_code == 302
    framework = Framework.objects.get(code="vard-2026")
    assert not framework.is_default
    client.post(reverse("competence:area-create", kwargs={"code": framework.code}),
                {"code": "A", "title_sv": "Dokumentation"})
    area = framework.areas.get()
    response = client.post(
        reverse("competence:competence-create", kwargs={"code": framework.code}),
        {"area": area.pk, "code": "A1", "title_sv": "Dokumentera i mobilen"})
    assert response.status_code == 302
    assert framework.competences.get().area == area


def test_duplicate_codes_are_refused_with_a_message(login, programme_admin):
    client = login(programme_admin)
    response = client.post(reverse("competence:framework-create"),
                           {"code": "digcomp-2-2", "title_sv": "Dubblett"})
    assert response.status_code == 200
    assert "Ett annat ramverk har redan koden digcomp-2-2." in response.content.decode()
    response = client.post(reverse("competence:competence-create",
                                   kwargs={"code": "digcomp-2-2"}),
                           {"area": CompetenceArea.objects.get(framework__code="digcomp-2-2",
                                                               code="1").pk,
                            "code": "1.1", "title_sv": "Dubblett"})
    assert "Ramverket har redan en kompetens med koden 1.1." in response.content.decode()
    assert Competence.objects.filter(framework__code="digcomp-2-2").count() == 21


def test_framework_and_competence_in_use_cannot_be_deleted(login, programme_admin):
    client = login(programme_admin)
    response = client.post(reverse("competence:framework-delete",
                                   kwargs={"code": "digcomp-2-2"}), follow=True)
    assert "Formulär använder det här ramverket." in response.content.decode()
    competence = Competence.objects.get(framework__code="digcomp-2-2", code="4.1")
    response = client.post(reverse("competence:competence-delete",
                                   kwargs={"code": "digcomp-2-2", "pk": competence.pk}),
                           follow=True)
    assert "Frågor i formulär mäter den här kompetensen." in response.content.decode()
    assert Competence.objects.filter(pk=competence.pk).exists()
    assert Framework.objects.filter(code="digcomp-2-2").exists()


def test_an_unused_framework_can_be_deleted(login, programme_admin):
    Framework.objects.create(code="gammalt", title_sv="Gammalt")
    response = login(programme_admin).post(
        reverse("competence:framework-delete", kwargs={"code": "gammalt"}))
    assert response.status_code == 302
    assert not Framework.objects.filter(code="gammalt").exists()


def test_making_another_framework_the_default_moves_the_flag(login, programme_admin):
    Framework.objects.create(code="nytt-standard", title_sv="Nytt")
    login(programme_admin).post(
        reverse("competence:framework-edit", kwargs={"code": "nytt-standard"}),
        {"code": "nytt-standard", "title_sv": "Nytt", "is_default": "on"})
    assert Framework.objects.default().code == "nytt-standard"
    assert Framework.objects.filter(is_default=True).count() == 1


def test_export_downloads_a_csv_file(login, unit_manager):
    response = login(unit_manager).get(
        reverse("competence:framework-export", kwargs={"code": "digcomp-2-2"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="digcomp-2-2.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[0] == HEADER


def test_import_shows_a_preview_and_changes_nothing_until_confirmed(login, programme_admin):
    client = login(programme_admin)
    text = "\n".join([HEADER,
                      "hemtjanst;Hemtjänstens ramverk;;A;Larm;Alarms;A1;Svara på larm;",
                      "hemtjanst;Hemtjänstens ramverk;;A;Larm;Alarms;A2;Felanmäla larm;"])
    before = counts()
    response = upload(client, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kontrollera innan du importerar" in page and "2 nya kompetenser" in page
    assert counts() == before
    response = client.post(reverse("competence:framework-import"),
                           {"content": text, "confirm": "1"})
    assert response.status_code == 302
    framework = Framework.objects.get(code="hemtjanst")
    assert list(framework.competences.values_list("code", flat=True)) == ["A1", "A2"]


def test_import_with_errors_lists_them_per_row_and_changes_nothing(login, programme_admin):
    client = login(programme_admin)
    text = "\n".join([HEADER,
                      "hemtjanst;Hemtjänst;;A;Larm;;A1;Svara på larm;",
                      "hemtjanst;Hemtjänst;;A;Lås;;A1;Felanmäla larm;"])
    before = counts()
    page = upload(client, text).content.decode()
    assert "Filen har fel. Inget importerades." in page
    assert "Rad 3:" in page and "Kompetenskoden A1 finns redan på rad 2." in page
    assert "Område A heter ”Lås” här men ”Larm” på rad 2." in page
    # Posting the bad content as if confirmed does not write it either.
    client.post(reverse("competence:framework-import"), {"content": text, "confirm": "1"})
    assert counts() == before


def test_import_needs_a_file(login, programme_admin):
    response = login(programme_admin).post(reverse("competence:framework-import"), {})
    assert "Välj en CSV-fil med ramverket." in response.content.decode()
