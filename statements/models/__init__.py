"""Statements: official texts, their editions and audit trail, one module per idea.

A *statement* (`Statement`, statements.py) is one language version of an official text, with
a stable id for short links and a `translation_key` shared with its other language versions.
Its text lives in *editions* (`Edition`, editions.py), as in GOV.UK's publisher (Document and
Edition): an edition is edited while it is a draft or in review; once published it is frozen,
and changing the text means a new edition. The public sees the newest edition that has gone
live: `Edition.objects.published()` (querysets.py). The workflow is in workflow.py, the
operations in actions/; attachments.py holds the documents published with an edition,
audit.py the audit trail, reference.py organisations, topics and observances.
"""

from statements.models.attachments import Attachment
from statements.models.audit import AuditAction, StatementEvent, action_label
from statements.models.editions import (
    COPY_REASONS,
    TEXT_FIELDS,
    Edition,
    Kind,
    SanitizedProseField,
    WorkflowError,
    sanitized,
)
from statements.models.reference import (
    LANGUAGE_CODES,
    Observance,
    Organisation,
    Topic,
    TranslatedNameMixin,
)
from statements.models.statements import Statement

__all__ = [
    "COPY_REASONS",
    "LANGUAGE_CODES",
    "TEXT_FIELDS",
    "Attachment",
    "AuditAction",
    "Edition",
    "Kind",
    "Observance",
    "Organisation",
    "SanitizedProseField",
    "Statement",
    "StatementEvent",
    "Topic",
    "TranslatedNameMixin",
    "WorkflowError",
    "action_label",
    "sanitized",
]
