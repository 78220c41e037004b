"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

`make test` runs them when Chromium is installed; CI installs it and requires them.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Chromium is not installed: apt-get install chromium"
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous calls between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_problems = []
        page.on(
            "console",
            lambda message: (
                page.console_problems.append(message.text)
                if message.type in ("error", "warning")
                else None
            ),
        )
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
