"""What every endpoint shares: throttling, CORS, conditional requests, documentation."""

import pytest

from tests.factories import EditionFactory
from victims.models import PartnerKey

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_with_retry_after(api, settings):
    from rest_framework.settings import api_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    try:
        # Each a different page size: a repeated request would be answered by the page cache
        # (pagecache/middleware.py), which serves the same bytes to all without the throttle.
        statuses = [api.get(f"/api/v1/statements/?page_size={n}").status_code for n in (1, 2, 3, 4)]
        response = api.get("/api/v1/statements/?page_size=5")
    finally:
        api_settings.reload()

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_each_key_has_its_own_rate(api, settings):
    from rest_framework.settings import api_settings

    rates = {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "1/minute",
        "key": "2/minute",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    _a, first = PartnerKey.objects.create_key(name="a", partner="A")
    _b, second = PartnerKey.objects.create_key(name="b", partner="B")
    try:
        first_statuses = [
            api.get(
                "/api/v1/casualties/incidents/", HTTP_AUTHORIZATION=f"Api-Key {first}"
            ).status_code
            for _ in range(3)
        ]
        second_status = api.get(
            "/api/v1/casualties/incidents/", HTTP_AUTHORIZATION=f"Api-Key {second}"
        ).status_code
    finally:
        api_settings.reload()

    assert first_statuses == [200, 200, 429]
    assert second_status == 200


def test_cors_allows_get_from_any_origin_and_nothing_else(api):
    response = api.get("/api/v1/statements/", HTTP_ORIGIN="https://partner.example")
    preflight = api.options(
        "/api/v1/statements/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    page = api.get("/en/", HTTP_ORIGIN="https://partner.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert "GET" in preflight.get("Access-Control-Allow-Methods", "")
    assert "Access-Control-Allow-Origin" not in page


def test_the_api_refuses_writes(api):
    assert api.post("/api/v1/statements/", {}).status_code == 405
    assert api.delete("/api/v1/statements/1/").status_code == 405


def test_etag_and_last_modified_give_304s(api, publish):
    statement = publish(EditionFactory())

    first = api.get("/api/v1/statements/")
    by_etag = api.get("/api/v1/statements/", HTTP_IF_NONE_MATCH=first["ETag"])
    detail = api.get(f"/api/v1/statements/{statement.document_id}/")
    by_date = api.get(
        f"/api/v1/statements/{statement.document_id}/",
        HTTP_IF_MODIFIED_SINCE=detail["Last-Modified"],
    )
    stats = api.get("/api/v1/casualties/stats/", {"group_by": "year"})
    stats_again = api.get(
        "/api/v1/casualties/stats/", {"group_by": "year"}, HTTP_IF_NONE_MATCH=stats["ETag"]
    )

    assert first["ETag"] and first["Last-Modified"]
    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert stats_again.status_code == 304


def test_the_schema_validates_and_documents_every_endpoint(api):
    import yaml
    from drf_spectacular.validation import validate_schema

    response = api.get("/api/v1/schema/")
    schema = yaml.safe_load(response.content)

    validate_schema(schema)
    assert set(schema["paths"]) >= {
        "/api/v1/statements/",
        "/api/v1/statements/{id}/",
        "/api/v1/statements/changes/",
        "/api/v1/casualties/stats/",
        "/api/v1/casualties/incidents/",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (path, method)
            if path != "/api/v1/":
                assert "400" in operation["responses"] or "404" in operation["responses"], path


def test_the_docs_are_served_by_the_project_without_inline_scripts(api):
    import re

    page = api.get("/api/v1/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith(("/static/", "/api/v1/docs/")) for source in sources)
    assert "<script>" not in page and "<style>" not in page
    script = api.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize(
    "position", ["o=99999999999999999999&p=x", "p=' OR 1=1--", "o=1&r=1&p=2024-01-01T00:00:00"]
)
def test_crafted_cursors_are_a_400_naming_cursor(client, position):
    import base64

    cursor = base64.b64encode(position.encode()).decode()
    response = client.get("/api/v1/statements/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("cursor:")


def test_an_id_too_large_for_the_database_is_a_404(client):
    response = client.get("/api/v1/statements/99999999999999999999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
