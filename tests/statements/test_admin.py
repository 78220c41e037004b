"""The editors' daily tool, through the admin's own URLs."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from statements import actions
from statements.models import Edition, Statement, StatementEvent
from statements.querysets import State
from tests.factories import EditionFactory, OrganisationFactory, UserFactory
from tests.statements.test_uploads import image_bytes, pdf, png_claiming

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:statements_edition_changelist")
ADD = reverse("admin:statements_edition_add")


def change_url(statement) -> str:
    return reverse("admin:statements_edition_change", args=[statement.pk])


def workflow_url(statement, action) -> str:
    return reverse("admin:statements_edition_workflow", args=[statement.pk, action])


def form_data(**overrides) -> dict:
    data = {
        "language": "en",
        "title": "Statement on mine awareness",
        "slug": "statement-on-mine-awareness",
        "summary": "A summary.",
        "body": "<p>Body text.</p>",
        "kind": "statement",
        "issued_on": "2024-04-04",
        "place": "Baku",
        "reference_number": "",
        "issuer": str(OrganisationFactory().pk),
        "image_alt": "",
        "change_note": "",
        "lock_version": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def edit_data(statement, **overrides) -> dict:
    current = {
        "title": statement.title,
        "slug": statement.slug,
        "summary": statement.summary,
        "body": statement.body,
        "issued_on": statement.issued_on.isoformat(),
        "issuer": str(statement.issuer_id),
        "lock_version": str(statement.lock_version),
    }
    return form_data(**{**current, **overrides})


def text(response) -> str:
    return response.content.decode()


def test_editor_creates_a_draft_and_the_body_is_sanitised(client, editor):
    client.force_login(editor)

    response = client.post(
        ADD, form_data(body='<p onclick="x()">Safe</p><script>alert(1)</script>')
    )

    assert response.status_code == 302, text(response)
    statement = Edition.objects.get()
    assert statement.state == State.DRAFT
    assert statement.body == "<p>Safe</p>"
    assert statement.document.language == "en"
    assert statement.created_by == editor and statement.last_edited_by == editor
    assert StatementEvent.objects.filter(action="create", actor=editor).count() == 1


def test_a_missing_title_is_a_form_error_and_nothing_is_saved(client, editor):
    client.force_login(editor)

    response = client.post(ADD, form_data(title=""))

    assert response.status_code == 200
    assert "This field is required" in text(response)
    assert not Edition.objects.exists()
    assert not Statement.objects.exists()


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_text(client, editor, editor2):
    statement = EditionFactory(lock_version=3)
    first = edit_data(statement, title="First editor's title")
    second = edit_data(statement, title="Second editor's title", body="<p>My careful text</p>")

    client.force_login(editor)
    assert client.post(change_url(statement), first).status_code == 302
    client.force_login(editor2)
    response = client.post(change_url(statement), second)

    assert response.status_code == 200
    page = text(response)
    assert "editor1 saved this statement at" in page
    assert "Your changes have not been saved" in page
    assert "Second editor&#x27;s title" in page and "My careful text" in page
    statement.refresh_from_db()
    assert statement.title == "First editor's title"


def test_every_save_keeps_a_revision_with_who_and_when(client, editor):
    statement = EditionFactory()
    client.force_login(editor)

    client.post(change_url(statement), edit_data(statement, title="Second version"))

    latest = statement.history.latest()
    assert latest.title == "Second version"
    assert latest.history_user == editor
    assert statement.history.count() == 2


def test_revisions_can_be_compared_and_an_old_one_restored_as_a_draft(client, editor, publish):
    statement = EditionFactory(title="Original wording", body="<p>Fifty civilians.</p>")
    client.force_login(editor)
    client.post(
        change_url(statement),
        edit_data(statement, title="Changed wording", body="<p>Sixty civilians.</p>"),
    )
    old, new = statement.history.order_by("history_date")

    compare = client.get(
        reverse("admin:statements_edition_compare", args=[statement.pk]),
        {"a": old.history_id, "b": new.history_id},
    )
    page = text(compare)
    assert compare.status_code == 200
    assert "<del>Original</del><ins>Changed</ins> wording" in page
    assert "<del>Fifty</del><ins>Sixty</ins> civilians." in page

    publish(Edition.objects.get(pk=statement.pk))
    restored = client.post(
        reverse("admin:statements_edition_restore", args=[statement.pk, old.history_id])
    )

    assert restored.status_code == 302
    draft = Edition.objects.get(document=statement.document, number=2)
    assert draft.state == State.DRAFT
    assert draft.title == "Original wording"
    assert draft.body == "<p>Fifty civilians.</p>"
    assert Edition.objects.published().get().title == "Changed wording"


def test_comparing_with_bad_revision_ids_is_a_message_not_an_error(client, editor):
    statement = EditionFactory()
    client.force_login(editor)

    response = client.get(
        reverse("admin:statements_edition_compare", args=[statement.pk]), {"a": "x", "b": "9"}
    )

    assert response.status_code == 302


def test_editor_sees_only_submit_and_publisher_sees_the_review_actions(client, editor, publisher):
    statement = EditionFactory()
    client.force_login(editor)
    page = text(client.get(change_url(statement)))
    assert "Submit for review" in page and "Approve and publish" not in page

    actions.submit(statement, by=editor)
    page = text(client.get(change_url(statement)))
    assert "Submit for review" not in page and "Approve and publish" not in page

    client.force_login(publisher)
    page = text(client.get(change_url(statement)))
    assert "Approve and publish" in page and "Schedule" in page and "Return to draft" in page


def test_workflow_buttons_call_the_named_operations(client, editor, publisher):
    statement = EditionFactory()
    client.force_login(editor)
    assert client.post(workflow_url(statement, "submit"), {"comment": ""}).status_code == 302
    client.force_login(publisher)

    response = client.post(workflow_url(statement, "publish"), {"comment": "Approved."})

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert list(
        StatementEvent.objects.filter(document=statement.document_id)
        .order_by("pk")
        .values_list("action", "actor__username", "comment")
    ) == [("submit", "editor1", ""), ("publish", "publisher1", "Approved.")]


def test_an_action_the_user_may_not_take_is_forbidden(client, editor):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    client.force_login(editor)

    response = client.post(workflow_url(statement, "publish"), {})

    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_four_eyes_hides_the_button_and_refuses_the_address_with_the_reason(client, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=publisher)
    client.force_login(publisher)

    page = text(client.get(change_url(statement)))
    typed = client.get(workflow_url(statement, "publish"))
    posted = client.post(workflow_url(statement, "publish"), {})

    assert "Approve and publish" not in page and "Return to draft" in page
    for response in (typed, posted):
        assert response.status_code == 403
        assert "You cannot publish your own edition: four-eyes rule" in text(response)
        assert 'id="site-name"' in response.content.decode()  # in the admin's layout
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_schedule_form_shows_the_time_zone_and_refuses_a_past_time(
    client, editor, publisher, settings
):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    client.force_login(publisher)

    page = text(client.get(workflow_url(statement, "schedule")))
    past = client.post(workflow_url(statement, "schedule"), {"go_live_at": "2020-01-01T10:00"})
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(workflow_url(statement, "schedule"), {"go_live_at": future})

    assert "Time zone: Asia/Baku." in page
    assert "Choose a time in the future" in text(past)
    assert ok.status_code == 302
    statement.refresh_from_db()
    assert statement.is_scheduled
    assert timezone.localtime(statement.go_live_at).strftime("%Y-%m-%dT%H:%M") == future


def test_published_edition_is_read_only_and_a_new_edition_can_be_created(client, editor, publish):
    statement = publish(EditionFactory(title="Live text"))
    client.force_login(editor)

    page = text(client.get(change_url(statement)))
    refused = client.post(change_url(statement), edit_data(statement, title="Sneaky edit"))
    created = client.post(reverse("admin:statements_edition_new_edition", args=[statement.pk]))

    assert 'name="title"' not in page and "This edition is frozen" in page
    # A save posted to it (the page was opened before it was published) is refused, and
    # what was typed stays in the form.
    assert "can no longer be changed" in text(refused)
    assert 'value="Sneaky edit"' in refused.content.decode()
    statement.refresh_from_db()
    assert statement.title == "Live text"
    assert created.status_code == 302
    draft = Edition.objects.get(document=statement.document, number=2)
    assert created["Location"] == change_url(draft)


def test_preview_shows_the_draft_as_the_public_page_would_with_noindex(client, editor):
    statement = EditionFactory(title="Unreleased text")
    client.force_login(editor)

    response = client.get(reverse("admin:statements_edition_preview", args=[statement.pk]))

    page = text(response)
    assert response.status_code == 200
    assert "Draft — not published" in page
    assert "<h1>Unreleased text</h1>" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_preview_needs_a_staff_login(client):
    statement = EditionFactory()

    response = client.get(reverse("admin:statements_edition_preview", args=[statement.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_publisher_corrects_a_change_note_with_an_audit_row(client, publish, editor, publisher2):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher2, change_note="Added figures for Marhc.")
    client.force_login(publisher2)

    response = client.post(
        reverse("admin:statements_edition_change_note", args=[second.pk]),
        {"change_note": "Added figures for March."},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.change_note == "Added figures for March."
    assert StatementEvent.objects.filter(
        action="correct_change_note", comment="Was: Added figures for Marhc."
    ).exists()


def test_editors_cannot_correct_change_notes(client, publish, editor, publisher2):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher2, change_note="Note.")
    client.force_login(editor)

    response = client.post(
        reverse("admin:statements_edition_change_note", args=[second.pk]), {"change_note": "x"}
    )

    assert response.status_code == 403


def test_only_a_superuser_can_delete_a_published_statement_after_a_warning(
    client, publish, publisher
):
    statement = publish(EditionFactory())
    delete_url = reverse("admin:statements_edition_delete", args=[statement.pk])
    client.force_login(publisher)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403

    superuser = UserFactory(username="root", is_superuser=True)
    client.force_login(superuser)
    warning = client.get(delete_url)
    assert "This statement has been public" in text(warning)
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Statement.objects.exists()


def test_a_bad_image_is_refused_with_a_form_error_and_nothing_is_saved(client, editor):
    client.force_login(editor)

    cases = {
        "text.jpg": (b"plain text, not an image\n" * 5, "not an image that can be read"),
        "bomb.png": (png_claiming(50_000, 50_000), "too many pixels"),
    }
    for name, (content, message) in cases.items():
        data = form_data(image_alt="Alt", image=SimpleUploadedFile(name, content))
        response = client.post(ADD, data)

        assert response.status_code == 200
        assert message in text(response)
    assert not Edition.objects.exists()
    assert not Statement.objects.exists()


def test_an_image_without_alt_text_is_refused(client, editor):
    client.force_login(editor)

    response = client.post(
        ADD, form_data(image=SimpleUploadedFile("p.jpg", image_bytes(size=(600, 300))))
    )

    assert "Describe the image for readers who cannot see it." in text(response)
    assert not Edition.objects.exists()


def test_a_good_image_is_stored_stripped_with_renditions(client, editor):
    from PIL import Image

    client.force_login(editor)

    response = client.post(
        ADD,
        form_data(
            image_alt="Deminers", image=SimpleUploadedFile("p.jpg", image_bytes(size=(1000, 500)))
        ),
    )

    assert response.status_code == 302
    statement = Edition.objects.get()
    assert [r["width"] for r in statement.image_renditions] == [480, 960, 1000]
    with statement.image.open() as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert not image.getexif()


def test_a_bad_attachment_is_refused_and_a_good_one_gets_type_and_size(client, editor):
    client.force_login(editor)
    inline = {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-title": "Annex",
        "attachments-0-position": "0",
    }

    bad = client.post(
        ADD,
        form_data(**inline, **{"attachments-0-file": SimpleUploadedFile("x.pdf", b"<html>")}),
    )
    assert "PDF or office documents" in text(bad)
    assert not Edition.objects.exists()

    good = client.post(
        ADD, form_data(**inline, **{"attachments-0-file": SimpleUploadedFile("a.pdf", pdf())})
    )
    assert good.status_code == 302
    attachment = Edition.objects.get().attachments.get()
    assert (attachment.media_type, attachment.size) == ("application/pdf", len(pdf()))


def test_changelist_shows_states_and_filters_by_them(client, editor, publisher, publish):
    EditionFactory(title="A draft")
    scheduled = EditionFactory(title="A scheduled one")
    actions.submit(scheduled, by=editor)
    actions.schedule(scheduled, by=publisher, at=timezone.now() + datetime.timedelta(days=1))
    live = publish(EditionFactory(title="A live one"))
    actions.create_new_edition(live, by=editor)
    client.force_login(editor)

    page = text(client.get(CHANGELIST))
    only_scheduled = text(client.get(CHANGELIST, {"state": "scheduled"}))

    assert "A draft" in page
    assert "Scheduled for" in page
    assert re.search(r">Draft</span>\s*<span[^>]*>\(an earlier edition is live\)", page)
    assert page.count(">A live one</a>") == 1  # one row per statement: its newest edition
    assert "A scheduled one" in only_scheduled and "A draft" not in only_scheduled


def test_changelist_searches_title_summary_and_body(client, editor):
    EditionFactory(title="About Kalbajar")
    EditionFactory(title="Other", body="<p>Mentions Lachin.</p>")
    client.force_login(editor)

    assert "About Kalbajar" in text(client.get(CHANGELIST, {"q": "Kalbajar"}))
    found = text(client.get(CHANGELIST, {"q": "Lachin"}))
    assert re.search(r">Other<", found) and "About Kalbajar" not in found


@pytest.mark.parametrize("count", [1, 50])
def test_changelist_queries_do_not_grow_with_statements(
    client, editor, count, django_assert_max_num_queries
):
    for _ in range(count):
        EditionFactory()
    client.force_login(editor)

    with django_assert_max_num_queries(14):
        assert client.get(CHANGELIST).status_code == 200


def test_an_editor_discards_a_draft_that_was_never_public(client, editor):
    statement = EditionFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:statements_edition_delete", args=[statement.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Statement.objects.exists()


def test_discarding_a_new_edition_keeps_the_live_one(client, editor, publish):
    live = publish(EditionFactory())
    draft = actions.create_new_edition(live, by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:statements_edition_delete", args=[draft.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert list(Edition.objects.all()) == [live]
    assert list(Edition.objects.published()) == [live]


def test_an_editor_cannot_delete_a_live_edition(client, editor, publish):
    live = publish(EditionFactory())
    client.force_login(editor)

    response = client.post(
        reverse("admin:statements_edition_delete", args=[live.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Edition.objects.published().exists()


def test_history_page_offers_to_compare_two_revisions(client, editor):
    statement = EditionFactory()
    client.force_login(editor)
    client.post(change_url(statement), edit_data(statement, title="Second version"))

    page = text(client.get(reverse("admin:statements_edition_history", args=[statement.pk])))

    assert "Show differences" in page
    assert page.count('<option value="') == 4  # two revisions in each of the two lists
