"""Every UI string exists in Azerbaijani and Russian."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["az", "ru"])
def test_catalogue_translates_every_string(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        catalogue = read_po(po, locale=language)

    messages = [message for message in catalogue if message.id]
    untranslated = [
        message.id
        for message in messages
        if not all(message.string if isinstance(message.string, tuple) else [message.string])
        or message.fuzzy
    ]
    assert len(messages) > 10
    assert untranslated == []
