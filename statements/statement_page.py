"""A statement's page, drawn from plain values and kept by them.

Drawing a statement page's templates (its own and base.html, some three hundred template
nodes) was 3-5 ms of the 9-12 ms of an uncached page (profiled on PostgreSQL). Here the
page's template is given nothing but the values `page_values` takes from the statement, its
topics, documents, history and language versions, the site's identity and the request's
host: strings, numbers, dates, and lists and dicts of them; no model, no request, no context
processor (`render_to_string` without a request). What it draws is therefore a function of
those values and of the language, the URL prefix and the site's settings, and each process
keeps what it drew (in the page cache's process memory, pagecache/middleware.py) under a
digest of all of them.

Every query of the page still runs on every request: what the public may see is decided
anew each time, and a change of anything the page shows changes a value, so the page is
drawn anew. What a change elsewhere (another statement published, which starts the page
cache afresh) leaves as it was is not drawn again.

`FRAGMENT_MEMORY = False` draws the page for every request (the benchmark's first view of
a statement after its own change).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db import models
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from statements.models import Kind
from statements.querysets import State

TEMPLATE = "statements/detail.html"
# Raise when the template or the values change in a way their digest would not show (a
# process that runs new code starts with an empty memory anyway).
FORMAT = 2

SHARE_TARGETS = [
    ("X", "https://x.com/intent/post", "url", "text"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php", "u", None),
    ("Telegram", "https://t.me/share/url", "url", "text"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/", "url", None),
]


def share_links(title: str, url: str) -> list[dict]:
    """Plain share links: no third-party script runs on the page."""
    links = [{"name": "E-mail", "url": "mailto:?" + urlencode({"subject": title, "body": url})}]
    for name, base, url_param, text_param in SHARE_TARGETS:
        params = {url_param: url}
        if text_param:
            params[text_param] = title
        links.append({"name": name, "url": f"{base}?{urlencode(params)}"})
    return links


def file_url(name: str, share_token: str) -> str:
    """An uploaded file's address; in a shared preview it carries the share link's token, the
    only way a reader without an account may fetch a draft's files (statements.files)."""
    url = default_storage.url(name)
    return f"{url}?{urlencode({'share': share_token})}" if share_token else url


