"""Journey 12: figures that hold. A publisher takes a snapshot of the register in the admin, an
editor cites it in a statement with two figure placeholders, the publisher checks the figures
and publishes, and a reader sees the numbers and the figures box; then the register changes
and the statement does not."""

import datetime

import pytest
from django.core.management import call_command

from demo.register import build_demo_register
from statements.models import Edition
from tests.browser.journeys import (
    confirm,
    edition_url,
    message,
    type_paragraphs,
    workflow_button,
)
from tests.factories import EditionFactory
from victims.models import Casualty, Snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_publisher_snapshots_the_register_and_a_statement_cites_it(
    people, editor, publisher, settings
):
    settings.CASUALTY_MIN_CELL = 5
    call_command("load_areas", "AZ", verbosity=0)
    build_demo_register(datetime.date(2026, 12, 6))
    statement = EditionFactory(
        title="Statement on the International Day for Mine Awareness",
        body="<p>Each year on 4 April the world marks the day.</p>",
        last_edited_by=editor,
    )
    office = people("publisher")
    writer = people("editor")
    office.log_in(publisher)
    writer.log_in(editor)

    # The publisher takes a snapshot: 10 November 2020 to 4 April 2024.
    office.click(
        office.page.locator("tr.model-snapshot").get_by_role("link", name="Register snapshots")
    )
    office.click(office.page.get_by_role("link", name="Add register snapshot"))
    office.page.get_by_label("Period from:").fill("2020-11-10")
    office.page.get_by_label("Period to:").fill("2024-04-04")
    office.click(office.page.get_by_role("button", name="Save", exact=True))
    assert "was added successfully" in message(office.page)
    snapshot = Snapshot.objects.get()
    assert snapshot.taken_by == publisher and snapshot.figures["casualties"] == 350

    # The editor cites it: two placeholders in the text, the snapshot chosen below it.
    writer.goto(edition_url(statement))
    assert "[[killed.civilian]]" in writer.page.locator(".form-row.field-body").inner_text()
    type_paragraphs(
        writer.page,
        "Since the end of the conflict, [[casualties]] people have become victims of mines;",
        "[[killed.civilian]] civilians were killed.",
    )
    choice = writer.page.get_by_label("Figures from register snapshot:")
    assert "Snapshot 1: 2020-11-10 – 2024-04-04 (taken" in choice.inner_text()
    choice.select_option(str(snapshot.pk))
    writer.click(writer.page.get_by_role("button", name="Save and continue editing"))
    assert "was changed successfully" in message(writer.page)
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer)

    # The publisher sees the figure check, then publishes.
    office.goto(edition_url(statement))
    office.click(workflow_button(office.page, "Approve and publish"))
    check = office.page.locator(".figure-check").inner_text()
    assert "[[casualties]]" in check and "350" in check and "[[killed.civilian]]" in check
    confirm(office)
    assert "Done: Approve and publish." in message(office.page)
    statement.refresh_from_db()
    assert statement.state == "published" and statement.figures_snapshot == snapshot

    # A reader sees the numbers and the box, and follows it to the snapshot.
    reader = people("reader")
    reader.goto(statement.get_absolute_url())
    body = reader.page.locator(".statement__body").inner_text()
    assert "Since the end of the conflict, 350 people have become victims of mines;" in body
    assert "50 civilians were killed." in body
    box = reader.page.locator(".figures-box")
    assert "Figures as of 4 April 2024 — register snapshot 1" in box.inner_text()
    digest = reader.page.locator("code.digest").inner_text()
    reader.click(box.get_by_role("link", name="Every figure of snapshot 1"))
    assert reader.page.locator("h1").inner_text() == "Register snapshot 1"
    assert snapshot.sha256 in reader.page.locator(".digest").inner_text()

    # The register changes; the statement says what it said.
    Casualty.objects.filter(outcome="killed", status="civilian").first().delete()
    reader.goto(statement.get_absolute_url())
    assert "50 civilians were killed." in reader.page.locator(".statement__body").inner_text()
    assert reader.page.locator("code.digest").inner_text() == digest
    assert Edition.objects.get(pk=statement.pk).sha256 == statement.sha256
