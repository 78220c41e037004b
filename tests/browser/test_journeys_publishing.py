"""Journeys 2 to 9: review, correction, scheduling, withdrawal, translation, share links, edit
conflicts and four eyes, each clicked through in Chromium by the people who do them."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from statements import actions
from statements.models import Edition, StatementEvent
from statements.querysets import State
from tests.browser.journeys import (
    STATEMENTS,
    confirm,
    edition_url,
    editor_box,
    message,
    type_paragraphs,
    workflow_button,
)
from tests.factories import EditionFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_publisher_returns_an_edition_to_draft_then_publishes_the_resubmitted_one(
    people, editor, publisher
):
    statement = EditionFactory(
        title="Statement on survivors' assistance",
        body="<p>Survivors need long-term care.</p>",
        last_edited_by=editor,
    )
    actions.submit(statement, by=editor)
    reviewer = people("publisher")
    writer = people("editor")

    # The publisher finds it among the editions in review and sends it back.
    reviewer.log_in(publisher)
    reviewer.click(reviewer.page.locator("tr.model-edition").get_by_role("link", name="Statements"))
    reviewer.click(
        reviewer.page.locator("#changelist-filter").get_by_role("link", name="In review")
    )
    rows = reviewer.page.locator("#result_list tbody tr")
    assert rows.count() == 1
    reviewer.click(rows.get_by_role("link", name="Statement on survivors' assistance"))
    reviewer.click(workflow_button(reviewer.page, "Return to draft"))
    confirm(reviewer, fill={"Comment": "Cite the register's figures for 2024."})
    assert "Done: Return to draft." in message(reviewer.page)

    # The editor sees why, fixes the text and submits again.
    writer.log_in(editor)
    writer.goto(edition_url(statement))
    writer.page.get_by_text("Who did what, newest first").click()
    assert (
        "Cite the register's figures for 2024." in writer.page.locator(".audit-events").inner_text()
    )
    type_paragraphs(writer.page, "In 2024 the register recorded 12 new casualties.")
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer, fill={"Comment": "Figures added."})

    # The publisher approves and publishes it.
    reviewer.goto(edition_url(statement))
    reviewer.click(workflow_button(reviewer.page, "Approve and publish"))
    confirm(reviewer)
    assert "Done: Approve and publish." in message(reviewer.page)
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert "12 new casualties" in statement.body

    # It is on the public list, its page, the feed and the API.
    reader = people("reader")
    reader.goto("/en/statements/")
    reader.click(reader.page.get_by_role("link", name="Statement on survivors' assistance"))
    assert reader.page.locator("h1").inner_text() == "Statement on survivors' assistance"
    assert "12 new casualties" in reader.page.locator(".statement__body").inner_text()
    feed = reader.page.request.get(f"{reader.base_url}/en/statements/feed.atom")
    assert "Statement on survivors&#x27; assistance" in feed.text() or (
        "Statement on survivors' assistance" in feed.text()
    )
    api = reader.page.request.get(f"{reader.base_url}/api/v1/statements/").json()
    assert [item["title"] for item in api["results"]] == ["Statement on survivors' assistance"]
    assert list(
        StatementEvent.objects.filter(document=statement.document_id)
        .order_by("pk")
        .values_list("action", "actor__username")
    ) == [
        ("submit", "editor1"),
        ("return_to_draft", "publisher1"),
        ("edit", "editor1"),
        ("submit", "editor1"),
        ("publish", "publisher1"),
    ]


def test_correction_minor_then_major_compare_and_restore(people, editor, publisher, publish):
    statement = EditionFactory(
        title="Statment on mine awareness",
        slug="statement-on-mine-awareness",
        body="<p>In 2023, 40 people were injured.</p>",
    )
    statement.topics.set([TopicFactory(name_en="Mine action")])
    publish(statement)
    TopicFactory(name_en="Victim assistance")
    writer = people("editor")
    reviewer = people("publisher")
    reader = people("reader")
    writer.log_in(editor)
    reviewer.log_in(publisher)

    # A typo: a new edition, published as a minor change, leaves no public trace.
    writer.goto(edition_url(statement))
    assert "This edition is frozen" in writer.page.locator("#content-related").inner_text()
    writer.click(workflow_button(writer.page, "Create a new edition to edit"))
    second = Edition.objects.get(document=statement.document, number=2)
    assert writer.page.url.endswith(edition_url(second))
    writer.page.get_by_label("Title:").fill("Statement on mine awareness")
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer)
    reviewer.goto(edition_url(second))
    reviewer.click(workflow_button(reviewer.page, "Approve and publish"))
    confirm(reviewer, check=("Minor change (no public note)",))
    reader.goto(statement.get_absolute_url())
    assert reader.page.locator("h1").inner_text() == "Statement on mine awareness"
    history = reader.page.locator(".statement__history").inner_text()
    assert "Last updated" not in history and "See all updates" not in history

    # New figures: a major change with a public note and a new "last updated" date.
    writer.goto(edition_url(second))
    writer.click(workflow_button(writer.page, "Create a new edition to edit"))
    third = Edition.objects.get(document=statement.document, number=3)
    type_paragraphs(writer.page, "In 2024, 12 more people were injured.")
    writer.page.get_by_label("Victim assistance").check()
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer)
    reviewer.goto(edition_url(third))
    reviewer.click(workflow_button(reviewer.page, "Approve and publish"))
    confirm(reviewer)  # no note: refused, the page says why
    assert "A major change needs a change note" in reviewer.page.locator(".errorlist").inner_text()
    confirm(reviewer, fill={"Public change note": "Added the figures for 2024."})
    reader.reload()
    history = reader.page.locator(".statement__history")
    assert "Last updated" in history.inner_text()
    history.get_by_text("See all updates").click()
    assert "Added the figures for 2024." in history.locator(".change-notes").inner_text()

    # Compare the edition as it was created with the published one; restore the older.
    writer.goto(edition_url(third))
    writer.click(writer.page.get_by_role("link", name="History"))
    history = writer.page.locator("#change-history").inner_text()
    assert "Submitted for review" in history and "Published" in history
    assert "Topics: Mine action → Mine action, Victim assistance" in history
    assert "Body: text changed: 7 words added, 0 words removed" in history
    writer.click(writer.page.locator("#change-history tbody tr").last.get_by_role("link"))
    assert "View" in writer.page.title()  # one revision, read-only
    writer.back()
    first_revision = writer.page.get_by_label("Compare")
    first_revision.select_option(index=first_revision.locator("option").count() - 1)
    writer.click(writer.page.get_by_role("button", name="Show differences"))
    added = " ".join(writer.page.locator(".diff ins").all_inner_texts())
    assert "2024, 12 more people were injured." in added
    writer.click(writer.page.get_by_role("button", name="Restore the older revision as a draft"))
    assert "restored as a draft" in message(writer.page)
    fourth = Edition.objects.get(document=statement.document, number=4)
    assert fourth.state == State.DRAFT
    assert "2024" not in fourth.body
    assert "2024" not in editor_box(writer.page).inner_text()


def test_publisher_schedules_unschedules_and_schedules_again(people, editor, publisher):
    statement = EditionFactory(title="Statement for the fourth of April")
    actions.submit(statement, by=editor)
    reviewer = people("publisher")
    reviewer.log_in(publisher)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    at = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)

    reviewer.goto(edition_url(statement))
    reviewer.click(workflow_button(reviewer.page, "Schedule"))
    assert "Time zone: Asia/Baku." in reviewer.page.locator("#content-main").inner_text()
    confirm(reviewer, fill={"Publish at": at.strftime("%Y-%m-%dT%H:%M")})
    assert "Scheduled" in reviewer.page.locator("#edition-status").inner_text()
    assert (
        f"Goes live at {at:%Y-%m-%d %H:%M}"
        in reviewer.page.locator("#content-related").inner_text()
    )

    reviewer.click(workflow_button(reviewer.page, "Unschedule"))
    confirm(reviewer, fill={"Comment": "The date moves."})
    assert reviewer.page.locator("#edition-status").inner_text().endswith("In review")

    reviewer.click(workflow_button(reviewer.page, "Schedule"))
    confirm(reviewer, fill={"Publish at": at.strftime("%Y-%m-%dT%H:%M")})
    statement.refresh_from_db()
    assert statement.is_scheduled and timezone.localtime(statement.go_live_at) == at

    reader = people("reader")
    reader.goto("/en/statements/")
    assert reader.page.get_by_text("Statement for the fourth of April").count() == 0
    with time_machine.travel(at + datetime.timedelta(minutes=1), tick=True):
        reader.reload()
        reader.click(reader.page.get_by_role("link", name="Statement for the fourth of April"))
        assert reader.page.locator("h1").inner_text() == "Statement for the fourth of April"


def test_publisher_withdraws_one_statement_and_unpublishes_another_for_a_replacement(
    people, publish, publisher
):
    withdrawn = publish(EditionFactory(title="January casualty figures"))
    mistaken = publish(EditionFactory(title="Statement published in error"))
    replacement = publish(EditionFactory(title="Corrected statement"))
    reviewer = people("publisher")
    reader = people("reader")
    reviewer.log_in(publisher)

    reviewer.goto(edition_url(withdrawn))
    reviewer.click(workflow_button(reviewer.page, "Withdraw"))
    confirm(
        reviewer,
        fill={"Explanation for the public": "The figures were revised on 10 May."},
    )
    reader.goto(withdrawn.get_absolute_url())
    notice = reader.page.locator(".notice--withdrawn").inner_text()
    assert "Withdrawn on" in notice and "The figures were revised on 10 May." in notice

    reviewer.goto(edition_url(mistaken))
    reviewer.click(workflow_button(reviewer.page, "Unpublish"))
    reviewer.page.get_by_label("Explanation for the public").fill("Published by mistake.")
    reviewer.page.get_by_label("Replacement statement").select_option(
        label=f"#{replacement.document_id} Corrected statement"
    )
    confirm(reviewer)
    mistaken.refresh_from_db()
    assert mistaken.state == State.UNPUBLISHED

    reader.goto(mistaken.get_absolute_url())
    assert reader.page.url.endswith(replacement.get_absolute_url())
    assert reader.page.locator("h1").inner_text() == "Corrected statement"


def test_translation_is_added_published_outdated_by_a_major_change_and_marked_current(
    people, editor, publisher, publish
):
    original = publish(
        EditionFactory(title="Statement on mine awareness", body="<p>English text.</p>")
    )
    writer = people("editor")
    reviewer = people("publisher")
    reader = people("reader")
    writer.log_in(editor)
    reviewer.log_in(publisher)

    writer.goto(edition_url(original))
    writer.click(workflow_button(writer.page, "Add translation: Azerbaijani"))
    azerbaijani = Edition.objects.get(document__language="az")
    assert writer.page.url.endswith(edition_url(azerbaijani))
    writer.page.get_by_label("Title:").fill("Mina təhlükəsi haqqında bəyanat")
    writer.page.get_by_label("Summary:").fill("Azərbaycan dilində qısa məzmun.")
    body = editor_box(writer.page)
    body.click()
    writer.page.keyboard.press("Control+a")
    writer.page.keyboard.type("Azərbaycan dilində mətn.")
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer)
    reviewer.goto(edition_url(azerbaijani))
    reviewer.click(workflow_button(reviewer.page, "Approve and publish"))
    confirm(reviewer)
    azerbaijani.refresh_from_db()
    assert azerbaijani.body == "<p>Azərbaycan dilində mətn.</p>"
    reader.goto(azerbaijani.get_absolute_url())
    assert reader.page.locator("h1").inner_text() == "Mina təhlükəsi haqqında bəyanat"

    # A major change to the original makes the translation outdated.
    writer.goto(edition_url(original))
    writer.click(workflow_button(writer.page, "Create a new edition to edit"))
    type_paragraphs(writer.page, "A paragraph added to the original.")
    writer.click(workflow_button(writer.page, "Submit for review"))
    confirm(writer)
    second = Edition.objects.get(document=original.document, number=2)
    reviewer.goto(edition_url(second))
    reviewer.click(workflow_button(reviewer.page, "Approve and publish"))
    confirm(reviewer, fill={"Public change note": "A paragraph was added."})

    reviewer.goto(f"{STATEMENTS}?translation=outdated")
    assert reviewer.page.locator("#result_list").get_by_text("Outdated").count() == 1
    reviewer.click(reviewer.page.get_by_role("link", name="Mina təhlükəsi haqqında bəyanat"))
    assert "Outdated translation" in reviewer.page.locator("#content-related").inner_text()
    reader.reload()
    assert reader.page.locator(".notice").count() == 1

    reviewer.click(workflow_button(reviewer.page, "Mark the translation as up to date"))
    assert "marked as up to date" in message(reviewer.page)
    assert "Outdated translation" not in reviewer.page.locator("#content-related").inner_text()
    reader.reload()
    assert reader.page.locator(".notice").count() == 0


def test_share_link_shows_the_draft_until_every_link_is_revoked(people, editor):
    draft = EditionFactory(title="Embargoed statement", body="<p>Not public yet.</p>")
    writer = people("editor")
    writer.log_in(editor)
    writer.goto(edition_url(draft))

    writer.click(workflow_button(writer.page, "Create a share link"))
    link = writer.page.locator("ul.messagelist a.share-link").get_attribute("href")
    outsider = people("journalist")  # a fresh browser, not signed in
    outsider.goto(link)
    assert outsider.page.locator("h1").inner_text() == "Embargoed statement"
    assert "Draft — not published" in outsider.page.locator(".banner--draft").inner_text()

    writer.click(workflow_button(writer.page, "Revoke all share links"))
    assert "revoked" in message(writer.page)
    outsider.allow_console_error("status of 404")
    outsider.goto(link)
    assert "expired or been revoked" in outsider.page.locator("main").inner_text()
    assert "Not public yet" not in outsider.page.content()


def test_second_of_two_editors_saving_the_same_draft_is_refused_and_keeps_their_text(
    people, editor, editor2
):
    draft = EditionFactory(title="Draft both open", body="<p>First words.</p>")
    first = people("editor one")
    second = people("editor two")
    first.log_in(editor)
    second.log_in(editor2)
    first.goto(edition_url(draft))
    second.goto(edition_url(draft))

    type_paragraphs(first.page, "Added by the first editor.")
    first.click(first.page.get_by_role("button", name="Save and continue editing"))
    second.page.get_by_label("Title:").fill("Draft, retitled by the second editor")
    type_paragraphs(second.page, "Added by the second editor.")
    second.click(second.page.get_by_role("button", name="Save and continue editing"))

    error = second.page.locator(".errornote, .errorlist").all_inner_texts()
    assert any("after you opened it" in text for text in error)
    assert second.page.get_by_label("Title:").input_value() == (
        "Draft, retitled by the second editor"
    )
    assert "Added by the second editor." in editor_box(second.page).inner_text()
    draft.refresh_from_db()
    assert draft.title == "Draft both open"
    assert "Added by the first editor." in draft.body and "second editor" not in draft.body


def test_four_eyes_a_publisher_cannot_publish_their_own_edition(people, publisher):
    draft = EditionFactory(title="Written by a publisher")
    person = people("publisher")
    person.log_in(publisher)
    person.goto(edition_url(draft))
    person.click(workflow_button(person.page, "Submit for review"))
    confirm(person)

    panel = person.page.locator("#content-related")
    assert panel.get_by_role("button", name="Return to draft").count() == 1
    assert panel.get_by_role("button", name="Approve and publish").count() == 0
    assert panel.get_by_role("button", name="Schedule").count() == 0

    person.allow_console_error("status of 403")
    person.goto(f"{STATEMENTS}{draft.pk}/workflow/publish/")
    refusal = person.page.locator("#content-main").inner_text()
    assert "You cannot publish your own edition: four-eyes rule" in refusal
    assert person.page.locator("#site-name").count() == 1  # in the admin's layout
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
