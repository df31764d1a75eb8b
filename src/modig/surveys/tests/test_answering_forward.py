"""Pages that post their answers forward (respond_views.respond_page): one request per page.

Each page's form posts to the page the person goes to, with a hidden field naming the page the
answers belong to; that page is answered in the same request. These tests follow the forms as a
browser does: the action and the buttons' formaction are read from the page itself.
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from modig.surveys import answering
from modig.surveys.models import Answer, Questionnaire, Response, Round
from modig.surveys.respond_views import COOKIE_NAME
from modig.surveys.tests.factories import make_invitation, make_round
from modig.surveys.tests.test_answering import ENTRY, PROFILE, page_url

SAVED = "/svara/sparat/"


def form_of(html: str) -> dict:
    """The survey form's action, its hidden page number and each button's target."""
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html[html.index(
        "<main"):], re.S)
    assert form, html[:3000]
    action, inner = form.groups()
    page = re.search(r'name="page" value="(\d+)"', inner)
    buttons = {value: target or action for value, target in re.findall(
        r'<button type="submit" name="action" value="(\w+)"(?: formaction="([^"]+)")?', inner)}
    return {"action": action, "page": int(page.group(1)) if page else None, "buttons": buttons}


def ratings(page: answering.Page, value: int) -> dict:
    return {f"item-{item.pk}": value for item in page.items}


@pytest.fixture
def survey(region):
    round_ = make_round(region.programme)
    Questionnaire.objects.filter(pk=round_.questionnaire_id).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    invitation, _token, code = make_invitation(round_, region.anna)
    return round_, invitation, code, answering.questionnaire_structure(round_.questionnaire)


def begin(client, code) -> str:
    client.post(ENTRY, {"code": code})
    reply = client.get(page_url(1))
    assert reply.status_code == 200
    return reply.content.decode()


def test_each_page_posts_forward_and_names_its_own_page(client, survey):
    _round, _invitation, code, structure = survey
    html = begin(client, code)
    first = form_of(html)
    assert first["page"] == 1
    assert first["action"] == page_url(2)
    assert first["buttons"] == {"next": page_url(2), "later": SAVED}  # no "previous" on page 1
    reply = client.post(first["action"], {"page": 1, "years_in_care": 1, "action": "next"})
    assert reply.status_code == 200  # the next page itself, no redirect
    second = form_of(reply.content.decode())
    assert second["page"] == 2
    assert second["buttons"] == {"next": page_url(3), "previous": page_url(1), "later": SAVED}
    last = structure.page_count
    review = form_of(client.get(page_url(last)).content.decode())
    assert review["page"] == last
    assert review["buttons"] == {"submit": PROFILE, "previous": page_url(last - 1),
                                 "later": SAVED}


def test_a_whole_survey_one_request_per_page_and_one_response(client, survey):
    round_, invitation, code, structure = survey
    html = begin(client, code)
    requests = 0
    while True:
        form = form_of(html)
        page = structure.page(form["page"])
        data = {"page": page.number}
        if page.kind == answering.PageKind.AREA:
            data.update(ratings(page, 4))
        button = "submit" if "submit" in form["buttons"] else "next"
        reply = client.post(form["buttons"][button], {**data, "action": button})
        requests += 1
        assert reply.status_code == 200, reply.content.decode()[:2000]
        html = reply.content.decode()
        if button == "submit":
            break
    # Every question answered: the last page of questions sends, the last page is skipped.
    assert requests == structure.page_count - 1
    response = Response.objects.get(round=round_)
    assert response.submitted_at is not None
    assert Answer.objects.filter(response=response).count() == len(structure.rating_items)
    assert set(Answer.objects.filter(response=response).values_list("value", flat=True)) == {4}
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    # The acknowledgement is the person's profile, shown by the submitting request itself.
    assert 'message-success" role="status"' in html
    assert "<form" not in html[html.index("<main"):]


def test_a_double_tap_or_reload_of_send_gives_one_response(client, survey):
    round_, _invitation, code, structure = survey
    begin(client, code)
    last = structure.page_count
    first = client.post(PROFILE, {"page": last, "action": "submit"})
    again = client.post(PROFILE, {"page": last, "action": "submit"})
    assert first.status_code == again.status_code == 200
    assert 'message-success" role="status"' in again.content.decode()
    assert Response.objects.filter(round=round_).count() == 1
    assert Response.objects.filter(round=round_, submitted_at__isnull=False).count() == 1


def _to_last_questions(client, code, structure, value: int = 3) -> tuple[answering.Page, dict]:
    """Answer every page before the last page of questions; (that page, its form)."""
    html = begin(client, code)
    while True:
        form = form_of(html)
        page = structure.page(form["page"])
        if page.sends:
            return page, form
        data = {"page": page.number, "action": "next", **ratings(page, value)}
        html = client.post(form["buttons"]["next"], data).content.decode()


def test_the_last_page_of_questions_sends_and_says_so(client, survey):
    _round, _invitation, code, structure = survey
    page, form = _to_last_questions(client, code, structure)
    assert page.number == structure.page_count - 1
    assert form["action"] == PROFILE
    assert form["buttons"] == {"submit": PROFILE, "previous": page_url(page.number - 1),
                               "later": SAVED}
    html = client.get(page_url(page.number)).content.decode()
    assert "Det här är den sista sidan med frågor" in html
    assert "Skicka mina svar" in html


def test_sending_from_the_last_page_of_questions_saves_it_and_sends_once(client, survey):
    round_, _invitation, code, structure = survey
    page, _form = _to_last_questions(client, code, structure)
    data = {"page": page.number, "action": "submit", **ratings(page, 5)}
    first = client.post(PROFILE, data)
    again = client.post(PROFILE, data)  # a double tap, or a reload of the profile
    assert first.status_code == again.status_code == 200
    assert 'message-success" role="status"' in first.content.decode()
    response = Response.objects.get(round=round_)
    assert response.submitted_at is not None
    assert Answer.objects.filter(response=response).count() == len(structure.rating_items)
    assert set(Answer.objects.filter(response=response, item__in=page.items)
               .values_list("value", flat=True)) == {5}


def test_a_question_left_unanswered_leads_to_the_last_page_and_sends_nothing(client, survey):
    round_, _invitation, code, structure = survey
    page, _form = _to_last_questions(client, code, structure)
    data = {"page": page.number, "action": "submit", **ratings(page, 2)}
    data.pop(f"item-{page.items[0].pk}")
    reply = client.post(PROFILE, data)
    assert reply.status_code == 302
    assert reply.headers["Location"] == page_url(structure.page_count)
    response = Response.objects.get(round=round_)
    assert response.submitted_at is None
    assert response.current_page == structure.page_count
    assert Answer.objects.filter(response=response, item__in=page.items).count() == \
        len(page.items) - 1
    review = client.get(reply.headers["Location"]).content.decode()
    assert "Du har lämnat 1 fråga utan svar" in review
    # From there the person may still send the answers as they are.
    assert client.post(PROFILE, {"page": structure.page_count,
                                 "action": "submit"}).status_code == 200
    assert Response.objects.get(round=round_).submitted_at is not None


def test_an_answer_not_offered_on_the_last_page_of_questions_sends_nothing(client, survey):
    round_, _invitation, code, structure = survey
    page, _form = _to_last_questions(client, code, structure)
    data = {"page": page.number, "action": "submit", **ratings(page, 3)}
    data[f"item-{page.items[0].pk}"] = 9
    reply = client.post(PROFILE, data)
    assert reply.status_code == 400
    assert form_of(reply.content.decode())["page"] == page.number
    assert not Answer.objects.filter(item__in=page.items).exists()
    assert Response.objects.get(round=round_).submitted_at is None


def test_a_reload_sends_the_same_answers_again_and_changes_nothing(client, survey):
    _round, _invitation, code, structure = survey
    begin(client, code)
    page = structure.page(2)
    data = {"page": 2, **ratings(page, 2), "action": "next"}
    client.post(page_url(3), data)
    before = sorted(Answer.objects.values_list("item_id", "value"))
    reply = client.post(page_url(3), data)  # the browser's "send again?" after a reload
    assert reply.status_code == 200
    assert sorted(Answer.objects.values_list("item_id", "value")) == before
    assert len(before) == len(page.items)


def test_previous_saves_this_page_and_shows_the_one_before_with_its_answers(client, survey):
    _round, _invitation, code, structure = survey
    begin(client, code)
    two, three = structure.page(2), structure.page(3)
    client.post(page_url(3), {"page": 2, **ratings(two, 5), "action": "next"})
    reply = client.post(page_url(2), {"page": 3, **ratings(three, 1), "action": "previous"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert form_of(html)["page"] == 2
    assert html.count('value="5" checked') == len(two.items)  # page 2's saved answers
    assert Answer.objects.filter(item__in=three.items, value=1).count() == len(three.items)
    assert Response.objects.get().current_page == 2


def test_later_saves_the_page_and_the_code_brings_the_person_back_to_it(client, survey):
    _round, _invitation, code, structure = survey
    begin(client, code)
    three = structure.page(3)
    reply = client.post(SAVED, {"page": 3, **ratings(three, 2), "action": "later"})
    assert reply.status_code == 200
    assert reply.cookies[COOKIE_NAME].value == ""  # this browser forgets the survey
    assert Answer.objects.filter(item__in=three.items, value=2).count() == len(three.items)
    assert Response.objects.get().current_page == 3
    back = client.post(ENTRY, {"code": code})
    assert back.headers["Location"] == page_url(3)


def test_an_answer_not_offered_saves_nothing_and_shows_the_page_again(client, survey):
    _round, _invitation, code, structure = survey
    begin(client, code)
    two = structure.page(2)
    data = {"page": 2, **ratings(two, 3), "action": "next"}
    data[f"item-{two.items[0].pk}"] = 9
    reply = client.post(page_url(3), data)
    assert reply.status_code == 400
    assert form_of(reply.content.decode())["page"] == 2
    assert not Answer.objects.exists()
    assert Response.objects.get().current_page == 1


def test_a_page_number_that_does_not_exist_is_not_found(client, survey):
    _round, _invitation, code, _structure = survey
    begin(client, code)
    assert client.post(page_url(2), {"page": 99, "action": "next"}).status_code == 404


def test_send_after_the_round_closed_sends_nothing(client, survey):
    round_, _invitation, code, structure = survey
    begin(client, code)
    Round.objects.filter(pk=round_.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1))
    reply = client.post(PROFILE, {"page": structure.page_count, "action": "submit"})
    assert reply.status_code == 302
    assert not Response.objects.filter(submitted_at__isnull=False).exists()


def test_forward_pages_cost_a_handful_of_queries(client, survey, django_assert_max_num_queries):
    _round, _invitation, code, structure = survey
    begin(client, code)
    client.post(page_url(2), {"page": 1, "action": "next"})
    for page in structure.pages[1:-1]:
        # The invitation with its response, the save (PostgreSQL: one statement that also reads
        # the next question page's saved answers; elsewhere an update and an upsert in a
        # transaction with its savepoints, then the next page's answers). The last page reads
        # every answer for its count of unanswered questions, on its own.
        next_is_questions = structure.page(page.number + 1).kind == answering.PageKind.AREA
        postgresql = 2 if next_is_questions else 3
        with django_assert_max_num_queries(postgresql if connection.vendor == "postgresql"
                                           else 6):
            reply = client.post(page_url(page.number + 1),
                                {"page": page.number, **ratings(page, 3), "action": "next"})
            assert reply.status_code == 200
    # Send: invitation, claim the response and mark the invitation (PostgreSQL: one statement;
    # elsewhere two updates in a transaction with its savepoints), the answers for the profile.
    with django_assert_max_num_queries(3 if connection.vendor == "postgresql" else 6):
        assert client.post(PROFILE, {"page": structure.page_count,
                                     "action": "submit"}).status_code == 200


def test_sending_from_the_last_page_of_questions_costs_three_statements_on_postgresql(
        client, survey, django_assert_max_num_queries):
    """The invitation; the page saved with every rating read in the same statement (for the
    count of unanswered questions and the profile); the send. Elsewhere the save and the send
    are transactions of their own (with the test's savepoints) and the ratings a read."""
    round_, _invitation, code, structure = survey
    page, _form = _to_last_questions(client, code, structure)
    with django_assert_max_num_queries(3 if connection.vendor == "postgresql" else 11):
        reply = client.post(PROFILE, {"page": page.number, "action": "submit",
                                      **ratings(page, 4)})
    assert reply.status_code == 200
    assert Response.objects.get(round=round_).submitted_at is not None
