from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from statements.actions.base import require
from statements.actions.copying import copy_as_draft
from statements.models import LANGUAGE_CODES, Edition, Statement, StatementEvent, WorkflowError
from statements.querysets import State
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def create_translation(edition: Edition, *, by: User | None, language: str) -> Edition:
    """Start the version of `edition`'s statement in another site language: a linked draft
    with the same translation key and this edition's content to translate, its own workflow
    and dates, remembering which edition of the original it was made from."""
    require(by, EDIT_PERMISSION)
    if language not in LANGUAGE_CODES:
        raise WorkflowError(
            _("%(language)s is not a language of this site.") % {"language": language}
        )
    with transaction.atomic():
        source = Statement.objects.select_for_update().get(pk=edition.document_id)
        if source.translations().filter(language=language).exists() or source.language == language:
            raise WorkflowError(
                _("This statement already has a version in %(language)s.") % {"language": language}
            )
        statement = Statement.objects.create(
            language=language, translation_key=source.translation_key, translated_from=edition
        )
        draft = copy_as_draft(
            edition, by=by, number=1, statement=statement, reason="create_translation"
        )
        StatementEvent.record(
            draft,
            by,
            "create_translation",
            "",
            State.DRAFT,
            f"from #{source.pk} ({source.language}), edition {edition.number}",
        )
    return draft
