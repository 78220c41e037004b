"""The security baseline with DEBUG off (the test run's own settings)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_test_run_is_production_like():
    assert settings.DEBUG is False


@pytest.mark.parametrize("path", ["/en/", "/az/no-such-page/", "/admin/login/"])
def test_every_html_response_carries_the_security_headers(client, path):
    response = client.get(path, secure=True)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/en/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


def test_csrf_cookie_is_secure_and_http_only(client):
    response = client.get("/admin/login/", secure=True)

    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_session_cookie_is_secure_and_http_only(client, django_user_model):
    django_user_model.objects.create_user("ed", password="a-long-demo-password", is_staff=True)
    client.get("/admin/login/", secure=True)

    response = client.post(
        "/admin/login/",
        {"username": "ed", "password": "a-long-demo-password", "next": "/admin/"},
        secure=True,
    )

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_admin_forms_need_a_csrf_token(django_user_model):
    from django.test import Client

    django_user_model.objects.create_user("ed", password="a-long-demo-password", is_staff=True)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/admin/login/", {"username": "ed", "password": "a-long-demo-password"}, secure=True
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_login_sent_without_its_security_token_is_refused_in_the_admins_layout():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/admin/login/", {"username": "editor", "password": "secret"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "without a valid security token" in page and 'id="site-name"' in page
