"""SQL statements per respondent page, asserted as ceilings (issue 4, "Speed and loss").

A campaign sends tens of respondents a second through these pages, so each may cost only a
handful of statements. The figures are for a frozen questionnaire (as every published round
has); the ceilings include the SAVEPOINT/RELEASE pair the test transaction adds around each
atomic block. docs/performance.md quotes them.
"""

import pytest
from django.db import connection
from django.utils import timezone

from modig.surveys import answering
from modig.surveys.models import Questionnaire, Response
from modig.surveys.tests.factories import make_invitation, make_round
from modig.surveys.tests.test_answering import (
    ENTRY,
    PROFILE,
    START,
    page_url,
    rating_data,
)


@pytest.fixture
def frozen_survey(region):
    round_ = make_round(region.programme)
    Questionnaire.objects.filter(pk=round_.questionnaire_id).update(frozen_at=timezone.now())
    round_.refresh_from_db()
    _invitation, _token, code = make_invitation(round_, region.anna)
    structure = answering.questionnaire_structure(round_.questionnaire)
    return round_, code, structure


def test_respondent_pages_cost_a_handful_of_queries(client, frozen_survey,
                                                    django_assert_max_num_queries):
    _round, code, structure = frozen_survey
    review = structure.page_count
    with django_assert_max_num_queries(0):
        assert client.get(ENTRY).status_code == 200
    with django_assert_max_num_queries(2):  # slow-down count, invitation by digest
        assert client.post(ENTRY, {"code": code}).status_code == 302
    answering.questionnaire_structure(_round.questionnaire)  # warm, as in a running server
    with django_assert_max_num_queries(1):
        assert client.get(START).status_code == 200
    # "Begin" is a link: the first page makes the response (once per person: on PostgreSQL
    # the person's pseudonym and employment read by the insert itself; elsewhere that reading,
    # then the insert and its savepoints), then the unit and occupation choices.
    with django_assert_max_num_queries(3 if connection.vendor == "postgresql" else 6):
        assert client.get(page_url(1)).status_code == 200
    with django_assert_max_num_queries(2):  # invitation, the unit and occupation choices
        assert client.get(page_url(1)).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.post(page_url(1), {"years_in_care": 1, "action": "next"}).status_code == 302
    for page in structure.pages[1:-1]:
        with django_assert_max_num_queries(2):  # invitation + response, this page's answers
            assert client.get(page_url(page.number)).status_code == 200
        # PostgreSQL: the invitation, then claim + upsert as one statement (answering.save_page);
        # elsewhere page update and upsert in a transaction (+ savepoints).
        with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 5):
            assert client.post(page_url(page.number), rating_data(page, 3)).status_code == 302
    with django_assert_max_num_queries(2):
        assert client.get(page_url(review)).status_code == 200
    # The invitation, then claim the response and mark the invitation (PostgreSQL: one
    # statement; elsewhere two updates in a transaction with its savepoints).
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 5):
        assert client.post(page_url(review), {"action": "submit"}).status_code == 302
    with django_assert_max_num_queries(2):
        assert client.get(PROFILE).status_code == 200


def test_a_page_with_an_answer_cleared_costs_no_round_trip_more_on_postgresql(client, frozen_survey,
                                                                django_assert_max_num_queries):
    _round, code, structure = frozen_survey
    client.post(ENTRY, {"code": code})
    client.get(page_url(1))
    page = structure.page(2)
    client.post(page_url(2), rating_data(page, 3))
    data = rating_data(page, 3)
    data.pop(f"item-{page.items[0].pk}")
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 6):
        assert client.post(page_url(2), data).status_code == 302


def test_the_response_is_started_in_one_statement_on_postgresql_and_matches_its_row(
        frozen_survey, django_assert_max_num_queries):
    _round, code, _structure = frozen_survey
    invitation, _problem = answering.find_by_code(code)
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 4):
        response = answering.start_response(invitation)
    stored = Response.objects.get(invitation=invitation)
    assert response.pk == stored.pk and response._state.adding is False
    for field in Response._meta.concrete_fields:
        assert getattr(response, field.attname) == getattr(stored, field.attname), field.name
    assert stored.respondent_key == invitation.person.pseudonym  # a pseudonymous round
    assert stored.current_page == 1 and stored.started_at is not None
    # Started again (a second device, the same moment): the same response, no second row.
    again = answering.start_response(answering.find_by_code(code)[0])
    assert again.pk == response.pk and Response.objects.count() == 1


def test_a_start_from_a_stale_reading_takes_the_response_another_request_made(frozen_survey):
    _round, code, _structure = frozen_survey
    stale, _problem = answering.find_by_code(code)  # read before any response exists
    first = answering.start_response(answering.find_by_code(code)[0])
    second = answering.start_response(stale)  # its insert conflicts: the existing one
    assert second.pk == first.pk and Response.objects.count() == 1
