"""`make screenshots` photographs the demo's home, statement and casualties pages at 360 and
1280 px in each language (demo/screenshots.py), for a reviewer who does not run a browser."""

import struct

import pytest
from django.core.management import call_command
from django.utils import translation

from demo import screenshots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def png_width(path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">I", header[16:20])[0]


def test_the_screenshots_cover_three_pages_two_widths_three_languages(
    chromium, live_server, settings, tmp_path
):
    settings.SERVE_MEDIA = True
    call_command("seed_demo", verbosity=0)
    wanted = {}
    for language in screenshots.LANGUAGES:
        with translation.override(language):
            wanted[language] = screenshots.pages(language)

    written = screenshots.photograph(chromium, live_server.url, wanted, tmp_path)

    names = sorted(path.name for path in tmp_path.iterdir())
    assert written == len(names) == 18
    for language in ("en", "az", "ru"):
        for page in ("home", "statement", "casualties"):
            for width in (360, 1280):
                assert png_width(tmp_path / f"{language}-{page}-{width}.png") == width
