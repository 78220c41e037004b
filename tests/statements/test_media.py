"""Uploaded files as an attacker would try them: polyglots, guessable and embargoed
addresses, metadata, and the register's import files."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from statements import actions
from statements.models import Edition
from tests.factories import EditionFactory
from tests.statements.test_admin import ADD, form_data
from tests.statements.test_uploads import image_bytes, pdf

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.domain)</script></body></html>"
POLYGLOT = b"%PDF-1.7\n" + HTML


def add_with_attachment(client, filename: str, content: bytes, **extra) -> Edition:
    response = client.post(
        ADD,
        form_data(
            **{
                "attachments-TOTAL_FORMS": "1",
                "attachments-0-title": "Annex: mine risk education, 2024",
                "attachments-0-position": "0",
                "attachments-0-file": SimpleUploadedFile(filename, content, "text/html"),
            },
            **extra,
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    return Edition.objects.get()


def assert_file_headers(response, media_type: str, disposition: str) -> None:
    assert response["Content-Type"] == media_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith(disposition)


@pytest.mark.parametrize("filename", ["report.html", "report.svg", "report.js", "report.pdf"])
def test_a_pdf_html_polyglot_is_stored_as_pdf_and_downloaded(client, editor, publish, filename):
    client.force_login(editor)
    statement = add_with_attachment(client, filename, POLYGLOT)
    name = statement.attachments.get().file.name

    assert re.fullmatch(r"attachments/[0-9a-f]{32}\.pdf", name)
    publish(statement)
    client.logout()
    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert_file_headers(response, "application/pdf", "attachment;")
    assert 'filename="annex-mine-risk-education-2024.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == POLYGLOT  # the bytes, never as a page


@pytest.mark.parametrize("filename", ["photo.html", "photo.svg", "photo.js", "photo.png"])
def test_an_image_named_html_is_stored_under_its_real_type_and_shown_inline(
    client, editor, publish, filename
):
    client.force_login(editor)
    client.post(
        ADD,
        form_data(
            image_alt="Deminers at work",
            image=SimpleUploadedFile(filename, image_bytes(size=(600, 300)), "text/html"),
        ),
    )
    statement = publish(Edition.objects.get())
    client.logout()

    assert re.fullmatch(r"statements/[0-9a-f]{32}\.jpg", statement.image.name)
    response = client.get(statement.image.url)
    assert response.status_code == 200
    assert_file_headers(response, "image/jpeg", "inline")
    rendition = statement.image_renditions[0]["name"]
    assert re.fullmatch(r"statements/renditions/[0-9a-f]{32}-480w\.jpg", rendition)
    assert client.get(f"/media/{rendition}")["Content-Type"] == "image/jpeg"


def test_a_draft_s_files_answer_404_except_to_staff_and_share_links(
    client, editor, publisher, publish
):
    client.force_login(editor)
    statement = add_with_attachment(
        client,
        "a.pdf",
        pdf(),
        image_alt="Deminers",
        image=SimpleUploadedFile("p.jpg", image_bytes(size=(1000, 500))),
    )
    statement.refresh_from_db()
    files = [
        statement.attachments.get().file.url,
        statement.image.url,
        *(f"/media/{item['name']}" for item in statement.image_renditions),
    ]
    token = actions.create_share_link(statement, by=editor)

    staff = [client.get(url).status_code for url in files]
    staff_cache = client.get(files[0])["Cache-Control"]
    client.logout()
    anonymous = [client.get(url).status_code for url in files]
    shared = [client.get(url, {"share": token}).status_code for url in files]
    forged = [client.get(url, {"share": token[:-2] + "xx"}).status_code for url in files]

    assert staff == [200] * len(files)
    assert staff_cache == "private, no-store"
    assert anonymous == [404] * len(files)
    assert shared == [200] * len(files)
    assert forged == [404] * len(files)

    actions.revoke_share_links(statement, by=editor)
    assert client.get(files[0], {"share": token}).status_code == 404

    publish(statement)
    assert [client.get(url).status_code for url in files] == [200] * len(files)
    assert client.get(files[0])["Cache-Control"] == "public, max-age=3600"


def test_a_share_link_of_another_draft_does_not_open_this_draft_s_files(client, editor):
    client.force_login(editor)
    statement = add_with_attachment(client, "a.pdf", pdf())
    other = EditionFactory(title="Another draft")
    token = actions.create_share_link(other, by=editor)
    client.logout()

    assert client.get(statement.attachments.get().file.url, {"share": token}).status_code == 404


def test_the_shared_preview_links_its_files_with_the_token(client, editor):
    client.force_login(editor)
    statement = add_with_attachment(client, "a.pdf", pdf())
    token = actions.create_share_link(statement, by=editor)
    client.logout()

    page = client.get(reverse("shared_preview", args=[token])).content.decode()
    href = re.search(r'href="(/media/attachments/[^"]+)"', page)[1].replace("&amp;", "&")

    assert "share=" in href
    assert client.get(href).status_code == 200


def test_a_scheduled_statement_s_file_appears_when_it_goes_live(client, editor, publisher):
    client.force_login(editor)
    statement = add_with_attachment(client, "a.pdf", pdf())
    client.logout()
    url = statement.attachments.get().file.url
    go_live = timezone.now() + datetime.timedelta(hours=2)
    actions.submit(statement, by=editor)
    actions.schedule(statement, by=publisher, at=go_live)

    with time_machine.travel(go_live - datetime.timedelta(seconds=1)):
        before = client.get(url).status_code
    with time_machine.travel(go_live):
        after = client.get(url).status_code

    assert (before, after) == (404, 200)


@pytest.mark.parametrize(
    "path",
    [
        "/media/../config/settings.py",
        "/media/attachments/../../config/settings.py",
        "/media/register-imports/x.csv",
        "/media/attachments/nothing-here.pdf",
        "/media/%2e%2e/manage.py",
        "/media/",
    ],
)
def test_nothing_outside_the_statements_files_is_served(client, path):
    assert client.get(path).status_code == 404


def jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (400, 300), (90, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (40.0, 22.0, 0.0), 3: "E", 4: (47.0, 10.0, 0.0)}
    output = io.BytesIO()
    image.save(
        output,
        "JPEG",
        exif=exif.tobytes(),
        comment=b"Taken at Aghdam by officer J. Smith",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Photographer: J. Smith</x:xmpmeta>',
    )
    return output.getvalue()


def test_a_jpeg_loses_exif_gps_comment_and_xmp(client, editor):
    original = jpeg_with_metadata()
    with Image.open(io.BytesIO(original)) as before:  # the fixture carries all three
        assert before.getexif() and before.info.get("comment") and before.info.get("xmp")
    client.force_login(editor)

    client.post(
        ADD,
        form_data(image_alt="A field", image=SimpleUploadedFile("field.jpg", original)),
    )
    statement = Edition.objects.get()

    for name in [statement.image.name, *(r["name"] for r in statement.image_renditions)]:
        stored = client.get(f"/media/{name}")
        data = b"".join(stored.streaming_content)
        with Image.open(io.BytesIO(data)) as after:
            assert not after.getexif()
            assert not {"comment", "xmp", "exif", "icc_profile"} & set(after.info)
        assert b"Smith" not in data and b"Aghdam" not in data
        assert b"Exif" not in data and b"ns.adobe.com/xap" not in data
