"""An aggregate Django 5.2 lacks on SQLite: the rows of a group as one JSON array."""

from django.db.models import Aggregate, JSONField


class JSONRows(Aggregate):
    """A JSON array of one value per row (`JSONObject(...)` for a row as an object), on
    PostgreSQL and SQLite. The order of the elements is not defined (SQLite before 3.44 has
    no ORDER BY in an aggregate): sort them when read."""

    function = "JSONB_AGG"  # jsonb: Django reads it as text, then decodes it
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)
