"""Schemathesis against the whole OpenAPI schema: generated requests (a deterministic seed,
a few hundred cases) must never get a server error or a response that breaks the schema."""

import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from statements import actions
from tests.factories import AreaFactory, CasualtyFactory, EditionFactory, IncidentFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# What the acceptance asks: no server error, nothing outside the documented statuses, media
# types, bodies and headers. (Schema-valid but unknown values, e.g. a topic that does not
# exist, are a documented 400 here, so "positive data acceptance" is not among them.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def data(publish, publisher):
    area = AreaFactory(code="AZ-LAC", name="Laçın")
    for day in range(1, 8):
        CasualtyFactory(
            incident=IncidentFactory(area=area, occurred_on=datetime.date(2024, 1, day))
        )
    publish(EditionFactory())
    withdrawn = publish(EditionFactory())
    actions.withdraw(withdrawn, by=publisher, explanation="Old.")
    from victims.models import PartnerKey

    _record, key = PartnerKey.objects.create_key(name="fuzz", partner="Test")
    return key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_always_matches_its_schema(case, data):
    case.call_and_validate(headers={"Authorization": f"Api-Key {data}"}, checks=CHECKS)
