"""Statements' public paths, without reversing the URL pattern for each statement.

`reverse()` takes about 0.1 ms. A list of twenty statements reversed twenty addresses, a page
of 50 in the API some 200 (each statement, its short link, its language versions). Here the
pattern is reversed once per language with stand-in values, what comes before them is kept,
and each statement's date and slug are appended, quoted as `reverse()` quotes them. The kept
prefix depends on the language, the script prefix (a site served under a sub-path) and the
URLconf, and is kept under all three. tests/statements/test_addresses.py checks every path
against `reverse()`.
"""

from __future__ import annotations

import datetime
import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a path (django/urls/resolvers.py).
SAFE = RFC3986_SUBDELIMS + "/~:@"
_STAND_IN = {"year": 1, "month": "01", "day": "01", "slug": "x"}
_STAND_IN_TAIL = "1/01/01/x/"


def statement_path(language: str, issued_on: datetime.date, slug: str) -> str:
    """The path of a statement in `language` issued on `issued_on` with `slug`."""
    return Paths().statement(language, issued_on, slug)


def short_path(document_id: int) -> str:
    """The short link /s/<id>/ of a statement."""
    return Paths().short(document_id)


class Paths:
    """Statements' paths under the script prefix and URLconf in force when made: for many
    paths at once (a list of 50 in the API, some 150 paths), each of which would read both
    from the request's context again."""

    def __init__(self) -> None:
        self._key = (get_script_prefix(), settings.ROOT_URLCONF, get_urlconf())

    def statement(self, language: str, issued_on: datetime.date, slug: str) -> str:
        return (
            f"{_detail_prefix(language, *self._key)}"
            f"{issued_on.year}/{issued_on.month:02d}/{issued_on.day:02d}/"
            f"{quote(slug, safe=SAFE)}/"
        )

    def short(self, document_id: int) -> str:
        return f"{_short_prefix(*self._key)}{document_id}/"


@functools.lru_cache(maxsize=64)
def _detail_prefix(language: str, script_prefix: str, root: str, urlconf: str | None) -> str:
    with translation.override(language):
        stand_in = reverse("statements:detail", kwargs=_STAND_IN, urlconf=urlconf)
    if not stand_in.endswith(_STAND_IN_TAIL):  # pragma: no cover - a changed pattern
        raise ValueError(f"unexpected statement path {stand_in!r}")
    return stand_in[: -len(_STAND_IN_TAIL)]


@functools.lru_cache(maxsize=16)
def _short_prefix(script_prefix: str, root: str, urlconf: str | None) -> str:
    stand_in = reverse("short_link", args=[1], urlconf=urlconf)
    if not stand_in.endswith("/1/"):  # pragma: no cover - a changed pattern
        raise ValueError(f"unexpected short path {stand_in!r}")
    return stand_in[: -len("1/")]
