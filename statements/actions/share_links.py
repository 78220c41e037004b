from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from statements.actions.base import require
from statements.models import Edition, Statement, StatementEvent, WorkflowError
from statements.sharing import make_token
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def create_share_link(edition: Edition, *, by: User | None) -> str:
    """A signed token showing this draft to whoever holds it (see sharing.py)."""
    require(by, EDIT_PERMISSION)
    if not edition.is_editable:
        raise WorkflowError(_("Share links are for drafts and editions in review."))
    edition.document.refresh_from_db(fields=["share_links_version"])
    token = make_token(edition)
    StatementEvent.record(
        edition,
        by,
        "share_link_created",
        edition.state,
        edition.state,
        f"valid for {settings.SHARE_LINK_DAYS} days",
    )
    return token


def revoke_share_links(edition: Edition, *, by: User | None) -> None:
    """Every share link of this statement stops working."""
    require(by, EDIT_PERMISSION)
    Statement.objects.filter(pk=edition.document_id).update(
        share_links_version=F("share_links_version") + 1
    )
    StatementEvent.record(edition, by, "share_links_revoked", edition.state, edition.state)
