"""Template context shared by every page."""

from typing import cast

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import get_language, get_language_info

from statements.identity import site_identity


def site(request: HttpRequest) -> dict:
    """The site's identity and the language switcher's links for the current page.

    `SITE_NAME` is the default issuing organisation's name in the reader's language (one
    query, once per request, and only if the page shows it), `settings.SITE_NAME` only when
    there is none.

    Each link points at this page in the other language (Django's `translate_url`), or at that
    language's home page when the current URL has no counterpart.
    """
    current = get_language()
    # Lazy, each of them: the query runs when a template shows the name, not for the
    # sitemap's XML; the links are worked out (a resolve and a reverse per language) only
    # for a page that shows them, not for a statement page, which gives its own.
    switcher = cast(list[dict], SimpleLazyObject(lambda: switcher_for(request, current)))
    return {
        "SITE_NAME": lazy(lambda: site_identity(request).name, str)(),
        "site_identity": SimpleLazyObject(lambda: site_identity(request)),
        "language_switcher": switcher,
        "hreflang_alternates": SimpleLazyObject(lambda: alternates_for(request, switcher, current)),
    }


def switcher_for(request: HttpRequest, current: str | None) -> list[dict]:
    path = request.get_full_path()
    prefix = f"/{current}/"
    # The URL patterns' words are not translated: a page that resolved under one language's
    # prefix is at the same path under another's. translate_url (a resolve and a reverse per
    # language) is left for the rest (tests/test_public_shell.py compares both).
    swap = getattr(request, "resolver_match", None) is not None and path.startswith(prefix)
    switcher = []
    for code, _name in settings.LANGUAGES:
        target = f"/{code}/{path[len(prefix) :]}" if swap else translate_url(path, code)
        if target == path and code != current:
            target = f"/{code}/"
        info = get_language_info(code)
        switcher.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": target,
                "current": code == current,
            }
        )
    return switcher


def alternates_for(request: HttpRequest, switcher: list[dict], current: str | None) -> list[dict]:
    """hreflang links for a page that exists in every language; x-default is the address
    without a language prefix, which sends each visitor to their own language."""
    prefix = f"/{current}/"
    if not current or not request.path.startswith(prefix):
        return []
    links = [
        {"hreflang": item["code"], "href": request.build_absolute_uri(item["url"])}
        for item in switcher
    ]
    links.append(
        {
            "hreflang": "x-default",
            "href": request.build_absolute_uri("/" + request.get_full_path()[len(prefix) :]),
        }
    )
    return links
