from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from statements.actions.base import require
from statements.actions.copying import copy_as_draft
from statements.models import Edition, Statement, StatementEvent, WorkflowError
from statements.querysets import State
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def create_new_edition(edition: Edition, *, by: User | None) -> Edition:
    """Start a new draft edition from the live one: the public keeps seeing the live edition
    until the new one is published."""
    require(by, EDIT_PERMISSION)
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=edition.document_id)
        latest = statement.editions.latest("number")
        if latest.is_editable or latest.is_scheduled:
            raise WorkflowError(
                _("Edition %(number)s is already open; edit that one.") % {"number": latest.number}
            )
        if latest.pk != edition.pk or edition.state != State.PUBLISHED or not edition.has_gone_live:
            raise WorkflowError(_("Only the live published edition can be edited."))
        draft = copy_as_draft(edition, by=by, number=latest.number + 1)
        StatementEvent.record(draft, by, "new_edition", edition.state, State.DRAFT)
    return draft
