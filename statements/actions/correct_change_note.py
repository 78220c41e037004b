from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from statements.actions.base import require
from statements.models import Edition, StatementEvent, WorkflowError
from statements.workflow import ACTIONS, PUBLISH_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def correct_change_note(edition: Edition, *, by: User | None, change_note: str) -> None:
    """Correct the wording of an edition's public change note (a typo, a wrong date): the
    old wording stays in the audit row."""
    require(by, PUBLISH_PERMISSION)
    action = ACTIONS["change_note"]
    if not action.applies(edition):
        raise WorkflowError(action.not_now)
    with transaction.atomic():
        old_note = edition.change_note
        edition.change_note = change_note.strip()
        edition._history_user = by
        edition._change_reason = "correct_change_note"
        edition.save(update_fields=["change_note"])
        StatementEvent.record(
            edition,
            by,
            "correct_change_note",
            edition.state,
            edition.state,
            f"Was: {old_note}",
        )