def label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` among `choices`, as `get_FOO_display()` gives it (the value
    itself if it is none of them), without Django making the field's choices hashable
    anew on each call: three calls took a twelfth of a statement page."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def page_values(
    request,
    statement,
    *,
    preview: bool,
    share_token: str,
    topics: list,
    attachments: list,
    change_notes: list,
    last_update: datetime.datetime | None,
    other_versions: list,
    source_update,
    figures_box: list[tuple[str, str]] | None,
    json_ld: dict,
    alternates: list[dict],
    language_switcher: list[dict],
) -> dict[str, Any]:
    """Everything detail.html and base.html show of a statement page, as plain values (named
    as the templates read them)."""
    document = statement.document
    snapshot = statement.cited_snapshot if figures_box is not None else None
    successor = _successor(snapshot) if snapshot is not None else None
    observance = statement.observance
    short_url = request.build_absolute_uri(document.get_absolute_url()) if not preview else ""
    image_url = file_url(statement.image.name, share_token) if statement.image else ""
    return {
        **identity_values(request),
        "language_switcher": language_switcher,
        "alternates": alternates,
        "json_ld": json_ld,
        "canonical_url": request.build_absolute_uri(statement.get_absolute_url()),
        "image_absolute_url": request.build_absolute_uri(image_url) if image_url else "",
        "preview": preview,
        "share_token": share_token,
        "statement": {
            "state": statement.state,
            "get_state_display": label(State, statement.state),
            "number": statement.number,
            "withdrawn_at": statement.withdrawn_at,
            "withdrawal_explanation": statement.withdrawal_explanation,
            "get_kind_display": label(Kind, statement.kind),
            "title": statement.title,
            "summary": statement.summary,
            "issued_on": statement.issued_on,
            "slug": statement.slug,
            "place": statement.place,
            "issuer": {"name": statement.issuer.name},
            "reference_number": statement.reference_number,
            "observance": (
                {"name": observance.name, "get_absolute_url": observance.get_absolute_url()}
                if observance is not None
                else None
            ),
            "image": image_url,
            "image_alt": statement.image_alt,
            "rendered_body": statement.rendered_body,
            "go_live_at": statement.go_live_at,
            "sha256": statement.sha256,
            "document": {
                "language": document.language,
                "first_published_at": document.first_published_at,
            },
        },
        "srcset": ", ".join(
            f"{file_url(item['name'], share_token)} {item['width']}w"
            for item in statement.image_renditions or []
        ),
        "source_update": (
            {
                "public_updated_at": source_update.public_updated_at,
                "get_absolute_url": source_update.get_absolute_url(),
                "language": source_update.language,
            }
            if source_update is not None
            else None
        ),
        "source_language": (
            get_language_info(source_update.language)["name_local"] if source_update else ""
        ),
        "other_versions": [
            {
                "statement": {
                    "get_absolute_url": version.get_absolute_url(),
                    "language": version.language,
                },
                "name": get_language_info(version.language)["name_local"],
            }
            for version in other_versions
        ],
        "figures_box": figures_box,
        "snapshot": (
            {
                "number": snapshot.number,
                "period_from": snapshot.period_from,
                "period_to": snapshot.period_to,
                "taken_at": snapshot.taken_at,
                "get_absolute_url": snapshot.get_absolute_url(),
                "superseded_by": (
                    {
                        "number": successor.number,
                        "reason": successor.reason,
                        "get_absolute_url": successor.get_absolute_url(),
                    }
                    if successor is not None
                    else None
                ),
            }
            if snapshot is not None
            else None
        ),
        "attachments": [
            {
                "url": file_url(attachment.file.name, share_token),
                "title": attachment.title,
                "type_label": str(attachment.type_label),
                "size": attachment.size,
            }
            for attachment in attachments
        ],
        "topics": [str(topic.name) for topic in topics],
        "last_update": last_update,
        "change_notes": [
            {"public_updated_at": edition.public_updated_at, "change_note": edition.change_note}
            for edition in change_notes
        ],
        "short_url": short_url,
        "share_links": share_links(statement.title, short_url) if short_url else [],
    }


def identity_values(request) -> dict[str, Any]:
    """The site's identity as base.html shows it (config/context_processors.py gives the same
    to pages drawn with a request)."""
    from statements.identity import site_identity

    identity = site_identity(request)
    return {
        "SITE_NAME": identity.name,
        "site_identity": {
            "name": identity.name,
            "short_name": identity.short_name,
            "press_email": identity.press_email,
            "press_phone": identity.press_phone,
            "phone_uri": identity.phone_uri,
            "address": identity.address,
            "office_hours": identity.office_hours,
            "has_press_contact": identity.has_press_contact,
        },
    }


def shell_values(request) -> dict[str, Any]:
    """What base.html shows around a page that exists in every language: the identity, the
    language switcher and the hreflang links (as config/context_processors.py gives them)."""
    from config.context_processors import alternates_for, switcher_for

    current = get_language()
    switcher = switcher_for(request, current)
    return {
        **identity_values(request),
        "language_switcher": switcher,
        "hreflang_alternates": alternates_for(request, switcher, current),
    }


def _successor(snapshot):
    """The snapshot that superseded this one (a reverse one-to-one: absent raises)."""
    try:
        return snapshot.superseded_by
    except ObjectDoesNotExist:
        return None


def draw(values: dict[str, Any], template: str = TEMPLATE, *, keep: bool = True) -> SafeString:
    """The page of these values, drawn from `template` once per process for the same values,
    language, URL prefix, time zone and file addresses (each time if not `keep`)."""
    from pagecache.middleware import local

    if not settings.FRAGMENT_MEMORY or not keep:
        return _draw(values, template)
    frozen = (
        FORMAT,
        template,
        get_language(),
        get_script_prefix(),
        settings.TIME_ZONE,
        settings.MEDIA_URL,
        _freeze(values),
    )
    key = "drawn-page:" + hashlib.sha256(repr(frozen).encode()).hexdigest()
    found = local.get(key)
    if found is not None:
        return found[0]
    html = _draw(values, template)
    local.set(key, (html,), settings.PAGE_CACHE_SECONDS, len(html) * 2)
    return html


def _draw(values: dict[str, Any], template: str) -> SafeString:
    return mark_safe(render_to_string(template, values))  # noqa: S308 (a template's output)


def _freeze(value: Any) -> str:
    """`value` written out so that every value and its type are told apart (a string marked
    safe is drawn unescaped: not the same as the plain string), in the order of a dict's
    keys (the JSON-LD is written in it); anything but plain values is refused. One string
    built from a list of parts: nested tuples and their repr took a tenth of a statement
    page."""
    parts: list[str] = []
    _write(value, parts)
    return "\n".join(parts)


_SCALARS = {
    str: "str",
    SafeString: "SafeString",
    int: "int",
    bool: "bool",
    float: "float",
    type(None): "None",
}


def _write(value: Any, parts: list[str]) -> None:
    kind = type(value)
    name = _SCALARS.get(kind)
    if name is not None:
        parts.append(name)
        parts.append(repr(value))  # quoted and escaped: no part is mistaken for another
    elif kind is dict:
        parts.append("{")
        for key, item in value.items():
            _write(key, parts)
            _write(item, parts)
        parts.append("}")
    elif kind is list or kind is tuple:
        parts.append("[" if kind is list else "(")
        for item in value:
            _write(item, parts)
        parts.append("]" if kind is list else ")")
    elif isinstance(value, Promise):
        _write(str(value), parts)  # a lazy safe string stays a safe string
    elif isinstance(value, datetime.datetime | datetime.date):
        parts.append(kind.__name__)
        parts.append(value.isoformat())
        parts.append(str(getattr(value, "tzinfo", None)))
    elif isinstance(value, str | int | float):  # a choice's enum member, say
        parts.append(kind.__name__)
        parts.append(repr(value))
    else:
        raise TypeError(f"{kind.__name__} is not a plain value of a page")
