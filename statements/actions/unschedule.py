from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from pagecache.models import Surface
from pagecache.versions import bump
from statements.actions.base import require, transition
from statements.models import Edition, Statement, WorkflowError
from statements.querysets import WENT_LIVE_STATES
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def unschedule(edition: Edition, *, by: User | None, comment: str = "") -> None:
    """Take a scheduled edition back to review before its time comes."""
    require(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        if not Edition.objects.select_for_update().get(pk=edition.pk).is_scheduled:
            raise WorkflowError(
                _("Only an edition scheduled for a future time can be unscheduled.")
            )
        transition(
            edition,
            by=by,
            action="unschedule",
            comment=comment,
            go_live_at=None,
            public_updated_at=None,
            sha256="",
        )
        earliest = edition.document.editions.filter(state__in=WENT_LIVE_STATES).aggregate(
            earliest=Min("go_live_at")
        )["earliest"]
        Statement.objects.filter(pk=edition.document_id).update(first_published_at=earliest)
        # Nothing public changed, but the next go-live time did: forgotten now, so that no
        # cached page turns over at the time this statement was to go live.
        bump(Surface.STATEMENTS)
