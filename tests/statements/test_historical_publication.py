"""A statement that was public elsewhere before it moved here keeps its first publication
date: on its page, in its JSON-LD and in the audit trail, without claiming an update."""

import datetime
import json
import re
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from statements import actions
from statements.models import Edition, StatementEvent, WorkflowError
from statements.querysets import State
from tests.conftest import ROOT
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
HISTORICAL = datetime.datetime(2024, 4, 4, 10, 0, tzinfo=BAKU)
SEED = ROOT / "tests" / "fixtures" / "mine_awareness_statement.txt"


def workflow_url(statement, action) -> str:
    return reverse("admin:statements_edition_workflow", args=[statement.pk, action])


def json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_publish_with_a_historical_time_sets_first_published_and_audits_it(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    before = timezone.now()

    actions.publish(
        statement, by=publisher, comment="From the archive.", first_published_at=HISTORICAL
    )

    statement.refresh_from_db()
    assert statement.document.first_published_at == HISTORICAL
    # The edition's own times are when it went live here: feeds and "updated since" see it.
    assert statement.go_live_at >= before
    assert statement.public_updated_at == statement.go_live_at
    event = StatementEvent.objects.get(document=statement.document_id, action="publish")
    assert event.comment == (
        "From the archive.\nFirst published elsewhere at 2024-04-04T10:00+04:00."
    )


@pytest.mark.parametrize(
    "when",
    [timezone.now() + datetime.timedelta(hours=1), timezone.now() + datetime.timedelta(days=400)],
)
def test_a_historical_time_must_be_in_the_past(editor, publisher, when):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    with pytest.raises(WorkflowError, match="must be in the past"):
        actions.publish(statement, by=publisher, first_published_at=when)

    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW
    assert statement.document.first_published_at is None


def test_a_historical_time_is_only_for_the_first_publication(editor, publisher, publish):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)

    with pytest.raises(WorkflowError, match="published for the first time"):
        actions.publish(
            second, by=publisher, change_note="Corrected.", first_published_at=HISTORICAL
        )

    second.refresh_from_db()
    assert second.state == State.IN_REVIEW
    assert second.document.first_published_at == first.go_live_at


def test_the_page_shows_the_historical_date_and_no_update(client, publish):
    statement = publish(EditionFactory(), first_published_at=HISTORICAL)

    html = client.get(statement.get_absolute_url()).content.decode()

    history = re.search(r'<footer class="statement__history">.*?</footer>', html, re.S).group(0)
    assert "Published 4 April 2024" in history
    assert "Last updated" not in history
    data = json_ld(html)
    assert data["datePublished"] == "2024-04-04T06:00:00+00:00"
    assert data["dateModified"] == data["datePublished"]
    assert '<meta property="article:published_time" content="2024-04-04T10:00:00+04:00">' in html
    assert '<meta property="article:modified_time" content="2024-04-04T10:00:00+04:00">' in html


def test_a_real_update_after_a_historical_publication_is_shown(client, editor, publisher, publish):
    first = publish(EditionFactory(), first_published_at=HISTORICAL)
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="Figures corrected.")
    second.refresh_from_db()

    html = client.get(second.get_absolute_url()).content.decode()

    today = timezone.localdate(second.public_updated_at)
    assert f"Published 4 April 2024 · Last updated {today.day} {today:%B %Y}" in html
    assert json_ld(html)["dateModified"] == second.public_updated_at.isoformat()


def test_the_publish_form_offers_the_historical_time_for_a_first_publication(
    client, editor, publisher
):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    client.force_login(publisher)
    assert 'name="first_published_at"' in client.get(workflow_url(statement, "publish")).text

    response = client.post(
        workflow_url(statement, "publish"),
        {"comment": "Moved from the old site.", "first_published_at": "2024-04-04T10:00"},
    )

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert statement.document.first_published_at == HISTORICAL
    assert StatementEvent.objects.get(document=statement.document_id, action="publish").comment == (
        "Moved from the old site.\nFirst published elsewhere at 2024-04-04T10:00+04:00."
    )


def test_the_publish_form_refuses_a_future_first_publication(client, editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    client.force_login(publisher)
    future = timezone.localtime() + datetime.timedelta(days=2)

    response = client.post(
        workflow_url(statement, "publish"),
        {"comment": "", "first_published_at": future.strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 200
    assert "The first publication elsewhere must be in the past." in response.text
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_the_publish_form_of_a_later_edition_has_no_historical_time(
    client, editor, publisher, publish
):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    client.force_login(publisher)

    assert 'name="first_published_at"' not in client.get(workflow_url(second, "publish")).text
    response = client.post(
        workflow_url(second, "publish"),
        {"comment": "", "change_note": "Fixed.", "first_published_at": "2024-04-04T10:00"},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.document.first_published_at == first.go_live_at  # the field was ignored


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-04T10:00", HISTORICAL),
        ("2024-04-04", datetime.datetime(2024, 4, 4, tzinfo=BAKU)),
    ],
)
def test_import_with_published_at_sets_the_first_publication(value, expected):
    call_command(
        "import_statement",
        str(SEED),
        "--language",
        "en",
        "--issued-on",
        "2024-04-04",
        "--publish",
        "--published-at",
        value,
    )

    statement = Edition.objects.published().get()
    assert statement.document.first_published_at == expected
    event = StatementEvent.objects.get(document=statement.document_id, action="publish")
    assert "First published elsewhere at 2024-04-04T" in event.comment


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--publish", "--published-at", "4 April 2024"], "Bad --published-at '4 April 2024'"),
        (["--publish", "--published-at", "2024-13-01"], "use YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
        (["--publish", "--published-at", "2999-01-01"], "must be in the past"),
        (["--published-at", "2024-04-04"], "--published-at goes with --publish"),
    ],
)
def test_import_refuses_a_bad_published_at_and_creates_nothing(extra, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_statement", str(SEED), "--language", "en", *extra)

    assert not Edition.objects.exists()
