"""Statements' paths built without reversing each one (statements/addresses.py) are the paths
the URL patterns give, in every language, for any slug, under a script prefix too."""

import datetime

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from statements.addresses import short_path, statement_path


def reversed_path(language: str, issued_on: datetime.date, slug: str) -> str:
    with translation.override(language):
        return reverse(
            "statements:detail",
            kwargs={
                "year": issued_on.year,
                "month": f"{issued_on.month:02d}",
                "day": f"{issued_on.day:02d}",
                "slug": slug,
            },
        )


@pytest.mark.parametrize(
    ("language", "slug"),
    [("en", "mine-day-2024"), ("az", "mina-ağ-şəhər"), ("ru", "день-мин"), ("en", "a_b-2")],
)
@pytest.mark.parametrize("issued_on", [datetime.date(2024, 4, 4), datetime.date(987, 11, 30)])
def test_statement_paths_are_those_the_url_patterns_give(language, slug, issued_on):
    assert statement_path(language, issued_on, slug) == reversed_path(language, issued_on, slug)
    assert short_path(42) == reverse("short_link", args=[42]) == "/s/42/"


def test_under_a_script_prefix_too():
    set_script_prefix("/press/")
    try:
        path = statement_path("az", datetime.date(2024, 4, 4), "mina")
        assert path == reversed_path("az", datetime.date(2024, 4, 4), "mina")
        assert path.startswith("/press/az/") and short_path(7) == "/press/s/7/"
    finally:
        set_script_prefix("/")
