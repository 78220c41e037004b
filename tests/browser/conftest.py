"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

`make test` runs them when Chromium is installed; CI installs it and requires them.

One Chromium for the whole session; each person in a test gets a browser context of their own
(cookies, storage), at 1280 px unless the test says otherwise. Every page a person visits is
judged as it loads, and the test fails:

- on any console error, uncaught script error or Content-Security-Policy violation;
- on any axe-core violation of impact "serious" or "critical" (the others are listed in the
  session's summary and in var/axe-report.json);
- on any `<form>` inside a `<form>` in the HTML the server sent (a browser drops the inner
  form tag and closes the outer form early: its fields and Save button stop working);
- when a page was visited but not judged (a test must not skip the checks by navigating in
  a way the helpers do not see).
"""

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.db import connections

from tests.html_checks import form_problems

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
PASSWORD = "a-long-test-password"
FAILING_IMPACTS = {"serious", "critical"}
# Every CSP violation also reaches the console as an error, with where it happened.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' at ' + event.sourceFile + ':'
                + event.lineNumber + ' blocked ' + event.blockedURI + ' ' + event.sample);
});
"""
REPORTED: Counter = Counter()  # (impact, rule, page) -> nodes: the session summary lists them


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Chromium is not installed: apt-get install chromium"
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
    # between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Once Playwright's event loop runs in this thread, Django hands out new connection
        # objects (its connections live in an asgiref Local, keyed by context). They lack the
        # database contents serialised at set-up, so `serialized_rollback` would silently
        # restore nothing (the roles made by data migrations would vanish): carry them over.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def page_name(url: str) -> str:
    """A page's address without the host, numbers and query: the key of the axe summary."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
    return re.sub(r"/\d+(?=/)", "/<id>", path)


class Person:
    """Someone using the site in their own browser context."""

    def __init__(self, context, base_url: str, name: str):
        self.context = context
        self.base_url = base_url
        self.name = name
        self.page = context.new_page()
        self.problems: list[str] = []
        self.allowed: list[str] = []
        self.unjudged: list[str] = []
        self.documents: list = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("response", self._response)
        # Impacts that fail the test; a page of a third party's making may only be reported.
        self.axe_failing = FAILING_IMPACTS

    # --- what the helpers watch -------------------------------------------------------------

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _response(self, response) -> None:
        if response.request.resource_type != "document" or response.frame != self.page.main_frame:
            return
        if response.headers.get("content-disposition", "").startswith("attachment"):
            return  # a download, not a page
        self.documents.append(response)
        self.unjudged.append(response.url)

    def allow_console_error(self, text: str) -> None:
        """Expect a console error containing `text` (e.g. the browser's note of a 410)."""
        self.allowed.append(text)

    def unexpected_problems(self) -> list[str]:
        return [p for p in self.problems if not any(text in p for text in self.allowed)]

    # --- moving about -----------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def goto(self, path: str):
        self.page.goto(self.url(path))
        self.judge()
        return self.page

    def back(self):
        """Press the browser's back button."""
        self.page.go_back()
        self.judge()
        return self.page

    def reload(self):
        """Press the browser's reload button (a public page may be kept in its cache)."""
        self.page.reload()
        self.judge()
        return self.page

    def click(self, target, *, navigates: bool = True):
        """Click a link or button (a selector or a locator); by default it loads a page."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        if navigates:
            with self.page.expect_navigation():
                locator.click()
            self.judge()
        else:
            locator.click()
        return self.page

    def press(self, key: str, *, navigates: bool = False):
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
            self.judge()
        else:
            self.page.keyboard.press(key)

    def log_in(self, user, password: str = PASSWORD) -> None:
        self.goto("/admin/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", password)
        self.click("input[type=submit]")
        assert "/admin/login/" not in self.page.url, f"{user.username} could not log in"

    # --- judging a page ---------------------------------------------------------------------

    def judge(self) -> None:
        """Judge the page now shown: the HTML as sent, accessibility, the console."""
        self.page.wait_for_load_state("load")
        for response in self.documents:
            if response.status < 300 or response.status >= 400:
                problems = form_problems(response.text())
                assert not problems, f"broken forms on {response.url}: {problems}"
        self.documents.clear()
        self._axe()
        problems = self.unexpected_problems()
        assert not problems, "\n".join(problems)
        self.unjudged.clear()

    def _axe(self) -> None:
        self.page.evaluate(AXE_SCRIPT)
        result = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations'], preload: false})"
        )
        failing = []
        for violation in result["violations"]:
            nodes = violation["nodes"]
            if violation["impact"] in self.axe_failing:
                failing.append(
                    f"{violation['impact']} {violation['id']} ({violation['help']}): "
                    + "; ".join(
                        f"{node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
                        for node in nodes[:5]
                    )
                )
            else:
                REPORTED[(violation["impact"], violation["id"], page_name(self.page.url))] += len(
                    nodes
                )
        assert not failing, f"axe on {self.page.url}:\n" + "\n".join(failing)


@pytest.fixture
def people(chromium, live_server, settings):
    """`people("editor")` opens a browser for one person; all are judged at the end."""
    settings.SERVE_MEDIA = True  # the live server stands in for the web server
    opened: list[Person] = []

    def open_browser(name: str, *, width: int = 1280, height: int = 900) -> Person:
        context = chromium.new_context(
            viewport={"width": width, "height": height}, locale="en-GB", timezone_id="Asia/Baku"
        )
        context.add_init_script(CSP_LISTENER)
        context.set_default_timeout(10_000)
        person = Person(context, live_server.url, name)
        opened.append(person)
        return person

    yield open_browser
    try:
        for person in opened:
            assert not person.unjudged, (
                f"{person.name} visited pages never judged: {person.unjudged}"
            )
            problems = person.unexpected_problems()
            assert not problems, "\n".join(problems)
    finally:
        for person in opened:
            person.context.close()


def pytest_terminal_summary(terminalreporter):
    if not REPORTED:
        return
    terminalreporter.section("axe: violations reported, not failing")
    for (impact, rule, page), nodes in sorted(REPORTED.items()):
        terminalreporter.write_line(f"{impact:9} {rule:28} {nodes:3} nodes  {page}")
    by_impact = Counter()
    for (impact, _rule, _page), nodes in REPORTED.items():
        by_impact[impact] += nodes
    terminalreporter.write_line(
        "total: " + ", ".join(f"{n} {impact}" for impact, n in sorted(by_impact.items()))
    )
    report = Path(os.environ.get("AXE_REPORT", "var/axe-report.json"))
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps(
            [
                {"impact": i, "rule": r, "page": p, "nodes": n}
                for (i, r, p), n in sorted(REPORTED.items())
            ],
            indent=1,
        )
    )
