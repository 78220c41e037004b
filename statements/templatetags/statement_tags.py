import datetime
import functools
import json

from django import template
from django.template.loader import get_template
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from statements import statement_page

register = template.Library()


@register.filter
def ld_json(data: dict) -> str:
    """A JSON-LD block. A data block, not a script: the CSP does not need to allow it."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def file_url(context, name: str) -> str:
    """An uploaded file's address (with the share link's token in a shared preview)."""
    return statement_page.file_url(name, context.get("share_token", ""))


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.simple_tag
def card(statement, heading_level: int = 3, highlighted: str = "") -> str:
    """A statement's card in a list. The card is a pure function of what it shows and the
    reader's language, so each process draws it once for the same inputs (a list of twenty
    cost three milliseconds in templates); a card with search highlights is drawn each time."""
    fields = (
        statement.get_absolute_url(),
        statement.title,
        statement.kind,
        statement.issued_on,
        statement.place,
        statement.summary,
        get_language(),
        int(heading_level),
    )
    if highlighted:
        return _draw_card(*fields, highlighted=highlighted)
    return _card(*fields)


@register.simple_tag
def cards(statements, heading_level: int = 3) -> str:
    """The cards of a list of statements in one call: a tag per card, with the loop around
    it, cost the statement list 2 ms of its 20 in templates. Each card as `card` draws it,
    with its search highlights if it has them."""
    return mark_safe(  # noqa: S308 (each card drawn from its template, escaped)
        "\n".join(
            card(statement, heading_level, getattr(statement, "highlighted", ""))
            for statement in statements
        )
    )


def _draw_card(
    url: str,
    title: str,
    kind: str,
    issued_on: datetime.date,
    place: str,
    summary: str,
    language: str,
    heading_level: int,
    highlighted: str = "",
) -> str:
    from statements.models import Kind

    context = {
        "url": url,
        "title": title,
        "kind": Kind(kind).label,
        "issued_on": issued_on,
        "place": place,
        "summary": summary,
        "heading_level": heading_level,
        "highlighted": highlighted,
    }
    return mark_safe(get_template("statements/_card.html").render(context))  # noqa: S308


_card = functools.lru_cache(maxsize=4096)(_draw_card)
