"""The operations on statements and editions: one module per operation.

Each is a function taking the edition (or statement) first and the acting user as the
keyword-only `by` (None is the system: a management command run by an operator on the
server). Each checks the actor's permission and the workflow table (statements/workflow.py),
makes its change and writes its audit row, in one transaction. The admin's views, the
management commands, the demo seeder and the tests call these; nothing else changes an
edition's state. (Wagtail keeps `wagtail/actions/`, Zulip `zerver/actions/`.)
"""

from statements.actions.correct_change_note import correct_change_note
from statements.actions.create_statement import create_statement
from statements.actions.create_translation import create_translation
from statements.actions.edit import record_attachments_edit, save_edit
from statements.actions.mark_translation_current import mark_translation_current
from statements.actions.new_edition import create_new_edition
from statements.actions.publish import publish, schedule
from statements.actions.restore_revision import restore_revision
from statements.actions.return_to_draft import return_to_draft
from statements.actions.share_links import create_share_link, revoke_share_links
from statements.actions.submit import submit
from statements.actions.unpublish import unpublish
from statements.actions.unschedule import unschedule
from statements.actions.withdraw import withdraw

__all__ = [
    "correct_change_note",
    "create_new_edition",
    "create_share_link",
    "create_statement",
    "create_translation",
    "mark_translation_current",
    "publish",
    "record_attachments_edit",
    "restore_revision",
    "return_to_draft",
    "revoke_share_links",
    "save_edit",
    "schedule",
    "submit",
    "unpublish",
    "unschedule",
    "withdraw",
]
