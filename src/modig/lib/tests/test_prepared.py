"""lib.prepared: statements on its cursor are really prepared by PostgreSQL, once per
connection, and still seen by Django's query counting; elsewhere it is the usual cursor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modig.lib.prepared import prepared_cursor
from modig.surveys.tests.factories import make_invitation, make_round

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT %s + 1"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="prepared statements are PostgreSQL's")


def _prepared_here(fragment: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of this connection's prepared statements like fragment."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                       " WHERE statement LIKE %s", [f"%{fragment}%"])
        return cursor.fetchall()


def test_the_cursor_runs_statements_and_django_counts_them():
    with CaptureQueriesContext(connection) as queries, prepared_cursor(connection) as cursor:
        cursor.execute(STATEMENT, [41])
        assert cursor.fetchone() == (42,)
    assert len(queries) == 1


@on_postgresql
def test_a_statement_is_prepared_once_and_then_only_executed():
    # Django connects with prepare_threshold=None, which would switch preparation off for
    # every cursor; settings give the threshold, so this cursor's statements are prepared.
    for value in range(8):
        with prepared_cursor(connection) as cursor:
            cursor.execute(STATEMENT, [value])
            assert cursor.fetchone() == (value + 1,)
    [(generic, custom)] = _prepared_here("+ 1")
    # PostgreSQL plans the first five executions for their values, then keeps one plan.
    assert custom == 5 and generic == 3


@on_postgresql
def test_djangos_own_cursors_still_bind_on_the_client():
    with connection.cursor() as cursor:
        for value in range(3):
            cursor.execute("SELECT %s + 2", [value])
    assert _prepared_here("+ 2") == []


@on_postgresql
def test_the_respondent_lookup_is_prepared_by_a_page_request(client, region):
    round_ = make_round(region.programme)
    _invitation, _token, code = make_invitation(round_, region.anna)
    assert client.post("/svara/", {"code": code}).status_code == 302
    assert client.get("/svara/start/").status_code == 200
    assert _prepared_here('FROM "surveys_invitation" i'), "the invitation lookup was not prepared"
