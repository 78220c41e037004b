"""Every allowed and every forbidden change of state, through the named operations."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from statements import actions
from statements.models import Edition, StatementEvent, WorkflowError
from statements.querysets import State
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=datetime.UTC)


def events(statement):
    return list(
        StatementEvent.objects.filter(document=statement.document_id)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )


def test_editor_submits_a_draft_for_review_with_an_audit_row(editor):
    statement = EditionFactory()

    actions.submit(statement, by=editor, comment="ready")

    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW
    assert statement.submitted_by == editor
    event = StatementEvent.objects.get(document=statement.document_id)
    assert (event.action, event.from_state, event.to_state, event.comment, event.actor) == (
        "submit",
        "draft",
        "in_review",
        "ready",
        editor,
    )


def test_publisher_publishes_an_edition_in_review(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    with time_machine.travel(NOON, tick=False):
        actions.publish(statement, by=publisher)

    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert statement.go_live_at == NOON
    assert statement.public_updated_at == NOON
    assert statement.document.first_published_at == NOON
    assert events(statement)[-1] == ("publish", "in_review", "published")
    assert Edition.objects.published().get() == statement


def test_publisher_returns_an_edition_to_draft_with_a_comment(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    actions.return_to_draft(statement, by=publisher, comment="Check the figures in paragraph 2.")

    statement.refresh_from_db()
    assert statement.state == State.DRAFT
    assert StatementEvent.objects.filter(comment="Check the figures in paragraph 2.").exists()


def test_returning_to_draft_needs_a_comment(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    with pytest.raises(WorkflowError, match="Say what needs to change"):
        actions.return_to_draft(statement, by=publisher, comment="  ")
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


@pytest.mark.parametrize(
    ("start", "operation"),
    [
        ("draft", "publish"),
        ("draft", "return_to_draft"),
        ("draft", "withdraw"),
        ("draft", "unpublish"),
        ("draft", "unschedule"),
        ("in_review", "submit"),
        ("in_review", "withdraw"),
        ("in_review", "unpublish"),
        ("in_review", "unschedule"),
        ("published", "submit"),
        ("published", "publish"),
        ("published", "return_to_draft"),
        ("published", "unschedule"),
        ("withdrawn", "submit"),
        ("withdrawn", "publish"),
        ("withdrawn", "withdraw"),
        ("unpublished", "submit"),
        ("unpublished", "publish"),
        ("unpublished", "withdraw"),
        ("unpublished", "unpublish"),
    ],
)
def test_forbidden_state_changes_are_refused_and_change_nothing(
    start, operation, editor, publisher, publisher2, publish
):
    statement = EditionFactory()
    if start != "draft":
        actions.submit(statement, by=editor)
    if start in ("published", "withdrawn", "unpublished"):
        actions.publish(statement, by=publisher)
    if start == "withdrawn":
        actions.withdraw(statement, by=publisher, explanation="Superseded.")
    if start == "unpublished":
        actions.unpublish(statement, by=publisher, explanation="Published in error.")
    before = events(statement)
    calls = {
        "submit": lambda: actions.submit(statement, by=editor),
        "publish": lambda: actions.publish(statement, by=publisher2),
        "return_to_draft": lambda: actions.return_to_draft(statement, by=publisher2, comment="why"),
        "withdraw": lambda: actions.withdraw(statement, by=publisher2, explanation="why"),
        "unpublish": lambda: actions.unpublish(statement, by=publisher2, explanation="why"),
        "unschedule": lambda: actions.unschedule(statement, by=publisher2),
    }

    with pytest.raises(WorkflowError):
        calls[operation]()

    statement.refresh_from_db()
    assert statement.state == start
    assert events(statement) == before


@pytest.mark.parametrize("operation", ["publish", "return_to_draft"])
def test_editors_cannot_publish_or_return_to_draft(operation, editor, editor2):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    with pytest.raises(PermissionDenied):
        if operation == "publish":
            actions.publish(statement, by=editor2)
        else:
            actions.return_to_draft(statement, by=editor2, comment="no")
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_editors_cannot_withdraw_or_unpublish(editor, publish):
    statement = publish(EditionFactory())

    with pytest.raises(PermissionDenied):
        actions.withdraw(statement, by=editor, explanation="x")
    with pytest.raises(PermissionDenied):
        actions.unpublish(statement, by=editor, explanation="x")


def test_four_eyes_publisher_cannot_publish_what_they_submitted(publisher):
    statement = EditionFactory()
    actions.submit(statement, by=publisher)

    with pytest.raises(WorkflowError, match="four-eyes rule"):
        actions.publish(statement, by=publisher)
    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW


def test_four_eyes_publisher_cannot_publish_what_they_last_edited(editor, publisher):
    statement = EditionFactory(last_edited_by=publisher)
    actions.submit(statement, by=editor)

    with pytest.raises(WorkflowError, match="four-eyes rule"):
        actions.publish(statement, by=publisher)


def test_four_eyes_can_be_turned_off_for_a_one_person_office(settings, publisher):
    settings.STATEMENTS_FOUR_EYES = False
    statement = EditionFactory(last_edited_by=publisher)
    actions.submit(statement, by=publisher)

    actions.publish(statement, by=publisher)

    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED


def test_scheduled_statement_is_invisible_until_its_time(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    ten = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)

    with time_machine.travel(ten - datetime.timedelta(days=1), tick=False):
        actions.schedule(statement, by=publisher, at=ten)
        assert events(statement)[-1] == ("schedule", "in_review", "published")
    with time_machine.travel(ten - datetime.timedelta(seconds=1), tick=False):
        assert not Edition.objects.published().exists()
        statement.refresh_from_db()
        assert statement.is_scheduled
    with time_machine.travel(ten, tick=False):
        assert list(Edition.objects.published()) == [statement]


def test_scheduling_needs_a_future_time(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)

    with pytest.raises(WorkflowError, match="future"):
        actions.schedule(statement, by=publisher, at=timezone.now() - datetime.timedelta(minutes=1))


def test_unscheduling_takes_it_back_to_review_before_its_time(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    actions.schedule(statement, by=publisher, at=timezone.now() + datetime.timedelta(hours=2))

    actions.unschedule(statement, by=publisher)

    statement.refresh_from_db()
    assert statement.state == State.IN_REVIEW
    assert statement.go_live_at is None
    assert statement.document.first_published_at is None
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        assert not Edition.objects.published().exists()


def test_a_statement_that_has_gone_live_cannot_be_unscheduled(editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    actions.schedule(statement, by=publisher, at=timezone.now() + datetime.timedelta(minutes=5))

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)),
        pytest.raises(WorkflowError, match="scheduled for a future time"),
    ):
        actions.unschedule(statement, by=publisher)


def test_withdrawal_keeps_it_visible_with_a_time_and_explanation(publish, publisher):
    statement = publish(EditionFactory())

    actions.withdraw(statement, by=publisher, explanation="Replaced by the verified figures.")

    statement.refresh_from_db()
    assert statement.state == State.WITHDRAWN
    assert statement.withdrawn_at is not None
    assert list(Edition.objects.published()) == [statement]
    assert not Edition.objects.listed().exists()


def test_withdrawal_needs_an_explanation(publish, publisher):
    statement = publish(EditionFactory())

    with pytest.raises(WorkflowError, match="Explain"):
        actions.withdraw(statement, by=publisher, explanation="")


@pytest.mark.parametrize("withdraw_first", [False, True])
def test_unpublishing_removes_it_from_every_public_queryset(publish, publisher, withdraw_first):
    statement = publish(EditionFactory())
    if withdraw_first:
        actions.withdraw(statement, by=publisher, explanation="Old.")

    actions.unpublish(statement, by=publisher, explanation="Published in error.")

    statement.refresh_from_db()
    assert statement.state == State.UNPUBLISHED
    assert not Edition.objects.published().exists()


def test_new_edition_leaves_the_live_edition_public_until_published(publish, editor, publisher):
    first = publish(EditionFactory(title="Original title"))

    second = actions.create_new_edition(first, by=editor)
    second.title = "Corrected title"
    second.save()

    assert second.number == 2 and second.state == State.DRAFT
    assert list(Edition.objects.published()) == [first]
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="Corrected the title.")
    assert list(Edition.objects.published()) == [second]
    first.refresh_from_db()
    assert first.state == State.PUBLISHED  # superseded by time, not by a rewrite


def test_only_one_open_edition_at_a_time(publish, editor):
    first = publish(EditionFactory())
    actions.create_new_edition(first, by=editor)

    with pytest.raises(WorkflowError, match="already open"):
        actions.create_new_edition(first, by=editor)


def test_new_edition_copies_topics_and_attachments(publish, editor):
    from statements.models import Attachment
    from tests.factories import TopicFactory

    first = EditionFactory()
    first.topics.set([TopicFactory(), TopicFactory()])
    Attachment.objects.create(
        edition=first,
        title="Annex",
        file="attachments/a.pdf",
        media_type="application/pdf",
        size=9,
    )
    publish(first)

    second = actions.create_new_edition(first, by=editor)

    assert set(second.topics.all()) == set(first.topics.all())
    assert [(a.title, a.file.name) for a in second.attachments.all()] == [
        ("Annex", "attachments/a.pdf")
    ]


def test_major_change_needs_a_change_note_and_moves_the_update_date(publish, editor, publisher):
    with time_machine.travel(NOON, tick=False):
        first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)

    with pytest.raises(WorkflowError, match="change note"):
        actions.publish(second, by=publisher)
    later = NOON + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        actions.publish(second, by=publisher, change_note="Added the 2025 figures.")

    second.refresh_from_db()
    assert second.public_updated_at == later
    assert second.document.first_published_at == NOON
    assert [e.change_note for e in second.public_change_notes()] == ["Added the 2025 figures."]


def test_minor_change_leaves_no_public_trace(publish, editor, publisher):
    with time_machine.travel(NOON, tick=False):
        first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)

    with time_machine.travel(NOON + datetime.timedelta(days=2), tick=False):
        actions.publish(second, by=publisher, minor_change=True, change_note="typo")

    second.refresh_from_db()
    assert second.public_updated_at == NOON
    assert second.change_note == ""
    assert second.public_change_notes() == []


def test_the_first_edition_needs_no_change_note(editor, publisher):
    statement = EditionFactory(change_note="should not show")
    actions.submit(statement, by=editor)

    actions.publish(statement, by=publisher)

    statement.refresh_from_db()
    assert statement.change_note == ""


def test_scheduled_update_replaces_the_live_edition_at_its_time(publish, editor, publisher):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    at = timezone.now() + datetime.timedelta(hours=1)

    actions.schedule(second, by=publisher, at=at, change_note="New figures.")

    assert list(Edition.objects.published()) == [first]
    with time_machine.travel(at):
        assert list(Edition.objects.published()) == [second]


def test_operations_never_overwrite_a_newer_edit(editor, publisher):
    statement = EditionFactory(title="Old title")
    stale = Edition.objects.get(pk=statement.pk)
    Edition.objects.filter(pk=statement.pk).update(title="Newer title")

    actions.submit(stale, by=editor)

    statement.refresh_from_db()
    assert statement.title == "Newer title"
    assert statement.state == State.IN_REVIEW
