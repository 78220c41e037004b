from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator, slugify

from statements.actions.base import require
from statements.models import Edition, Kind, Organisation, Statement, StatementEvent
from statements.workflow import EDIT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def create_statement(
    *,
    title: str,
    paragraphs: list[str],
    language: str,
    issued_on: datetime.date,
    kind: str = Kind.STATEMENT,
    summary: str = "",
    place: str = "",
    by: User | None = None,
) -> Edition:
    """A new statement with its first edition, a draft, from a title and plain-text
    paragraphs (the import command, the demo seeder). Returns the edition."""
    require(by, EDIT_PERMISSION)
    with transaction.atomic():
        issuer = Organisation.default() or Organisation.objects.create(
            name_en=settings.SITE_NAME, is_default=True
        )
        statement = Statement.objects.create(language=language)
        edition = Edition(
            document=statement,
            title=title[:300],
            slug=unique_slug(title, language, issued_on),
            kind=kind,
            summary=summary or Truncator(paragraphs[0] if paragraphs else title).chars(300),
            body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs),
            issued_on=issued_on,
            place=place,
            issuer=issuer,
            created_by=by,
            last_edited_by=by,
        )
        edition.full_clean()
        edition._history_user = by
        edition.save()
        StatementEvent.record(edition, by, "create", "", edition.state, "import")
    return edition


def unique_slug(title: str, language: str, issued_on: datetime.date) -> str:
    """A slug for `title` not yet taken by a statement in `language` issued that day."""
    base = slugify(title, allow_unicode=True)[:100].rstrip("-") or "statement"
    slug, counter = base, 2
    taken = Edition.objects.filter(document__language=language, issued_on=issued_on)
    while taken.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
