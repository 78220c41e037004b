import datetime
import hashlib

import pytest

from statements import actions
from statements.authenticity import canonical_text, statement_digest
from statements.models import Edition
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def test_canonical_text_is_defined_by_title_date_and_body_text():
    text = canonical_text(
        "  Statement\u00a0on   4 April ",
        datetime.date(2024, 4, 4),
        "<p>First  paragraph &amp; more.</p><h2>Heading</h2><ul><li>Item</li></ul>",
    )

    assert text == "Statement on 4 April\n2024-04-04\n\nFirst paragraph & more.\nHeading\nItem\n"


def test_published_edition_carries_the_digest_of_its_canonical_text(publish):
    statement = publish(EditionFactory(title="Title", body="<p>Body.</p>"))

    expected = hashlib.sha256(b"Title\n2024-04-04\n\nBody.\n").hexdigest()
    assert statement.sha256 == expected


def test_digest_is_stable_when_nothing_in_the_text_changes(publish, editor, publisher):
    first = publish(EditionFactory(body="<p>Same text.</p>"))
    second = actions.create_new_edition(first, by=editor)
    second.place = "Baku"  # not part of the text
    second.summary = "Another summary"
    second.save()
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, minor_change=True)

    assert second.sha256 == first.sha256
    assert statement_digest(Edition.objects.get(pk=second.pk)) == first.sha256


def test_digest_changes_with_the_published_text(publish, editor, publisher):
    first = publish(EditionFactory(body="<p>65 killed.</p>"))
    second = actions.create_new_edition(first, by=editor)
    second.body = "<p>66 killed.</p>"
    second.save()
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="Corrected the figure.")

    assert second.sha256 != first.sha256


def test_page_shows_the_digest_and_the_canonical_text_matches_it(client, publish):
    statement = publish(EditionFactory(body="<p>Text to verify.</p>"))

    page = client.get(statement.get_absolute_url()).content.decode()
    canonical = client.get(statement.get_absolute_url() + "canonical.txt")

    assert "Verify this statement" in page
    assert f'<code class="digest">{statement.sha256}</code>' in page
    assert canonical.status_code == 200
    assert canonical["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(canonical.content).hexdigest() == statement.sha256


def test_canonical_text_of_a_draft_is_not_found(client):
    statement = EditionFactory()

    assert client.get(statement.get_absolute_url() + "canonical.txt").status_code == 404
