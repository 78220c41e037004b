from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from statements.actions.base import require
from statements.actions.new_edition import create_new_edition
from statements.actions.return_to_draft import return_to_draft
from statements.models import Edition, StatementEvent
from statements.querysets import State
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What a restored revision brings back: the text and how it is presented, not its state,
# dates or workflow fields.
RESTORED_FIELDS = [
    "title",
    "slug",
    "kind",
    "summary",
    "body",
    "issued_on",
    "place",
    "reference_number",
    "issuer_id",
    "image",
    "image_alt",
    "image_renditions",
]


def restore_revision(edition: Edition, revision: Any, *, by: User | None) -> Edition:
    """Bring back an old revision (a django-simple-history record of `edition`) as a draft:
    into this edition if it is still a draft or in review (back to draft if in review),
    otherwise into a new edition. Returns the edition that holds the restored text."""
    require(by, EDIT_PERMISSION)
    with transaction.atomic():
        target = edition if edition.is_editable else create_new_edition(edition, by=by)
        if target.state == State.IN_REVIEW:
            return_to_draft(target, by=by, comment=_("Old revision restored."))
        old = revision.instance
        for name in RESTORED_FIELDS:
            setattr(target, name, getattr(old, name))
        target.last_edited_by = by
        target.updated_at = timezone.now()
        target.lock_version += 1
        target._history_user = by
        target._change_reason = "restore"
        target.save()
        target.topics.set([row.topic_id for row in revision.topics.all()])
        StatementEvent.record(
            target,
            by,
            "restore",
            target.state,
            target.state,
            f"Revision of {timezone.localtime(revision.history_date):%Y-%m-%d %H:%M}",
        )
    return target
