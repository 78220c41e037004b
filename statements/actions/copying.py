"""A new draft edition copied from an existing one: for a new edition and a translation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from statements.models import Attachment, Edition, Statement
from statements.querysets import State

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def copy_as_draft(
    edition: Edition,
    *,
    by: User | None,
    number: int,
    statement: Statement | None = None,
    reason: str = "new_edition",
) -> Edition:
    """A new draft edition with `edition`'s content, topics and attachments, as edition
    `number` of `statement` (default: the same statement)."""
    copy = Edition.objects.get(pk=edition.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.number = number
    if statement is not None:
        copy.document = statement
    copy.state = State.DRAFT
    copy.minor_change = False
    copy.change_note = ""
    copy.go_live_at = None
    copy.public_updated_at = None
    copy.withdrawn_at = None
    copy.withdrawal_explanation = ""
    copy.unpublished_at = None
    copy.unpublish_explanation = ""
    copy.replacement = None
    copy.submitted_by = None
    copy.created_by = by
    copy.last_edited_by = by
    copy.created_at = copy.updated_at = timezone.now()
    copy.lock_version = 0
    copy.sha256 = ""
    copy.search_vector = None
    # Its first revision must hold its topics too (restoring it must not drop them), so it
    # is written once the topics are set, not when the row is first saved.
    copy.skip_history_when_saving = True
    copy.save()
    copy.topics.set(edition.topics.all())
    del copy.skip_history_when_saving
    copy._history_user = by
    copy._change_reason = reason
    copy.save()
    copy.history.filter(history_id=copy.history.latest().history_id).update(history_type="+")
    Attachment.objects.bulk_create(
        Attachment(
            edition=copy,
            title=attachment.title,
            file=attachment.file.name,
            media_type=attachment.media_type,
            size=attachment.size,
            position=attachment.position,
        )
        for attachment in edition.attachments.all()
    )
    return copy
