from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from statements.actions.base import require, transition
from statements.models import Edition, WorkflowError
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def return_to_draft(edition: Edition, *, by: User | None, comment: str) -> None:
    """Send an edition in review back to its authors, saying why."""
    require(by, PUBLISH_PERMISSION)
    if not comment.strip():
        raise WorkflowError(_("Say what needs to change before returning it to draft."))
    transition(edition, by=by, action="return_to_draft", comment=comment)
