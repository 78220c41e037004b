"""A GIN index on the search vector, on PostgreSQL (SQLite searches without one)."""

from django.db import migrations

INDEX = "statements_statement_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON statements_statement USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("statements", "0004_translations_observances_search_digest")]

    operations = [migrations.RunPython(create, drop)]
