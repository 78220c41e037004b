"""Journey 1: an editor writes a statement, saves, reopens, changes it, previews, submits."""

import pytest

from statements.models import Edition
from statements.querysets import State
from tests.browser.journeys import (
    edition_url,
    editor_box,
    message,
    pdf_file,
    photo,
    settle,
    type_paragraphs,
    workflow_button,
)
from tests.factories import OrganisationFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_writes_saves_reopens_changes_previews_and_submits(people, editor, tmp_path):
    OrganisationFactory(name_en="Ministry of Foreign Affairs", is_default=True)
    TopicFactory(name_en="Mine action")
    person = people("editor")
    page = person.page
    person.log_in(editor)

    # From the admin's home to an empty statement.
    person.click(page.locator("tr.model-edition").get_by_role("link", name="Statements"))
    person.click(page.get_by_role("link", name="Add statement"))
    page.get_by_label("Title:").fill("Statement on mine awareness day")
    page.get_by_label("Summary:").fill("The ministry marks 4 April with figures from the register.")
    type_paragraphs(page, "Since the end of the conflict, ")
    # Nothing selected: the link button is unavailable, and says so to screen readers.
    link = page.locator(".prose-menubar button[title='insert link']").first
    assert link.get_attribute("aria-disabled") == "true"
    page.keyboard.press("Control+b")
    page.keyboard.type("350 people")
    page.keyboard.press("Control+b")
    page.keyboard.type(" became victims of landmines.")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the annual report")
    page.keyboard.press("Shift+Home")
    settle(page)
    assert link.get_attribute("aria-disabled") == "false"  # text selected: available
    link.click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill("https://www.un.org/en/observances/mine-awareness-day")
    dialog.get_by_role("button", name="Update").click()
    page.get_by_label("Mine action").check()
    page.get_by_label("Image:").set_input_files(photo(tmp_path))
    page.get_by_label("Image description (alt text):").fill("Deminers at work near Aghdam")
    page.get_by_text("Add another Attachment").click()
    page.get_by_label("Title (attachment 1)").fill("Annual report")
    page.get_by_label("File (attachment 1)").set_input_files(pdf_file(tmp_path))
    person.click(page.get_by_role("button", name="Save and continue editing"))

    assert "was added successfully" in message(page)
    statement = Edition.objects.get()
    assert statement.slug == "statement-on-mine-awareness-day"  # filled in by the admin's JS
    assert statement.body == (
        "<p>Since the end of the conflict, <strong>350 people</strong> became victims of "
        "landmines.</p><p>"
        '<a href="https://www.un.org/en/observances/mine-awareness-day" rel="noopener">'
        "Read the annual report</a></p>"
    )
    assert statement.image.name and statement.image_alt == "Deminers at work near Aghdam"
    assert [a.title for a in statement.attachments.all()] == ["Annual report"]
    assert [t.name_en for t in statement.topics.all()] == ["Mine action"]

    # Reopen it, change the text, save again: the change is kept.
    person.goto(edition_url(statement))
    assert "350 people" in editor_box(page).inner_text()
    type_paragraphs(page, "Most recent cases happened outside the mapped areas.")
    person.click(page.get_by_role("button", name="Save and continue editing"))
    person.goto(edition_url(statement))
    assert "outside the mapped areas" in editor_box(page).inner_text()
    statement.refresh_from_db()
    assert statement.body.endswith("<p>Most recent cases happened outside the mapped areas.</p>")

    # Preview shows the draft as the public will see it.
    person.click(workflow_button(page, "Save and preview"))
    assert page.locator("h1").inner_text() == "Statement on mine awareness day"
    assert "Draft — not published" in page.locator(".banner--draft").inner_text()
    assert page.get_by_role("img", name="Deminers at work near Aghdam").is_visible()
    assert page.locator(".attachments").get_by_role("link", name="Annual report").is_visible()

    # Type once more and go straight to "Submit for review": the text is saved first.
    person.goto(edition_url(statement))
    type_paragraphs(page, "The figures come from the national register.")
    person.click(workflow_button(page, "Submit for review"))
    assert "Your changes were saved." in message(page)
    page.get_by_label("Comment").fill("Ready for the publisher.")
    person.click(page.locator(".submit-row input[type=submit]"))

    assert "Done: Submit for review." in message(page)
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW
    assert statement.body.endswith("<p>The figures come from the national register.</p>")
    assert page.locator("#edition-status").inner_text().endswith("In review")


def test_pressing_enter_in_a_field_saves_and_never_starts_a_workflow_action(people, editor):
    from tests.factories import EditionFactory

    draft = EditionFactory(title="A draft", last_edited_by=editor)
    person = people("editor")
    person.log_in(editor)
    person.goto(edition_url(draft))

    person.page.get_by_label("Title:").fill("A draft, renamed")
    person.press("Enter", navigates=True)

    draft.refresh_from_db()
    assert draft.title == "A draft, renamed"
    assert draft.state == State.DRAFT  # Enter is Save, not the panel's first button


def test_leaving_a_page_with_unsaved_changes_asks_first(people, editor):
    from tests.factories import EditionFactory

    draft = EditionFactory(title="A draft")
    person = people("editor")
    page = person.page
    person.log_in(editor)
    person.goto(edition_url(draft))

    page.get_by_label("Title:").fill("A draft with a better title")
    asked = []

    def stay_on_the_page(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay_on_the_page)
    page.get_by_role("link", name="History").click(no_wait_after=True)
    page.wait_for_function("true")  # the dialog has been answered by now
    assert asked == ["beforeunload"]

    assert page.url.endswith(edition_url(draft))
    assert page.get_by_label("Title:").input_value() == "A draft with a better title"
    person.click(page.get_by_role("button", name="Save and continue editing"))  # no question
    draft.refresh_from_db()
    assert draft.title == "A draft with a better title"
