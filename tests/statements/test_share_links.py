import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from statements import actions
from statements.models import StatementEvent, WorkflowError
from statements.sharing import make_token
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def link(statement, editor) -> str:
    return reverse("shared_preview", args=[actions.create_share_link(statement, by=editor)])


def test_a_share_link_shows_the_draft_to_anyone_marked_and_not_indexed(client, editor):
    statement = EditionFactory(title="Embargoed text")

    response = client.get(link(statement, editor))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Embargoed text</h1>" in page
    assert "Draft — not published" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert StatementEvent.objects.filter(action="share_link_created", actor=editor).exists()


def test_a_share_link_expires_after_the_configured_days(client, editor, settings):
    settings.SHARE_LINK_DAYS = 7
    statement = EditionFactory()
    url = link(statement, editor)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert client.get(url).status_code == 404


def test_revoking_invalidates_every_link_of_the_statement(client, editor):
    statement = EditionFactory()
    first, second = link(statement, editor), link(statement, editor)

    actions.revoke_share_links(statement, by=editor)

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 404
    assert client.get(link(statement, editor)).status_code == 200  # a new one works
    assert StatementEvent.objects.filter(action="share_links_revoked").exists()


@pytest.mark.parametrize("tamper", ["swap_id", "garbage", "truncate"])
def test_a_tampered_link_is_not_found(client, editor, tamper):
    statement = EditionFactory()
    other = EditionFactory(title="Another draft")
    token = actions.create_share_link(statement, by=editor)
    if tamper == "swap_id":
        token = make_token(other).split(":")[0] + ":" + ":".join(token.split(":")[1:])
    elif tamper == "garbage":
        token = "not-a-token"
    else:
        token = token[:-3]

    assert client.get(reverse("shared_preview", args=[token])).status_code == 404


def test_a_share_link_stops_showing_once_published(client, editor, publish):
    statement = EditionFactory()
    url = link(statement, editor)

    publish(statement)

    assert client.get(url).status_code == 404


def test_published_editions_get_no_share_link(editor, publish):
    statement = publish(EditionFactory())

    with pytest.raises(WorkflowError, match="drafts and editions in review"):
        actions.create_share_link(statement, by=editor)


def test_admin_creates_and_revokes_share_links(client, editor):
    statement = EditionFactory()
    client.force_login(editor)

    created = client.post(
        reverse("admin:statements_edition_share_link", args=[statement.pk]), follow=True
    )
    url = re.search(r'<a href="(http://testserver/preview/[^"]+)"', created.content.decode()).group(
        1
    )
    assert client.get(url).status_code == 200

    client.post(reverse("admin:statements_edition_revoke_share_links", args=[statement.pk]))
    assert client.get(url).status_code == 404


def test_share_link_endpoints_need_post_and_a_login(client, editor):
    statement = EditionFactory()
    share = reverse("admin:statements_edition_share_link", args=[statement.pk])

    assert client.post(share).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get(share).status_code == 403
    assert not StatementEvent.objects.filter(action="share_link_created").exists()
