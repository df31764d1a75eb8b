"""Questionnaire pages through HTTP: reading, editing, freezing, new versions and preview."""

import pytest
from django.urls import reverse
from django.utils import translation

from modig.competence.models import Competence
from modig.surveys import questionnaires as services
from modig.surveys import scale
from modig.surveys.models import Item, Questionnaire
from modig.surveys.tests.factories import make_round

pytestmark = pytest.mark.django_db

FROZEN_SV = ("Formuläret används redan i en enkätomgång och kan inte ändras. "
             "Gör en ny version.")


@pytest.fixture
def staff():
    return services.default_questionnaire("staff")


def url(name, questionnaire, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"pk": questionnaire.pk, **kwargs})


def last_rating(questionnaire):
    return questionnaire.items.filter(kind=Item.Kind.RATING).order_by("position").last()


def test_list_shows_both_defaults_and_their_status(login, coordinator, staff, region):
    make_round(region.programme, services.default_questionnaire("manager"), published=False)
    page = login(coordinator).get(reverse("surveys:questionnaire-list")).content.decode()
    assert "Digital kompetens i vård och omsorg" in page
    assert "Kan ändras" in page and "Låst (används i 1 omgång)" in page


def test_detail_groups_items_by_area_with_the_competence_code(login, unit_manager, staff):
    response = login(unit_manager).get(url("questionnaire-detail", staff))
    page = response.content.decode()
    assert response.status_code == 200
    positions = [page.index(f"{code} {title}") for code, title in (
        ("1", "Informations- och datakunskap"), ("2", "Kommunikation och samarbete"),
        ("3", "Skapa digitalt innehåll"), ("4", "Säkerhet"), ("5", "Problemlösning"))]
    assert positions == sorted(positions)
    assert "4.1 Skydda enheter" in page
    assert "Jag kan göra ett säkert lösenord." in page
    assert "Ändra formuläret" not in page  # unit managers read only


def test_admin_changes_the_texts_of_an_editable_questionnaire(login, programme_admin, staff):
    response = login(programme_admin).post(url("questionnaire-edit", staff), {
        "title_sv": "Digital kompetens hos oss", "title_en": "", "intro_sv": "Hej!",
        "intro_en": ""})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.title_sv, staff.intro_sv) == ("Digital kompetens hos oss", "Hej!")


def test_editing_a_frozen_questionnaire_changes_nothing_and_says_why(login, programme_admin,
                                                                      staff):
    services.freeze(staff)
    client = login(programme_admin)
    page = client.get(url("questionnaire-edit", staff)).content.decode()
    assert FROZEN_SV in page and "Gör en ny version" in page
    assert 'name="title_sv"' not in page
    response = client.post(url("questionnaire-edit", staff), {"title_sv": "Ändrad"})
    assert response.status_code == 200
    assert FROZEN_SV in response.content.decode()
    assert Questionnaire.objects.get(pk=staff.pk).title_sv == "Digital kompetens i vård och omsorg"
    item = last_rating(staff)
    before = list(staff.items.order_by("pk").values())
    for name, data in (("questionnaire-item-remove", {}),
                       ("questionnaire-item-move", {"direction": "up"}),
                       ("questionnaire-item-edit", {"text_sv": "Ändrad", "competence":
                                                    item.competence_id})):
        response = client.post(url(name, staff, item_pk=item.pk), data, follow=True)
        assert FROZEN_SV in response.content.decode(), name
    response = client.post(url("questionnaire-item-add", staff), {
        "competence": item.competence_id, "text_sv": "Jag kan mer."})
    assert FROZEN_SV in response.content.decode()
    assert list(staff.items.order_by("pk").values()) == before


def test_a_new_version_of_a_frozen_questionnaire_opens_for_editing(login, programme_admin,
                                                                   staff):
    services.freeze(staff)
    client = login(programme_admin)
    response = client.post(url("questionnaire-new-version", staff))
    copy = Questionnaire.objects.get(code=staff.code, version=staff.version + 1)
    assert response.status_code == 302 and response["Location"] == url("questionnaire-edit",
                                                                       copy)
    assert copy.previous == staff and copy.frozen_at is None
    assert copy.items.count() == staff.items.count()
    page = client.get(url("questionnaire-detail", staff)).content.decode()
    assert f"Det finns en nyare version: version {copy.version}." in page


