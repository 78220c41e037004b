"""The database raises the register's version itself whenever an incident, casualty or area
changes, in the transaction of the change: a change made beside the site (SQL in psql, a bulk
`QuerySet.update()`, which sends no signal) is then on the next page too, as one made
through the models is (victims/signals.py raises it as well; two raises are harmless).

PostgreSQL: one trigger per statement (a bulk write raises the version once). SQLite, the
embedded database: one per row, as SQLite has no statement triggers.
"""

from django.db import migrations

TABLES = ("victims_incident", "victims_casualty", "victims_area")
EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION pagecache_register_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pagecache_publicversion
       SET version = version + 1,
           nonce = floor(random() * 4611686018427387903)::bigint
     WHERE surface = 'register';
    RETURN NULL;
END
$$;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_public_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pagecache_register_changed()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_public_version "
                    f"AFTER {event} ON {table} BEGIN "
                    "UPDATE pagecache_publicversion SET version = version + 1, "
                    "nonce = random() & 4611686018427387903 WHERE surface = 'register'; END"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_public_version ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS pagecache_register_changed()")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_public_version"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("pagecache", "0001_initial"),
        ("victims", "0006_snapshots"),
    ]

    operations = [migrations.RunPython(create, drop)]
