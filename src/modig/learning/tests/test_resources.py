"""The shared library of learning resources: adding, filters, ratings once per user."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from modig.learning import queries, services
from modig.learning.models import LearningResource, ResourceRating, Technology
from modig.learning.tests.helpers import alarm, digcomp


def _resource(title="Så larmar du", **fields):
    fields.setdefault("body", "Tryck på knappen.")
    return services.add_resource(title=title, kind=fields.pop("kind", "guide"), **fields)


def test_an_ambassador_adds_a_resource_tagged_by_technology(client, login, ambassador):
    login(ambassador)
    answer = client.post(reverse("learning:resource-create"), {
        "title": "Film: byta batteri i larmet", "kind": "video",
        "url": "https://video.example/larm", "technologies": [alarm().pk],
        "competences": [digcomp("5.1").pk]})
    resource = LearningResource.objects.get()
    assert answer.url == reverse("learning:resource-detail", args=[resource.pk])
    assert list(resource.technologies.all()) == [alarm()]


def test_a_resource_needs_a_title_and_a_link_or_text(client, login, coordinator):
    login(coordinator)
    url = reverse("learning:resource-create")
    page = client.post(url, {"title": "", "kind": "guide"})
    assert "Skriv en rubrik." in page.text
    page = client.post(url, {"title": "Checklista", "kind": "checklist"})
    assert "Ge en länk eller skriv texten" in page.text
    page = client.post(url, {"title": "Film", "kind": "video", "url": "inte en adress"})
    assert "Skriv en hel webbadress" in page.text
    assert not LearningResource.objects.exists()


def test_a_double_tap_on_save_keeps_one_resource(region):
    assert _resource() == _resource()
    assert LearningResource.objects.count() == 1


def test_staff_may_not_add_resources(client, login, staff_member):
    login(staff_member)
    assert client.get(reverse("learning:resource-create")).status_code == 403


def test_rating_again_replaces_the_rating(region, staff_member):
    resource = _resource()
    services.rate(resource, staff_member, 2)
    services.rate(resource, staff_member, "5")
    assert list(ResourceRating.objects.values_list("stars", flat=True)) == [5]


@pytest.mark.parametrize("stars", ["0", "6", "fem", None])
def test_a_rating_outside_one_to_five_is_refused(region, staff_member, stars):
    with pytest.raises(ValidationError):
        services.rate(_resource(), staff_member, stars)
    assert not ResourceRating.objects.exists()


def test_the_rating_page_says_what_went_wrong(client, login, staff_member, region):
    resource = _resource()
    login(staff_member)
    page = client.post(reverse("learning:resource-rate", args=[resource.pk]), {}, follow=True)
    assert "Välj från 1 till 5 stjärnor." in page.text
    client.post(reverse("learning:resource-rate", args=[resource.pk]), {"stars": "4"})
    assert ResourceRating.objects.get().stars == 4


def test_the_average_shows_from_three_ratings(region):
    resource = _resource()
    for n, stars in enumerate([5, 4]):
        services.rate(resource, make_user(f"r{n}@ale.example"), stars)
    assert queries.shown_average(queries.resources().get()) is None
    services.rate(resource, make_user("r9@ale.example"), 2)
    assert queries.shown_average(queries.resources().get()) == 3.7


def test_filters_by_technology_kind_and_competence(client, login, region, staff_member):
    tagged = _resource("Larmguide", technologies=[alarm()])
    by_competence = _resource("Felsökning", kind="checklist", competences=[digcomp("5.1")])
    _resource("Bildlicenser", competences=[digcomp("3.3")])
    robot = Technology.objects.filter(category="robotics").first()
    assert set(queries.resources(technology=alarm())) == {tagged, by_competence}
    assert list(queries.resources(kind="checklist")) == [by_competence]
    assert not queries.resources(technology=robot).exists()
    login(staff_member)
    page = client.get(reverse("learning:resource-list"), {"teknik": alarm().code})
    assert "Larmguide" in page.text and "Bildlicenser" not in page.text
    page = client.get(reverse("learning:resource-list"), {"kompetens": digcomp("3.3").pk})
    assert "Bildlicenser" in page.text and "Larmguide" not in page.text
