"""What happens when a dependency is away or a client lies about its address.

Redis down: the site serves without the cache (throttles fail open, figures are computed),
logs a warning and /healthz says "degraded". PostgreSQL away: 503 with Retry-After, in the
site's layout (JSON under /api/), never a 500. A spoofed X-Forwarded-For buys no extra
requests. bench/faults.sh repeats the outages against gunicorn and counts the answers.
"""

import json
import logging

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from config import cache as degrading

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once, as when Redis is stopped.
DEAD_REDIS = {
    "default": {
        "BACKEND": "config.cache.DegradingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def throttled(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    cache.clear()
    yield
    cache.clear()
    api_settings.reload()


@pytest.fixture
def redis_down():
    degrading._down_until = 0.0
    with override_settings(CACHES=DEAD_REDIS):  # Django's test signals rebuild the caches
        yield
    degrading._down_until = 0.0


# --- client addresses ---------------------------------------------------------------------


def test_a_spoofed_forwarded_for_buys_no_extra_requests(throttled):
    api = APIClient()
    statuses = [
        # A different page each time: the page cache would answer a repeated one.
        api.get(
            f"/api/v1/statements/?page_size={n + 1}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(10)
    ]

    assert statuses == [200, 200, 200] + [429] * 7


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(throttled, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    api_settings.reload()
    api = APIClient()

    sizes = iter(range(1, 100))  # a different page each time: not from the page cache

    def get(client_sent: str, proxy_saw: str) -> int:
        forwarded = f"{client_sent}, {proxy_saw}" if client_sent else proxy_saw
        return api.get(
            f"/api/v1/statements/?page_size={next(sizes)}",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # One real client behind the proxy, inventing a new address every time: throttled.
    same = [get(f"198.51.100.{n}", "203.0.113.5") for n in range(5)]
    # Two other real clients each get their own allowance.
    others = [get("", "203.0.113.6"), get("", "203.0.113.7")]

    assert same == [200, 200, 200, 429, 429]
    assert others == [200, 200]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.3", "198.51.100.1"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_believes_only_trusted_proxies(settings, rf, proxies, forwarded, expected):
    from config.client import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


# --- Redis away -----------------------------------------------------------------------------


def test_with_redis_down_the_api_and_pages_answer_and_throttles_fail_open(
    client, redis_down, caplog
):
    from tests.factories import CasualtyFactory

    CasualtyFactory()
    caplog.set_level(logging.WARNING, logger="config.cache")
    api = APIClient()

    statuses = [api.get("/api/v1/statements/").status_code for _ in range(5)]
    stats = api.get("/api/v1/casualties/stats/", {"group_by": "outcome"})
    page = client.get("/en/casualties/")
    home = client.get("/en/")

    assert statuses == [200] * 5
    assert stats.status_code == 200 and stats.json()["rows"]
    assert page.status_code == 200 and home.status_code == 200
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1  # once per outage, not once per request
    assert "Cache unavailable" in warnings[0].getMessage()


def test_health_says_degraded_with_200_when_only_the_cache_is_down(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_health_names_each_dependency_when_all_is_well(client):
    response = client.get("/healthz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


# --- PostgreSQL away ------------------------------------------------------------------------


@pytest.fixture
def database_away(monkeypatch):
    """Every query fails as it does while PostgreSQL restarts."""
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/en/", "The site is briefly unavailable"),
        ("/en/statements/", "The site is briefly unavailable"),
        ("/en/casualties/", "The site is briefly unavailable"),
        ("/ru/", "Сайт ненадолго недоступен"),
    ],
)
def test_pages_answer_503_with_retry_after_in_the_layout_while_the_database_is_away(
    path, heading, database_away
):
    from django.test import Client

    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert '<header class="site-header">' in page  # the site's layout
    assert f"<h1>{heading}</h1>" in page


def test_the_api_answers_503_json_while_the_database_is_away(database_away):
    response = APIClient(raise_request_exception=False).get("/api/v1/statements/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {
        "detail": "temporarily unavailable: try again",
        "code": "unavailable",
    }


@pytest.mark.urls("tests.urls_failing")
def test_any_other_server_error_is_still_a_500_without_retry_after():
    from django.test import Client

    response = Client(raise_request_exception=False).get("/en/boom/")

    assert response.status_code == 500
    assert "Retry-After" not in response
