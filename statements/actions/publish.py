from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
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
    first_published_at: datetime | None = None,
) -> None:
    """Approve and publish an edition in review, now or, with `at` in the future, then.

    A later edition is a minor change (no public trace) or a major change, which needs a
    public change note and moves the public update date.

    `first_published_at`, a past time, is for a statement that was public elsewhere before
    (an archive moving in): only for its first publication; it becomes the statement's
    public "first published" date and is written in the audit row. The edition's own times
    (`go_live_at`, `public_updated_at`) stay the real time it went live on this site, so
    feeds and the API's "updated since" still see it arrive.
    """
    now = timezone.now()
    at = at or now
    require(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        check_four_eyes(current, by)
        if first_published_at is not None:
            first_published_at = _check_historical(current, first_published_at, now)
            comment = _with_historical_note(comment, first_published_at)
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
        if first_published_at is not None:
            statement.first_published_at = first_published_at
            statement.save(update_fields=["first_published_at"])
        elif statement.first_published_at is None or statement.first_published_at > at:
            statement.first_published_at = at
            statement.save(update_fields=["first_published_at"])


def schedule(edition: Edition, *, by: User | None, at: datetime, **options: Any) -> None:
    """Publish at a future time: visible from `at`, not a second before."""
    if at <= timezone.now():
        raise WorkflowError(_("Choose a time in the future to schedule."))
    publish(edition, by=by, at=at, **options)


def _check_historical(edition: Edition, value: datetime, now: datetime) -> datetime:
    """A historical first publication time: in the past, for a statement never public here."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value >= now:
        raise WorkflowError(_("The first publication elsewhere must be in the past."))
    went_live = Statement.objects.filter(pk=edition.document_id).values_list(
        "first_published_at", flat=True
    )[0]
    if edition.number != 1 or went_live is not None:
        raise WorkflowError(
            _(
                "A first publication elsewhere can only be given when a statement is "
                "published for the first time."
            )
        )
    return value


def _with_historical_note(comment: str, value: datetime) -> str:
    note = gettext("First published elsewhere at %(time)s.") % {
        "time": timezone.localtime(value).isoformat(timespec="minutes")
    }
    return f"{comment}\n{note}" if comment.strip() else note


def _previous_public_edition(edition: Edition) -> Edition | None:
    return (
        edition.document.editions.filter(state__in=PUBLIC_STATES, number__lt=edition.number)
        .order_by("-number")
        .first()
    )
