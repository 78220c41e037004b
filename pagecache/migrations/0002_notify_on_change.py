"""Every change of the versions table NOTIFYs the channel that each process listens on
(pagecache/versions.py), whoever makes it: the site, a command, or SQL by hand. PostgreSQL
only; on SQLite every request reads the versions."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION pagecache_publicversion_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('pagecache_versions', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS pagecache_publicversion_changed ON pagecache_publicversion;
CREATE TRIGGER pagecache_publicversion_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pagecache_publicversion
    FOR EACH STATEMENT EXECUTE FUNCTION pagecache_publicversion_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS pagecache_publicversion_changed ON pagecache_publicversion;
DROP FUNCTION IF EXISTS pagecache_publicversion_notify();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
