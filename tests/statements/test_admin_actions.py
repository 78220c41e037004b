"""The workflow panel's buttons save first, refusals say why, history reads as words.

The browser journeys (tests/browser) click these; here each rule is pinned through the
admin's own URLs, including the cases a browser cannot reach on purpose.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from statements import actions
from statements.models import Edition, StatementEvent
from statements.querysets import State
from tests.factories import CasualtyFactory, EditionFactory, IncidentFactory
from tests.statements.test_admin import change_url, edit_data, text, workflow_url

pytestmark = pytest.mark.django_db


def test_a_workflow_button_saves_what_was_typed_before_the_action_starts(client, editor):
    draft = EditionFactory(body="<p>Old text.</p>")
    client.force_login(editor)

    response = client.post(
        change_url(draft), {**edit_data(draft, body="<p>Typed just now.</p>"), "_action": "submit"}
    )

    assert response.status_code == 302
    assert response["Location"] == workflow_url(draft, "submit")
    draft.refresh_from_db()
    assert draft.body == "<p>Typed just now.</p>"
    assert draft.state == State.DRAFT  # the confirmation page comes next
    assert "Your changes were saved." in text(client.get(response["Location"]))


def test_a_workflow_button_on_a_form_with_errors_saves_nothing_and_starts_nothing(client, editor):
    draft = EditionFactory(title="Kept title")
    client.force_login(editor)

    response = client.post(change_url(draft), {**edit_data(draft, title=""), "_action": "submit"})

    assert response.status_code == 200
    assert "This field is required" in text(response)
    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Kept title", State.DRAFT)


def test_a_workflow_button_on_an_untouched_page_saves_nothing_and_keeps_four_eyes_fair(
    client, editor, publisher
):
    edition = EditionFactory(last_edited_by=editor)
    actions.submit(edition, by=editor)
    edition.refresh_from_db()
    revisions = edition.history.count()
    client.force_login(publisher)

    untouched = edit_data(edition, place=edition.place)
    response = client.post(change_url(edition), {**untouched, "_action": "publish"})

    assert response["Location"] == workflow_url(edition, "publish")
    edition.refresh_from_db()
    assert edition.last_edited_by == editor  # the publisher did not become its editor
    assert edition.history.count() == revisions
    assert not StatementEvent.objects.filter(action="edit").exists()
    assert client.post(response["Location"], {"comment": ""}).status_code == 302
    edition.refresh_from_db()
    assert edition.state == State.PUBLISHED


def test_the_confirmation_page_refuses_an_edition_saved_after_it_was_opened(
    client, editor, editor2
):
    draft = EditionFactory()
    client.force_login(editor)
    page = text(client.get(workflow_url(draft, "submit")))
    seen = re.search(r'name="seen_version" value="(\d+)"', page).group(1)

    other = Client()
    other.force_login(editor2)
    assert (
        other.post(change_url(draft), edit_data(draft, title="Changed meanwhile")).status_code
        == 302
    )
    response = client.post(workflow_url(draft, "submit"), {"seen_version": seen, "comment": ""})

    assert response.status_code == 200
    assert "after you opened this page" in text(response)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_share_links_and_translations_start_from_the_edit_form_too(client, editor):
    draft = EditionFactory()
    client.force_login(editor)

    shared = client.post(
        change_url(draft), {**edit_data(draft), "_action": "share_link"}, follow=True
    )
    draft.refresh_from_db()
    translated = client.post(change_url(draft), {**edit_data(draft), "_action": "translate:ru"})

    assert re.search(r'class="share-link">http://testserver/preview/', text(shared))
    russian = Edition.objects.get(document__language="ru")
    assert translated["Location"] == change_url(russian)


def test_every_refusal_is_an_admin_page_with_the_reason(client, editor, publish):
    live = publish(EditionFactory())
    client.force_login(editor)

    typed = client.get(reverse("admin:statements_edition_new_edition", args=[live.pk]))
    not_a_publisher = client.get(workflow_url(live, "withdraw"))
    nothing_to_submit = client.get(workflow_url(live, "submit"))

    for response, reason in (
        (typed, "This address only answers the button on the statement"),
        (not_a_publisher, "Only a publisher (the Publishers group)"),
        (nothing_to_submit, "Only a draft can be submitted for review; this edition is published"),
    ):
        assert response.status_code == 403
        page = text(response)
        assert reason in page
        assert 'id="site-name"' in page and "Not allowed" in page


def test_a_form_sent_without_its_security_token_gets_an_admin_page_saying_so(editor):
    draft = EditionFactory(title="Untouched")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    response = browser.post(change_url(draft), edit_data(draft, title="Forged"))

    assert response.status_code == 403
    assert "without a valid security token" in text(response)
    assert 'id="site-name"' in text(response)
    draft.refresh_from_db()
    assert draft.title == "Untouched"


def test_an_edition_in_review_reads_in_review_beside_the_live_one(client, editor, publish):
    live = publish(EditionFactory())
    second = actions.create_new_edition(live, by=editor)
    actions.submit(second, by=editor)
    client.force_login(editor)

    page = text(client.get(change_url(second)))

    status = re.search(r'<p class="edition-status" id="edition-status">(.*?)</p>', page, re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", status.group(1)).split())
    assert words == (
        "Edition 2 (English): In review — the public sees edition 1 until this one is published"
    )
    assert "unpublished changes" not in page


def test_statement_history_says_who_did_what_in_words(client, editor, publisher):
    draft = EditionFactory(body="<p>First words of the text.</p>", last_edited_by=editor)
    client.force_login(editor)
    client.post(
        change_url(draft),
        edit_data(draft, body="<p>First words of the text, and three more.</p>", title="New"),
    )
    draft.refresh_from_db()
    actions.submit(draft, by=editor)

    page = text(client.get(reverse("admin:statements_edition_history", args=[draft.pk])))

    assert "Submitted for review" in page and "Edited" in page
    assert "editor1" in page
    assert "<strong>Body</strong>: text changed: 4 words added, 1 word removed" in page
    assert re.search(r"<strong>Title</strong>: Statement number \d+ → New", page)
    assert "<strong>State</strong>: Draft → In review" in page
    assert "<td>In review</td><td>New</td>" in page  # the state column, as a label
    for raw in ("&lt;p&gt;", "Deleted user", "pk=None", "Lock version", "Last edited by"):
        assert raw not in page


def test_incident_history_shows_labels_and_names_not_keys(client):
    from tests.factories import UserFactory

    reviewer = UserFactory(username="reviewer1", groups=["Register reviewers"])
    incident = IncidentFactory(device_category="unknown")
    CasualtyFactory(incident=incident)
    incident.device_category = "antipersonnel"
    incident._history_user = reviewer
    incident.save()
    client.force_login(reviewer)

    page = text(client.get(reverse("admin:victims_incident_history", args=[incident.pk])))

    assert "<strong>Device category</strong>: Unknown → Antipersonnel mine" in page
    assert "reviewer1" in page and "System (no signed-in user)" in page
    assert "Deleted" not in page and "pk=None" not in page


def test_history_names_topics_and_shows_times_in_the_local_zone(client, editor, publisher):
    from tests.factories import TopicFactory

    draft = EditionFactory(last_edited_by=editor)
    client.force_login(editor)
    topic = TopicFactory(name_en="Mine action")
    client.post(change_url(draft), {**edit_data(draft, place=""), "topics": [str(topic.pk)]})
    draft.refresh_from_db()
    actions.submit(draft, by=editor)
    actions.publish(draft, by=publisher)
    draft.refresh_from_db()

    response = client.get(reverse("admin:statements_edition_history", args=[draft.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "<strong>Topics</strong>: — → Mine action" in page
    local = timezone.localtime(draft.go_live_at)  # the suite runs in Asia/Baku
    assert f"<strong>Goes live at</strong>: — → {local:%Y-%m-%d %H:%M}" in page


def test_the_editor_writing_the_same_text_differently_is_not_a_change(client, editor, publisher):
    """The rich-text editor re-serialises links (target, rel) and spacing when a page opens: a
    publisher approving an untouched edition must not become its editor (four eyes)."""
    edition = EditionFactory(
        body='<p>See <a href="https://example.org/report" rel="noopener">the report</a>.</p>\n'
        "<p>Second paragraph.</p>",
        last_edited_by=editor,
    )
    actions.submit(edition, by=editor)
    edition.refresh_from_db()
    as_the_editor_sends_it = (
        '<p>See <a target="_blank" rel="noopener noreferrer nofollow" '
        'href="https://example.org/report">the report</a>.</p><p>Second paragraph.</p>'
    )
    client.force_login(publisher)

    response = client.post(
        change_url(edition),
        {**edit_data(edition, place="", body=as_the_editor_sends_it), "_action": "publish"},
    )

    assert response["Location"] == workflow_url(edition, "publish")
    edition.refresh_from_db()
    assert edition.last_edited_by == editor


def test_a_publisher_who_edits_then_approves_keeps_the_edit_and_is_told_why_not(
    client, editor, publisher
):
    edition = EditionFactory(body="<p>As submitted.</p>", last_edited_by=editor)
    actions.submit(edition, by=editor)
    edition.refresh_from_db()
    client.force_login(publisher)

    response = client.post(
        change_url(edition),
        {
            **edit_data(edition, place="", body="<p>Improved by the publisher.</p>"),
            "_action": "publish",
        },
        follow=True,
    )

    page = text(response)
    assert response.redirect_chain[-1][0] == change_url(edition)
    assert "Your changes were saved." in page
    assert "You cannot publish your own edition: four-eyes rule" in page
    edition.refresh_from_db()
    assert edition.body == "<p>Improved by the publisher.</p>"  # not rolled back
    assert edition.state == State.IN_REVIEW and edition.last_edited_by == publisher


def test_a_corrected_change_note_is_in_the_history_and_the_audit_trail_reads_as_words(
    client, editor, publisher, publisher2, publish
):
    live = publish(EditionFactory())
    second = actions.create_new_edition(live, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher2, change_note="Figures added for 2024.")
    client.force_login(publisher)

    client.post(
        reverse("admin:statements_edition_change_note", args=[second.pk]),
        {"change_note": "Figures for 2024 added."},
    )
    history = text(client.get(reverse("admin:statements_edition_history", args=[second.pk])))
    events = text(client.get(reverse("admin:statements_statementevent_changelist")))

    assert "Change note corrected" in history
    assert "Figures added for 2024. → Figures for 2024 added." in history
    for words in ("Change note corrected", "New edition started", "Submitted for review"):
        assert words in events
    for key in ("correct_change_note", "new_edition", "in_review"):
        assert f">{key}<" not in events


def test_a_new_editions_first_revision_holds_its_topics_and_restoring_it_keeps_them(
    client, editor, publish
):
    from tests.factories import TopicFactory

    live = EditionFactory()
    live.topics.set([TopicFactory(name_en="Mine action")])
    publish(live)
    second = actions.create_new_edition(live, by=editor)
    second.topics.set([])  # then an editor removes it
    client.force_login(editor)
    first = second.history.earliest()

    client.post(reverse("admin:statements_edition_restore", args=[second.pk, first.history_id]))

    assert (first.history_type, first.history_change_reason) == ("+", "new_edition")
    second.refresh_from_db()
    assert [topic.name_en for topic in second.topics.all()] == ["Mine action"]


@pytest.mark.parametrize("edits", [1, 30])
def test_statement_history_queries_do_not_grow_with_revisions(
    client, editor, edits, django_assert_max_num_queries
):
    draft = EditionFactory()
    for number in range(edits):
        draft.title = f"Title {number}"
        draft._history_user = editor
        draft.save()
    client.force_login(editor)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:statements_edition_history", args=[draft.pk]))

    assert response.content.decode().count("<strong>Title</strong>") == edits


# --- four eyes: who wrote the text, not who touched the edition last -----------------------


def write_draft(client, user, **fields) -> Edition:
    from tests.statements.test_admin import ADD, form_data

    client.force_login(user)
    assert client.post(ADD, form_data(**fields)).status_code == 302
    return Edition.objects.latest("pk")


def save(client, user, edition, **changes) -> None:
    edition.refresh_from_db()
    client.force_login(user)
    response = client.post(change_url(edition), {**edit_data(edition, **changes), "_save": "1"})
    assert response.status_code == 302, text(response)


def test_a_publisher_cannot_publish_their_own_text_saved_unchanged_and_submitted_by_another(
    client, publisher, editor
):
    """The review's sequence: the publisher writes; a colleague saves it without changing
    the text (here: a field changed and changed back, so that they are its last editor) and
    submits it; the publisher would publish text only they wrote."""
    edition = write_draft(client, publisher, place="Baku")
    save(client, editor, edition)
    save(client, editor, edition, place="Baku.")
    save(client, editor, edition, place="Baku")
    edition.refresh_from_db()
    actions.submit(edition, by=editor)
    edition.refresh_from_db()
    assert (edition.last_edited_by, edition.submitted_by) == (editor, editor)

    client.force_login(publisher)
    panel = text(client.get(change_url(edition)))
    refused = client.post(workflow_url(edition, "publish"), {"comment": ""})

    assert "Approve and publish" not in panel and "Return to draft" in panel
    assert refused.status_code == 403
    assert "You cannot publish your own edition: four-eyes rule" in text(refused)
    assert "you wrote part of its text" in text(refused)
    edition.refresh_from_db()
    assert edition.state == State.IN_REVIEW
    with pytest.raises(Exception, match="four-eyes rule"):
        actions.publish(edition, by=publisher)


def test_a_publisher_who_changed_a_colleague_s_text_cannot_publish_it(
    client, publisher, publisher2, editor
):
    edition = write_draft(client, editor)
    save(client, publisher, edition, title="A title the publisher rewrote")
    save(client, editor, edition, place="Baku, Azerbaijan")  # the editor saves last
    edition.refresh_from_db()
    actions.submit(edition, by=editor)

    assert edition.four_eyes_forbid(publisher)
    assert not edition.four_eyes_forbid(publisher2)
    actions.publish(edition, by=publisher2)  # another publisher may


def test_a_publisher_who_only_read_a_colleague_s_text_may_publish_it(client, publisher, editor):
    edition = write_draft(client, editor)
    save(client, editor, edition, summary="Rewritten summary.")
    edition.refresh_from_db()
    actions.submit(edition, by=editor)
    client.force_login(publisher)
    client.get(change_url(edition))  # reading is not writing

    edition.refresh_from_db()
    assert not edition.four_eyes_forbid(publisher)
    actions.publish(edition, by=publisher)
    assert edition.state == State.PUBLISHED


def test_starting_a_new_edition_is_not_writing_it(client, publisher, publisher2, editor):
    first = write_draft(client, editor)
    actions.submit(first, by=editor)
    actions.publish(first, by=publisher2)
    second = actions.create_new_edition(first, by=publisher)  # a copy of the published text
    save(client, editor, second, body="<p>An updated figure.</p>", change_note="Figures updated.")
    second.refresh_from_db()
    actions.submit(second, by=editor)

    assert not second.four_eyes_forbid(publisher)
    assert second.text_authors() == {editor.pk}


def test_the_audit_trail_names_the_edition_and_a_discarded_draft(
    client, editor, publisher, publish
):
    live = publish(EditionFactory(title="On mine awareness"))
    draft = actions.create_new_edition(live, by=editor)
    event = StatementEvent.objects.get(action="new_edition")
    client.force_login(publisher)

    events = text(client.get(reverse("admin:statements_statementevent_changelist")))
    assert "On mine awareness (2)" in events

    draft.delete()  # a discarded draft: its audit rows stay
    events = text(client.get(reverse("admin:statements_statementevent_changelist")))
    detail = text(client.get(reverse("admin:statements_statementevent_change", args=[event.pk])))

    assert f"(deleted) statement #{live.document_id}" in events
    assert "New edition started" in detail
    assert "new_edition" not in detail
