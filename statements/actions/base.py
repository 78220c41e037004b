"""What every operation shares: the permission check and the move along the workflow table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from statements.models import AuditAction, Edition, StatementEvent, WorkflowError
from statements.workflow import ACTIONS, FOUR_EYES

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def require(user: User | None, permission: str) -> None:
    """`user=None` is the system: a management command run by an operator on the server."""
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_live(edition: Edition) -> None:
    live = edition.live_edition()
    if live is None or live.pk != edition.pk:
        raise WorkflowError(_("Only the edition the public sees now can be changed this way."))


def check_four_eyes(edition: Edition, user: User | None) -> None:
    if edition.four_eyes_forbid(user):
        raise WorkflowError(FOUR_EYES)


def transition(
    edition: Edition, *, by: User | None, action: str, comment: str = "", **fields: Any
) -> None:
    """Move `edition` along the workflow table's `action`, with the fields that go with it,
    and write the audit row.

    Works on the row as it is in the database (locked), never on a stale copy, so a state
    change cannot overwrite someone's edit; open edit forms are refused afterwards.
    """
    step = ACTIONS[action]
    if step.target is None:
        raise ValueError(f"{action} does not change the state of an edition")
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        if current.state not in step.sources:
            raise WorkflowError(
                _("This edition is %(state)s; it cannot be %(action)s now.")
                % {
                    "state": current.get_state_display().lower(),
                    "action": AuditAction(action).label,
                }
            )
        previous_state = current.state
        current.state = step.target
        for name, value in fields.items():
            setattr(current, name, value)
        current.lock_version += 1
        current._history_user = by
        current._change_reason = action
        current.save()
        StatementEvent.record(current, by, action, previous_state, step.target, comment)
    edition.refresh_from_db()
