from __future__ import annotations

from typing import TYPE_CHECKING

from statements.actions.base import require, transition
from statements.models import Edition
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def submit(edition: Edition, *, by: User | None, comment: str = "") -> None:
    """Send a draft for review."""
    require(by, EDIT_PERMISSION)
    transition(edition, by=by, action="submit", comment=comment, submitted_by=by)
