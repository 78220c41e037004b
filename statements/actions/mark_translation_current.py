from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from pagecache.models import Surface
from pagecache.versions import bump
from statements.actions.base import require
from statements.models import Edition, Statement, StatementEvent, WorkflowError
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def mark_translation_current(edition: Edition, *, by: User | None) -> None:
    """A publisher confirms this translation matches the original's live edition."""
    require(by, PUBLISH_PERMISSION)
    source = edition.document.translated_from
    if source is None:
        raise WorkflowError(_("This statement is not a translation."))
    live = source.live_edition()
    if live is None:
        raise WorkflowError(_("The original has no published edition to compare with."))
    Statement.objects.filter(pk=edition.document_id).update(translated_from=live)
    bump(Surface.STATEMENTS)  # the "outdated translation" notice goes from the public page
    edition.document.translated_from = live
    StatementEvent.record(
        edition,
        by,
        "mark_translation_current",
        edition.state,
        edition.state,
        f"matches edition {live.number} of #{live.document_id}",
    )
