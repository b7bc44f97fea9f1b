"""On PostgreSQL the event log and the audit trail only grow: the service's role is granted no
UPDATE, DELETE or TRUNCATE on them (docs/grants.sql, read here so that the document and the test
cannot drift apart), and triggers refuse those statements even from the tables' owner.

Each test makes a throwaway role inside its own transaction, which is rolled back with it."""

import re
import uuid
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from certification import workflow
from certification.events import EventVerb
from certification.models import Event
from tests.factories import draft_application

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GRANTS = Path(__file__).resolve().parent.parent / "docs" / "grants.sql"
TABLES = ["certification_event", "auditlog_logentry"]
ROLE_IN_THE_DOCUMENT = "rkcp_app"


def grant_statements(role: str) -> list[str]:
    """docs/grants.sql's statements, for `role` instead of the name the document gives it."""
    lines = [line for line in GRANTS.read_text().splitlines() if not line.lstrip().startswith("--")]
    statements = [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    return [re.sub(rf"\b{ROLE_IN_THE_DOCUMENT}\b", role, s) for s in statements]


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (our own table names)
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def application(owner_a):
    """An application with an event; owner_a's account was recorded in the trail when made."""
    draft = draft_application(owner=owner_a, complete=False, attested=False)
    workflow.application_withdraw(application=draft, actor=owner_a)
    assert all(row_counts().values())
    return draft


@pytest.fixture
def throwaway_role():
    role = f"rkcp_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    yield role
    # The test's transaction is rolled back, role and all; a test that failed half-way may have
    # left it aborted, when only that rollback puts the connection's own role back.
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    except DatabaseError:
        pass


def refused(cursor, sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        cursor.execute(sql)


def test_the_document_names_both_tables_and_grants_no_change():
    statements = grant_statements("someone")
    assert any(s.startswith("GRANT SELECT, INSERT ON TABLE") for s in statements)
    for statement in statements:
        assert all(table in statement for table in TABLES), statement
        if statement.startswith("GRANT"):
            assert not re.search(r"UPDATE|DELETE|TRUNCATE|ALL", statement), statement


def test_the_services_role_adds_and_reads_but_cannot_change_or_remove(
    application, owner_a, throwaway_role
):
    # What inserting a log entry reads first, while still allowed to read it.
    user_type = ContentType.objects.get_for_model(owner_a)
    before = row_counts()
    with connection.cursor() as cursor:
        # As where an operator first gave the role everything on every table: the document has
        # to take the changes away, not only leave them out.
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{throwaway_role}"')
        for statement in grant_statements(throwaway_role):
            cursor.execute(statement)
        cursor.execute(f'SET ROLE "{throwaway_role}"')

        # INSERT and SELECT, as the service makes them.
        Event.objects.record(
            application=application, actor=owner_a, verb=EventVerb.APPLICATION_WITHDRAWN
        )
        LogEntry.objects.log_create(
            owner_a, force_log=True, action=LogEntry.Action.ACCESS, content_type=user_type
        )
        assert row_counts() == {table: count + 1 for table, count in before.items()}

        for table in TABLES:
            for sql in (
                f"UPDATE {table} SET id = id",  # noqa: S608
                f"DELETE FROM {table}",  # noqa: S608
                f"TRUNCATE {table} CASCADE",
            ):
                refused(cursor, sql, match=f"permission denied for table {table}")
        cursor.execute("RESET ROLE")
    assert row_counts() == {table: count + 1 for table, count in before.items()}


def test_the_triggers_refuse_update_delete_and_truncate_even_from_the_tables_owner(
    application, throwaway_role
):
    before = row_counts()
    with connection.cursor() as cursor:
        # The rows' foreign keys are checked at commit; a table cannot change owner until they are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in TABLES:
            cursor.execute(f'ALTER TABLE {table} OWNER TO "{throwaway_role}"')
        # TRUNCATE ... CASCADE empties the tables that point at these too, which needs the right
        # to: without it the refusal would be for those tables, not by the trigger.
        cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{throwaway_role}"')
        cursor.execute(f'SET ROLE "{throwaway_role}"')

        for table in TABLES:
            for operation, sql in (
                ("UPDATE", f"UPDATE {table} SET id = id"),  # noqa: S608
                ("DELETE", f"DELETE FROM {table}"),  # noqa: S608
                ("TRUNCATE", f"TRUNCATE {table} CASCADE"),
            ):
                refused(cursor, sql, match=f"{table} is append-only: {operation} refused")
        cursor.execute("RESET ROLE")
    assert row_counts() == before


def test_the_triggers_refuse_update_and_delete_from_a_superuser_too(application):
    before = row_counts()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        assert cursor.fetchone()[0] == "on"  # the test database's own connection
        for table in TABLES:
            refused(cursor, f"UPDATE {table} SET id = id", f"{table} is append-only")  # noqa: S608
            refused(cursor, f"DELETE FROM {table}", f"{table} is append-only")  # noqa: S608
    assert row_counts() == before
