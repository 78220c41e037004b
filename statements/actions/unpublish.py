from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.actions.base import require, require_live, transition
from statements.models import Edition, Statement, WorkflowError
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def unpublish(
    edition: Edition,
    *,
    by: User | None,
    explanation: str,
    replacement: Statement | None = None,
) -> None:
    """Take down a statement published in error: its address answers 410 Gone with the
    explanation, or redirects to the replacement."""
    require(by, PUBLISH_PERMISSION)
    if not explanation.strip():
        raise WorkflowError(_("Explain why the statement is unpublished."))
    if replacement is not None and replacement.pk == edition.document_id:
        raise WorkflowError(_("A statement cannot replace itself."))
    with transaction.atomic():
        require_live(edition)
        transition(
            edition,
            by=by,
            action="unpublish",
            comment=explanation,
            unpublished_at=timezone.now(),
            unpublish_explanation=explanation.strip(),
            replacement=replacement,
        )
