"""A NUL byte anywhere in a query string or a form is a 400 naming the problem, never a 500
(PostgreSQL refuses NUL in text, so it used to surface wherever the value reached a query)."""

import pytest

from tests.factories import AreaFactory, CasualtyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/en/statements/?q=mine%00",
        "/en/statements/feed.atom?topic=%00",
        "/en/statements/feed.rss?kind=a%00b",
        "/en/casualties/?year=2024%00",
        "/api/v1/casualties/stats/?group_by=sex&area=AZ-LAC%00",
        "/api/v1/statements/?topic=%00",
        "/api/v1/statements/?cursor=%00",
        "/admin/login/?next=/admin/%00",
        "/en/statements/%00/",
    ],
)
def test_a_nul_byte_in_an_address_is_a_400(client, url):
    CasualtyFactory(incident__area=AreaFactory(code="AZ-LAC"))

    response = client.get(url)

    assert response.status_code == 400
    query = url.partition("?")[2]
    name = next((part.split("=")[0] for part in query.split("&") if "%00" in part), "path")
    if url.startswith("/api/"):
        assert response.json() == {
            "detail": f"{name}: holds a character that is not allowed (a NUL byte)",
            "code": "invalid",
        }
    else:
        page = response.content.decode()
        assert "not allowed (a NUL byte)" in page
        assert ("The address" if name == "path" else f"“{name}”") in page


def test_a_nul_byte_in_a_form_is_a_400(client):
    response = client.post("/admin/login/", {"username": "ed\x00itor", "password": "x"})

    assert response.status_code == 400


def test_an_uploaded_file_may_hold_nul_bytes(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("register.csv", b"incident,date\x00\n")
    response = admin_client.post("/admin/victims/incident/import/", {"file": upload})

    assert response.status_code == 200  # the importer names the problem in the file