def test_add_change_move_and_remove_items(login, programme_admin, staff):
    client = login(programme_admin)
    competence = Competence.objects.get(framework=staff.framework, code="3.4")
    count = staff.items.count()
    response = client.post(url("questionnaire-item-add", staff), {
        "competence": competence.pk, "text_sv": "Jag kan ställa in en påminnelse.",
        "text_en": "I can set a reminder.", "example_sv": "I mobilen.", "example_en": ""})
    assert response.status_code == 302
    added = staff.items.order_by("position").last()
    assert (added.text_sv, added.competence, added.position) == (
        "Jag kan ställa in en påminnelse.", competence, count + 1)
    client.post(url("questionnaire-item-move", staff, item_pk=added.pk), {"direction": "up"})
    added.refresh_from_db()
    assert added.position == count
    other = Competence.objects.get(framework=staff.framework, code="5.3")
    client.post(url("questionnaire-item-edit", staff, item_pk=added.pk), {
        "competence": other.pk, "text_sv": "Jag kan ändra en påminnelse."})
    added.refresh_from_db()
    assert (added.competence, added.text_sv) == (other, "Jag kan ändra en påminnelse.")
    client.post(url("questionnaire-item-remove", staff, item_pk=added.pk))
    assert staff.items.count() == count
    assert not Item.objects.filter(pk=added.pk).exists()


def test_an_item_without_swedish_text_is_not_saved(login, programme_admin, staff):
    competence = Competence.objects.get(framework=staff.framework, code="3.4")
    count = staff.items.count()
    response = login(programme_admin).post(url("questionnaire-item-add", staff), {
        "competence": competence.pk, "text_sv": ""})
    assert response.status_code == 200
    assert "Något" in response.content.decode() or "Inget sparades" in response.content.decode()
    assert staff.items.count() == count


def test_coordinators_may_read_but_not_edit(login, coordinator, staff):
    client = login(coordinator)
    assert client.get(url("questionnaire-preview", staff)).status_code == 200
    item = last_rating(staff)
    assert client.post(url("questionnaire-item-remove", staff, item_pk=item.pk)).status_code \
        == 403
    assert Item.objects.filter(pk=item.pk).exists()


def test_preview_shows_pages_and_every_scale_step_read_only(login, coordinator, staff):
    page = login(coordinator).get(url("questionnaire-preview", staff)).content.decode()
    # Background, five areas, and the follow-up items (asked in follow-up rounds only).
    assert "Sida 1 av 7: Om dig och ditt arbete" in page
    assert "Sida 6 av 7: Problemlösning" in page
    assert "Sida 7 av 7: Sedan utbildningen började" in page
    with translation.override("sv"):
        labels = [str(label) for _value, label in scale.CHOICES]
    assert len(labels) == 6
    for label in labels:
        assert label in page, label
    assert "Mer än 15 år" in page
    assert "<fieldset disabled>" in page and "<form" not in page.split("<main")[-1]


def test_an_unused_new_version_can_be_deleted_but_not_the_first_or_a_used_one(
        login, programme_admin, staff, region):
    client = login(programme_admin)
    services.freeze(staff)
    copy = services.new_version(staff)
    page = client.get(url("questionnaire-detail", copy)).content.decode()
    assert "Ta bort den här versionen" in page
    response = client.post(url("questionnaire-delete", copy))
    assert response["Location"] == url("questionnaire-detail", staff)
    assert not Questionnaire.objects.filter(pk=copy.pk).exists()
    assert services.default_questionnaire() == staff
    response = client.post(url("questionnaire-delete", staff), follow=True)
    assert FROZEN_SV in response.content.decode()
    used = services.new_version(staff)
    make_round(region.programme, used, published=False)
    client.post(url("questionnaire-delete", used))
    assert Questionnaire.objects.filter(pk=used.pk).exists()


def test_the_first_version_cannot_be_deleted_even_unused(login, programme_admin):
    manager = Questionnaire.objects.get(code="omsorg-chef", version=1)
    response = login(programme_admin).post(url("questionnaire-delete", manager), follow=True)
    assert "Den första versionen av ett formulär kan inte tas bort." in response.content.decode()
    assert Questionnaire.objects.filter(pk=manager.pk).exists()
