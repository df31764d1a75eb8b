"""Follow-up items (Item.Kind.OUTCOME): asked only in follow-up rounds, on their own page,
saved on the response row; the default questionnaires' version with them; their
distribution on the results page."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from modig.surveys import answering
from modig.surveys import questionnaires as services
from modig.surveys.models import Item, Questionnaire, Response, Round
from modig.surveys.tests.factories import (
    add_follow_up_items,
    make_invitation,
    make_questionnaire,
    make_round,
)
from modig.surveys.tests.results_builders import submit
from modig.surveys.tests.test_answering import ENTRY, page_url, rating_data

KNOWLEDGE = Item.OutcomeField.KNOWLEDGE_GAIN


@pytest.fixture
def questionnaire(db):
    questionnaire = make_questionnaire(items_per_area=1)
    add_follow_up_items(questionnaire)
    return questionnaire


def _open(client, round_, person):
    _invitation, _token, code = make_invitation(round_, person)
    assert client.post(ENTRY, {"code": code}).status_code == 302
    assert client.get(page_url(1)).status_code == 200


def test_a_baseline_never_asks_the_follow_up_items(client, region, questionnaire):
    round_ = make_round(region.programme, questionnaire)
    structure = answering.round_structure(round_)
    assert [p.kind for p in structure.pages].count(answering.PageKind.FOLLOW_UP) == 0
    assert structure.follow_up_items == ()
    _open(client, round_, region.anna)
    for page in structure.pages[:-1]:
        assert "Uppföljning knowledge_gain" not in client.get(
            page_url(page.number)).content.decode()


def test_a_follow_up_round_asks_them_on_a_page_before_the_last_and_saves_the_answer(
        client, region, questionnaire):
    round_ = make_round(region.programme, questionnaire, kind=Round.Kind.FOLLOW_UP)
    structure = answering.round_structure(round_)
    page = structure.pages[-2]
    assert page.kind == answering.PageKind.FOLLOW_UP and structure.pages[-1].kind == "review"
    assert structure.question_count == len(structure.rating_items) + 3 + 1
    _open(client, round_, region.anna)
    body = client.get(page_url(page.number)).content.decode()
    assert "Sedan utbildningen började" in body and "Uppföljning knowledge_gain" in body
    # The page's own instruction, not the rating pages' (pages are rendered once per key).
    assert "Tänk på tiden sedan utbildningen började" in body
    assert "Välj det som passar dig bäst" not in body
    for label in ("Ja, mycket", "Ja, lite", "Nej", "Vet inte"):
        assert label in body
    assert 'name="knowledge_gain" value="0"' in body
    # Not a choice: refused, nothing saved.
    assert client.post(page_url(page.number), {KNOWLEDGE: 7, "action": "next"}).status_code == 400
    response = Response.objects.get(round=round_)
    assert response.knowledge_gain is None
    assert client.post(page_url(page.number), {KNOWLEDGE: 2, "action": "next"}).status_code == 302
    response.refresh_from_db()
    assert response.knowledge_gain == 2
    # Shown again as saved; "don't know" is an answer of its own (0), kept as such.
    assert 'value="2" checked' in client.get(page_url(page.number)).content.decode()
    client.post(page_url(page.number), {KNOWLEDGE: 0, "action": "next"})
    response.refresh_from_db()
    assert response.knowledge_gain == 0


def test_the_follow_up_page_costs_no_more_queries_than_a_rating_page(
        client, region, questionnaire, django_assert_max_num_queries):
    round_ = make_round(region.programme, questionnaire, kind=Round.Kind.FOLLOW_UP)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    structure = answering.round_structure(round_)
    _open(client, round_, region.anna)
    page = structure.pages[-2]
    with django_assert_max_num_queries(2):  # invitation + response; answers are on the row
        assert client.get(page_url(page.number)).status_code == 200
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 5):
        assert client.post(page_url(page.number), {KNOWLEDGE: 3, "action": "next"}
                           ).status_code == 302
    area = structure.pages[1]
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 5):
        assert client.post(page_url(area.number), rating_data(area, 3)).status_code == 302


# The default questionnaires' versions -----------------------------------------------------------

def test_defaults_have_the_follow_up_items_in_a_new_version_and_version_1_is_unchanged(db):
    for audience, fields in (("staff", {"knowledge_gain"}),
                             ("manager", {"routine_changed", "leadership_gain"})):
        latest = services.default_questionnaire(audience)
        first = latest.previous
        assert first.version == 1 and latest.version == 2
        assert {i.background_field for i in services.follow_up_items(latest)} == fields
        assert services.follow_up_items(first) == []
        # Every other item is carried over as it was.
        keep = ["kind", "competence_id", "background_field", "text_sv", "text_en", "choices"]
        assert (list(first.items.order_by("position").values(*keep))
                == list(latest.items.exclude(kind=Item.Kind.OUTCOME)
                        .order_by("position").values(*keep)))
        for item in services.follow_up_items(latest):
            assert item.text_sv and item.text_en and item.example_sv and item.example_en
            assert [c["value"] for c in item.choices] == [3, 2, 1, 0]
            assert item.choices[-1]["sv"] == "Vet inte"


def test_adding_the_follow_up_items_again_changes_nothing_and_keeps_frozen_versions(region):
    first = Questionnaire.objects.get(code="omsorg-medarbetare", version=1)
    round_ = make_round(region.programme, first)
    services.freeze(first)
    items_before = list(first.items.values_list("pk", "text_sv", "position"))
    assert services.add_default_follow_up_items() == []
    # A default whose newest version has no follow-up items gets a new version, based on it;
    # the frozen version its round uses stays as it was.
    services.default_questionnaire("staff").delete()
    created = services.add_default_follow_up_items()
    assert [(q.code, q.version, q.previous_id) for q in created] == [
        ("omsorg-medarbetare", 2, first.pk)]
    first.refresh_from_db()
    assert list(first.items.values_list("pk", "text_sv", "position")) == items_before
    assert round_.questionnaire_id == first.pk and first.is_frozen
    assert services.follow_up_items(first) == []


def test_a_new_version_copies_the_follow_up_items(db):
    latest = services.freeze(services.default_questionnaire("manager"))
    copy = services.new_version(latest)
    assert [i.background_field for i in services.follow_up_items(copy)] == [
        "routine_changed", "leadership_gain"]


# Results page -------------------------------------------------------------------------------------

def _results(client, round_, **params):
    from urllib.parse import urlencode
    return client.get(reverse("surveys:round-results", kwargs={"pk": round_.pk})
                      + (f"?{urlencode(params)}" if params else "")).content.decode()


def test_results_page_shows_the_distribution_of_a_follow_up_item(login, programme_admin,
                                                                 region, questionnaire):
    round_ = make_round(region.programme, questionnaire, kind=Round.Kind.FOLLOW_UP,
                        min_group_size=3)
    for value in (3, 3, 2, 1, 0, None):
        response = submit(round_, municipality=region.ale, unit=region.vikadamm)
        Response.objects.filter(pk=response.pk).update(knowledge_gain=value)
    for value in (3, 1, None):
        response = submit(round_, municipality=region.tjorn, unit=region.solgarden)
        Response.objects.filter(pk=response.pk).update(knowledge_gain=value)
    client = login(programme_admin)
    body = _results(client, round_)
    assert "Uppföljningsfrågor" in body and "Uppföljning knowledge_gain" in body
    # 7 answered the item (two skipped): yes 4 of 6 who answered yes or no, 1 "Vet inte".
    assert "<th scope=\"row\">Ja, mycket</th><td>3</td><td>43 %</td>" in body
    assert "<th scope=\"row\">Vet inte</th><td>1</td><td>14 %</td>" in body
    assert "<td>4 / 6</td><td>67 %</td>" in body
    # Ale alone: 5 answered the item: shown. Tjörn: 3 people (a group shown), of whom only 2
    # answered the item: too few to show its answers.
    ale = _results(client, round_, plats=f"k{region.ale.pk}")
    assert "<td>3 / 4</td><td>75 %</td>" in ale
    tjorn = _results(client, round_, plats=f"k{region.tjorn.pk}")
    assert "Uppföljningsfrågor" in tjorn and "1 / 2" not in tjorn
    assert "Dold: för få personer" in tjorn.split("Uppföljningsfrågor")[1]


def test_results_page_of_a_baseline_has_no_follow_up_section(login, programme_admin, region,
                                                             questionnaire):
    round_ = make_round(region.programme, questionnaire, min_group_size=3)
    for _n in range(4):
        response = submit(round_, municipality=region.ale, unit=region.vikadamm)
        Response.objects.filter(pk=response.pk).update(knowledge_gain=3)
    assert "Uppföljningsfrågor" not in _results(login(programme_admin), round_)


def test_questionnaire_pages_show_the_follow_up_items(login, programme_admin):
    latest = services.default_questionnaire("manager")
    client = login(programme_admin)
    detail = client.get(reverse("surveys:questionnaire-detail", kwargs={"pk": latest.pk}))
    body = detail.content.decode()
    assert "Uppföljningsfrågor" in body and "Har du ändrat minst en rutin" in body
    preview = client.get(reverse("surveys:questionnaire-preview", kwargs={"pk": latest.pk}))
    body = preview.content.decode()
    assert "Frågas bara i uppföljningar." in body and "Ja, flera rutiner" in body


def test_csv_export_has_the_follow_up_items_under_the_same_rules(login, programme_admin,
                                                                 region, questionnaire):
    round_ = make_round(region.programme, questionnaire, kind=Round.Kind.FOLLOW_UP,
                        min_group_size=3)
    for value in (3, 2, 1, 0):
        response = submit(round_, municipality=region.ale, unit=region.vikadamm)
        Response.objects.filter(pk=response.pk).update(knowledge_gain=value)
    client = login(programme_admin)
    export = reverse("surveys:round-results-export", kwargs={"pk": round_.pk, "fmt": "csv"})
    text = client.get(export).content.decode("utf-8-sig")
    assert "Uppföljningsfrågor" in text
    assert "Uppföljning knowledge_gain;Ja, mycket;1;25" in text
    assert "Uppföljning knowledge_gain;Ja, av dem som svarade ja eller nej;2 / 3;67" in text
