"""Every public page, in English, Azerbaijani and Russian, at 1280 and 360 px, with the demo
content `make run` shows: axe-core finds no violation of any impact (public pages are held to
zero; the admin and the API's documentation pages to no serious or critical one)."""

import pytest
from django.core.management import call_command
from django.utils import translation

from statements.models import Edition, Observance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ["en", "az", "ru"]


def public_paths(language: str) -> list[str]:
    statement = Edition.objects.published().in_language(language).first()
    observance = Observance.objects.first()
    paths = [
        f"/{language}/",
        f"/{language}/statements/",
        f"/{language}/statements/?q=mine",
        f"/{language}/casualties/",
        f"/{language}/casualties/?year=2024",
        f"/{language}/observances/",
        f"/{language}/casualties/snapshots/",
        f"/{language}/casualties/snapshots/1/",
        f"/{language}/casualties/snapshots/2/?year=2022",
        f"/{language}/casualties/snapshots/1...2/",
    ]
    if statement is not None:
        paths.append(statement.get_absolute_url())
    if observance is not None:
        with translation.override(language):
            paths.append(observance.get_absolute_url())
    return paths


@pytest.mark.parametrize("width", [1280, 360])
def test_every_public_page_has_no_accessibility_violation(people, client, width):
    call_command("seed_demo", verbosity=0)
    reader = people("reader", width=width)
    reader.axe_failing = {"minor", "moderate", "serious", "critical"}
    paths = [path for language in LANGUAGES for path in public_paths(language)]
    assert len(paths) >= 12 * len(LANGUAGES)  # a statement and an observance in each

    for path in paths:
        assert client.get(path).status_code == 200, path
        reader.goto(path)
        assert reader.page.evaluate("document.documentElement.lang") == path.split("/")[1]
    for language in LANGUAGES:  # the page of an address that does not exist
        missing = f"/{language}/statements/2024/04/04/no-such-statement/"
        assert client.get(missing).status_code == 404
        reader.allow_console_error("404")
        reader.goto(missing)
