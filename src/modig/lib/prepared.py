"""A cursor whose statements PostgreSQL prepares once per connection, for hot statements.

Django's PostgreSQL backend binds parameters on the client by default (psycopg's ClientCursor):
every statement is sent as text and parsed and planned anew. The handful of fixed statements
that run on every respondent request (surveys.answering) are worth preparing: a prepared
statement is parsed and planned once per connection, then only executed, which saves
PostgreSQL most of its CPU for a short statement. `prepared_cursor` gives those statements a
psycopg cursor with server-side binding that prepares each one on its first execution, wrapped
by Django as its own cursors are (so query counting, execute wrappers and error translation
apply). Every other statement keeps the backend's default.

A pooler in front of PostgreSQL must keep a session's prepared statements: PgBouncer in
transaction mode does since 1.21 (`max_prepared_statements`); docs/deploy.md says so.
"""

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper


class _PreparingCursor(psycopg.Cursor):
    """Server-side binding; each statement prepared on its first execution."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


def prepared_cursor(connection: BaseDatabaseWrapper):
    """A cursor for `connection` whose statements are prepared (PostgreSQL with psycopg 3);
    the backend's usual cursor elsewhere."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # As connection.cursor() does: with CONN_HEALTH_CHECKS a broken kept connection is
    # replaced before the request's first statement, which is often one of these.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_PreparingCursor(connection.connection))
