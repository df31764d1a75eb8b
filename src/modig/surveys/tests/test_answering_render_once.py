"""Respondent pages rendered once per process and filled in per request (respond_views).

The HTML must be what the template renders for this person, and anything the page shows that
can change (the round's name, the language, the person's answers, the CSRF token) must show as
it is now, never as the first visitor saw it.
"""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from modig.surveys import answering, scale
from modig.surveys.models import Questionnaire, Round
from modig.surveys.respond_forms import Question
from modig.surveys.respond_views import _page_form
from modig.surveys.tests.factories import make_invitation, make_round
from modig.surveys.tests.test_answering import (
    ENTRY,
    START,
    page_url,
    rating_data,
    start,
    submit,
)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def survey(region):
    round_ = make_round(region.programme)
    Questionnaire.objects.filter(pk=round_.questionnaire_id).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    first = make_invitation(round_, region.anna)
    second = make_invitation(round_, region.bertil)
    return round_, first, second, answering.questionnaire_structure(round_.questionnaire)


def open_page(client: Client, code: str, number: int) -> str:
    client.post(ENTRY, {"code": code})
    reply = client.get(page_url(number))
    assert reply.status_code == 200
    return reply.content.decode()


def test_a_question_page_is_the_html_the_template_renders(client, survey, rf):
    round_, (invitation, _token, code), _second, structure = survey
    html = open_page(client, code, 2)
    page = structure.page(2)
    invitation = answering.load_invitation(invitation.pk)
    response = answering.in_progress_response(invitation)
    form = _page_form(invitation, response, page,
                      answers=answering.saved_answers(response, page.item_ids))
    request = rf.get(page_url(2))
    token = CSRF_FIELD.search(html).group(1)
    expected = render_to_string("surveys/respond/page.html", {
        "round": round_, "structure": structure, "page": page, "form": form,
        "csrf_token": token}, request=request)
    assert html == expected


def test_each_person_sees_their_own_answers_and_their_own_token(survey):
    _round, (_i1, _t1, first_code), (_i2, _t2, second_code), structure = survey
    page = structure.page(2)
    first, second = Client(), Client()
    open_page(first, first_code, 1)
    first.post(page_url(3), {"page": 2, "action": "next",
                             **{f"item-{item.pk}": 5 for item in page.items}})
    mine = first.get(page_url(2)).content.decode()
    theirs = open_page(second, second_code, 2)
    assert mine.count('value="5" checked') == len(page.items)
    assert "checked" not in theirs
    assert CSRF_FIELD.search(mine).group(1) != CSRF_FIELD.search(theirs).group(1)


def test_a_renamed_round_and_another_language_show_at_once(client, survey):
    round_, (_invitation, _token, code), _second, _structure = survey
    assert round_.name in open_page(client, code, 2)
    assert round_.name in client.get(START).content.decode()
    Round.objects.filter(pk=round_.pk).update(name="Hösten 2026, ny")
    assert "Hösten 2026, ny" in client.get(page_url(2)).content.decode()
    assert "Hösten 2026, ny" in client.get(START).content.decode()
    swedish = client.get(page_url(2)).content.decode()
    english = client.get(page_url(2), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="sv"' in swedish and "Nästa" in swedish
    assert 'lang="en"' in english and "Next" in english


def test_a_rating_question_written_once_shows_each_answer_and_language(survey):
    _round, _first, _second, structure = survey
    item = structure.page(2).items[0]
    seen = set()
    for language in ("sv", "en"):
        with translation.override(language):
            for value in (None, 0, 1, 2, 3, 4, 5):
                def question(value=value):
                    return Question(item, f"item-{item.pk}", "scale", list(scale.CHOICES), value)
                first, again = question().html, question().html
                assert first == again == question()._html()  # kept, and as written afresh
                checked = re.findall(r'value="(\d)" checked', first)
                assert checked == ([] if value is None else [str(value)])
                assert escape(item.text) in first
                seen.add(first)
    assert len(seen) == 14  # seven answers in two languages, none confused with another
    edited = Question(item, f"item-{item.pk}", "scale", list(scale.CHOICES), 3,
                      text="En ändrad fråga")
    assert "En ändrad fråga" in edited.html
    wrong = Question(item, f"item-{item.pk}", "scale", list(scale.CHOICES), 3, error="Fel")
    assert "Fel" in wrong.html and "Fel" not in Question(
        item, f"item-{item.pk}", "scale", list(scale.CHOICES), 3).html


def _answer_and_send(client: Client, code: str, round_, value_of) -> str:
    """Answer every area page with value_of(page) and send; the profile page's HTML."""
    structure = answering.round_structure(round_)
    start(client, code)
    for page in structure.pages:
        if page.kind == answering.PageKind.AREA:
            client.post(page_url(page.number), rating_data(page, value_of(page)))
    reply = submit(client, round_)
    assert reply.status_code == 302
    return client.get(reply.headers["Location"]).content.decode()


def test_each_person_sees_their_own_profile_in_their_language(survey):
    round_, (_i1, _t1, first_code), (_i2, _t2, second_code), structure = survey
    areas = [page for page in structure.pages if page.kind == answering.PageKind.AREA]
    mine = _answer_and_send(Client(), first_code, round_,
                            lambda page: scale.DONT_KNOW if page == areas[0] else 2)
    theirs = _answer_and_send(Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.9"),
                              second_code, round_, lambda page: 5)
    count = len(areas[0].items)
    assert f"Du svarade ”vet inte” på {count} frågor här." in mine
    assert "Här kan du lära dig mest" not in mine  # the rated areas are all the same
    assert mine.count('class="bar bar-2"') == len(areas) - 1
    assert 'lang="sv"' in mine and "Föreslagna utbildningar" in mine
    assert "Du kan se den här sidan igen senare med samma länk eller kod." in mine
    assert "vet inte" not in theirs and "don't know" not in theirs
    assert theirs.count('class="bar bar-5"') == len(areas) and "bar-2" not in theirs
    assert 'lang="en"' in theirs and "Suggested courses" in theirs
    assert escape(areas[0].area.title_en or areas[0].area.title_sv) in theirs
    assert CSRF_FIELD.search(mine).group(1) != CSRF_FIELD.search(theirs).group(1)


def test_the_lowest_area_and_the_anonymous_wording_show_on_the_profile(region):
    round_ = make_round(region.programme, anonymity=Round.Anonymity.ANONYMOUS)
    Questionnaire.objects.filter(pk=round_.questionnaire_id).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    _invitation, _token, code = make_invitation(round_, region.anna)
    structure = answering.round_structure(round_)
    areas = [page for page in structure.pages if page.kind == answering.PageKind.AREA]
    html = _answer_and_send(Client(), code, round_, lambda page: 1 if page == areas[1] else 4)
    notice = html[html.index('<div class="notice">'):html.index("</div>", html.index("notice"))]
    assert "Här kan du lära dig mest" in notice and escape(areas[1].area.title_sv) in notice
    assert html.count("is-lowest") == 1
    assert "Enkäten är anonym: dina svar är inte längre kopplade till dig." in html
    assert "Du kan se den här sidan igen senare" not in html


def test_the_background_page_asks_in_the_persons_language(survey):
    _round, (_i1, _t1, code), _second, _structure = survey
    swedish = open_page(Client(), code, 1)
    assert '<option value="">Välj</option>' in swedish and ">Choose<" not in swedish
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="">Choose</option>' in open_page(english, code, 1)
