"""Saving what an editor typed: a new statement, or an edit of an open edition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from statements.actions.base import require
from statements.models import Edition, StatementEvent
from statements.uploads import build_renditions
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ADD_PERMISSION = "statements.add_edition"


def save_edit(
    edition: Edition,
    *,
    by: User | None,
    created: bool,
    seen_version: int | None = None,
    image_changed: bool = False,
) -> None:
    """Save `edition` as the editor left it, with who and when, a revision and an audit
    row. `seen_version` is the lock version the editor's form was opened at (the form has
    already refused a stale one); `image_changed` rebuilds the image's renditions."""
    require(by, ADD_PERMISSION if created else EDIT_PERMISSION)
    with transaction.atomic():
        edition.last_edited_by = by
        edition.updated_at = timezone.now()
        if created:
            edition.created_by = by
            edition.lock_version = 0
        else:
            edition.lock_version = (seen_version or 0) + 1
        action = "create" if created else "edit"
        edition._history_user = by
        edition._change_reason = action
        edition.save()
        if image_changed:
            edition.image_renditions = build_renditions(edition.image.name) if edition.image else []
            Edition.objects.filter(pk=edition.pk).update(image_renditions=edition.image_renditions)
        StatementEvent.record(edition, by, action, edition.state, edition.state)


def record_attachments_edit(edition: Edition, *, by: User | None) -> None:
    """Only the attachments of an open edition changed: still an edit of the edition."""
    require(by, EDIT_PERMISSION)
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(
            last_edited_by=by,
            updated_at=timezone.now(),
            lock_version=F("lock_version") + 1,
        )
        StatementEvent.record(edition, by, "edit", edition.state, edition.state)
