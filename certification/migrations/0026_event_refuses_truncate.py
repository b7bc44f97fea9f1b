"""On PostgreSQL, the events table refuses TRUNCATE too (0004 refuses UPDATE and DELETE, but
TRUNCATE fires no row trigger), except from a superuser: see common's 0001 for why."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION certification_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'certification_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certification_event_no_truncate
    BEFORE TRUNCATE ON certification_event
    FOR EACH STATEMENT EXECUTE FUNCTION certification_event_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS certification_event_no_truncate ON certification_event;
DROP FUNCTION IF EXISTS certification_event_no_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0025_queue_stream_includes_ports")]

    operations = [migrations.RunPython(create, drop)]
