"""An aggregate Django 5.2 lacks on SQLite: the rows of a group as one JSON array."""

import datetime

from django.db.models import Aggregate, JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class JSONRows(Aggregate):
    """A JSON array of one value per row (`JSONObject(...)` for a row as an object), on
    PostgreSQL and SQLite. The order of the elements is not defined (SQLite before 3.44 has
    no ORDER BY in an aggregate): sort them when read."""

    function = "JSONB_AGG"  # jsonb: Django reads it as text, then decodes it
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def json_rows(queryset: QuerySet, group: str, fields: dict[str, str]) -> Subquery:
    """A subquery: `fields` ({key: field}) of `queryset`'s rows, grouped by `group` (one group
    per outer row), as one JSON array; NULL when there are none."""
    return Subquery(
        queryset.order_by()
        .values(group)
        .annotate(rows=JSONRows(JSONObject(**fields)))
        .values("rows")
    )


def json_moment(text: str | None) -> datetime.datetime | None:
    """A time as a JSON row carries it (PostgreSQL: with its offset; SQLite: UTC without
    one)."""
    if text is None:
        return None
    value = parse_datetime(text)
    if value is None:
        raise ValueError(f"not a time: {text!r}")
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)
