from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.actions.base import check_four_eyes, require, transition
from statements.authenticity import statement_digest
from statements.models import Edition, Statement, WorkflowError
from statements.querysets import PUBLIC_STATES
from statements.search import index_for_search
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def publish(
    edition: Edition,
    *,
    by: User | None,
    at: datetime | None = None,
    minor_change: bool | None = None,
    change_note: str | None = None,
    comment: str = "",
) -> None:
    """Approve and publish an edition in review, now or, with `at` in the future, then.

    A later edition is a minor change (no public trace) or a major change, which needs a
    public change note and moves the public update date.
    """
    now = timezone.now()
    at = at or now
    require(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        check_four_eyes(current, by)
        minor = current.minor_change if minor_change is None else minor_change
        note = (current.change_note if change_note is None else change_note).strip()
        previous = _previous_public_edition(current)
        if previous is None:
            minor, note = False, ""
        elif not minor and not note:
            raise WorkflowError(
                _("A major change needs a change note for the public; or mark it minor.")
            )
        transition(
            edition,
            by=by,
            action="schedule" if at > now else "publish",
            comment=comment,
            go_live_at=at,
            minor_change=minor,
            change_note="" if minor else note,
            public_updated_at=previous.public_updated_at if previous and minor else at,
            sha256=statement_digest(current),
        )
        index_for_search(edition)
        statement = Statement.objects.select_for_update().get(pk=edition.document_id)
        if statement.first_published_at is None or statement.first_published_at > at:
            statement.first_published_at = at
            statement.save(update_fields=["first_published_at"])


def schedule(edition: Edition, *, by: User | None, at: datetime, **options: Any) -> None:
    """Publish at a future time: visible from `at`, not a second before."""
    if at <= timezone.now():
        raise WorkflowError(_("Choose a time in the future to schedule."))
    publish(edition, by=by, at=at, **options)


def _previous_public_edition(edition: Edition) -> Edition | None:
    return (
        edition.document.editions.filter(state__in=PUBLIC_STATES, number__lt=edition.number)
        .order_by("-number")
        .first()
    )
