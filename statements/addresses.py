"""Statements' public paths for a list of many, reversed once per language rather than once
per statement.

`Edition.get_absolute_url()` reverses the URL pattern each time it is called: about 0.1 ms.
A page of 50 statements in the API asks for 200 addresses (each statement, its short link,
its language versions). `Addresses` reverses the pattern once per language, with stand-in
values, keeps what comes before them, and appends each statement's date and slug quoted as
`reverse()` quotes them. tests/statements/test_addresses.py checks that every path is the one
`get_absolute_url()` gives. One `Addresses` lives for one request: the language prefix and
the script prefix it reads are the request's.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a path (django/urls/resolvers.py).
SAFE = RFC3986_SUBDELIMS + "/~:@"
_STAND_IN = {"year": 1, "month": "01", "day": "01", "slug": "x"}
_STAND_IN_TAIL = "1/01/01/x/"


class Addresses:
    def __init__(self) -> None:
        self._detail: dict[str, str] = {}
        self._short: str | None = None

    def statement(self, language: str, issued_on: datetime.date, slug: str) -> str:
        """The path `Edition.get_absolute_url()` gives for a statement in `language`."""
        prefix = self._detail.get(language)
        if prefix is None:
            with translation.override(language):
                stand_in = reverse("statements:detail", kwargs=_STAND_IN)
            if not stand_in.endswith(_STAND_IN_TAIL):  # pragma: no cover - a changed pattern
                raise ValueError(f"unexpected statement path {stand_in!r}")
            prefix = self._detail[language] = stand_in[: -len(_STAND_IN_TAIL)]
        return (
            f"{prefix}{issued_on.year}/{issued_on.month:02d}/{issued_on.day:02d}/"
            f"{quote(slug, safe=SAFE)}/"
        )

    def short(self, document_id: int) -> str:
        """The path `Statement.get_absolute_url()` gives: /s/<id>/."""
        if self._short is None:
            stand_in = reverse("short_link", args=[1])
            if not stand_in.endswith("/1/"):  # pragma: no cover - a changed pattern
                raise ValueError(f"unexpected short path {stand_in!r}")
            self._short = stand_in[: -len("1/")]
        return f"{self._short}{document_id}/"
