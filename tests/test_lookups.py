"""`field__in_json` (config/lookups.py): a list of values as one JSON parameter, on SQLite and
PostgreSQL alike, for integers and UUIDs."""

import json

import pytest

import config.lookups  # noqa: F401 (registers the lookup)
from statements.api.views import with_parts
from statements.models import Edition, Statement
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def test_it_finds_the_rows_whose_value_is_in_the_list():
    first, second, third = (EditionFactory() for _ in range(3))
    found = Edition.objects.filter(pk__in_json=json.dumps([first.pk, third.pk, 10**9]))
    assert set(found) == {first, third}
    assert not Edition.objects.filter(pk__in_json="[]").exists()
    keys = [third.document.translation_key.hex]
    assert list(Statement.objects.filter(translation_key__in_json=json.dumps(keys))) == [
        third.document
    ]
    assert second not in found


def test_the_list_is_one_parameter_whatever_its_length():
    short = Edition.objects.filter(pk__in_json="[1]").query.sql_with_params()
    long = Edition.objects.filter(pk__in_json=json.dumps(list(range(500)))).query
    assert short[0] == long.sql_with_params()[0]
    assert len(short[1]) == 1


def test_it_takes_the_list_as_json_text_only():
    with pytest.raises(TypeError, match="JSON array as text"):
        list(Edition.objects.filter(pk__in_json=[1, 2]))


def test_with_parts_gives_the_editions_in_the_order_asked(publish):
    editions = [publish(EditionFactory()) for _ in range(3)]
    asked = [editions[2].pk, 10**9, editions[0].pk]
    found, _snapshots = with_parts(asked)
    assert [row["id"] for row in found] == [editions[2].pk, editions[0].pk]
    assert [row["title"] for row in found] == [editions[2].title, editions[0].title]
    assert with_parts([]) == ([], {"snapshots": {}})
