"""On PostgreSQL, the events table refuses UPDATE and DELETE, whoever issues them."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION certification_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'certification_event is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certification_event_append_only
    BEFORE UPDATE OR DELETE ON certification_event
    FOR EACH ROW EXECUTE FUNCTION certification_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS certification_event_append_only ON certification_event;
DROP FUNCTION IF EXISTS certification_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0003_applications_events_decisions")]

    operations = [migrations.RunPython(create, drop)]
