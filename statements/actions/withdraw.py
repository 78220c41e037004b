from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.actions.base import require, require_live, transition
from statements.models import Edition, WorkflowError
from statements.workflow import PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def withdraw(edition: Edition, *, by: User | None, explanation: str) -> None:
    """Keep the statement readable with a dated notice and the explanation; drop it from
    lists."""
    require(by, PUBLISH_PERMISSION)
    if not explanation.strip():
        raise WorkflowError(_("Explain to readers why the statement is withdrawn."))
    with transaction.atomic():
        require_live(edition)
        transition(
            edition,
            by=by,
            action="withdraw",
            comment=explanation,
            withdrawn_at=timezone.now(),
            withdrawal_explanation=explanation.strip(),
        )
