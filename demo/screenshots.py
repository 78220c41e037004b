"""Screenshots of the demo site for a reviewer: the home, statement and casualties pages at
360 and 1280 px in English, Azerbaijani and Russian (`make screenshots`).

Serves the demo database (`make seed`) with Django's development server on a free port,
photographs each page whole with Debian's Chromium through Playwright (never a downloaded
browser), writes `<language>-<page>-<width>.png` into the output folder (default
`var/screenshots/`, git-ignored) and stops the server.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LANGUAGES = ["en", "az", "ru"]
WIDTHS = [360, 1280]
ROOT = Path(__file__).resolve().parent.parent


def pages(language: str) -> dict[str, str]:
    """The pages to photograph in `language`: name → path."""
    import datetime

    from statements.models import Edition

    published = Edition.objects.published().in_language(language)
    statement = (
        published.filter(issued_on=datetime.date(2024, 4, 4)).first()
        or published.order_by("-issued_on").first()
    )
    found = {"home": f"/{language}/", "casualties": f"/{language}/casualties/"}
    if statement is not None:
        found["statement"] = statement.get_absolute_url()
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"The development server did not answer on port {port}.")


def photograph(browser, base_url: str, wanted: dict[str, dict[str, str]], out: Path) -> int:
    """Each page of `wanted` ({language: {name: path}}) at each width, whole, into `out`,
    with a Playwright `browser`; returns how many files were written."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for language, paths in wanted.items():
            for name, path in paths.items():
                page.goto(f"{base_url}{path}", wait_until="load")
                target = out / f"{language}-{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written += 1
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="var/screenshots", help="output folder")
    out = Path(parser.parse_args().out)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is not installed: apt-get install chromium")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    wanted = {}
    for language in LANGUAGES:
        with translation.override(language):
            wanted[language] = pages(language)

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            written = photograph(browser, f"http://127.0.0.1:{port}", wanted, out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{written} screenshots in {out}/")


if __name__ == "__main__":
    main()
