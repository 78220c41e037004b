import json

import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_503_when_the_database_is_unavailable(run_python):
    # A real outage: a PostgreSQL server address where nothing listens.
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    result = run_python(
        code,
        env={"DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable"},
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {
        "status": 503,
        "body": {"status": "error", "database": "unavailable", "cache": "ok"},
    }


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
