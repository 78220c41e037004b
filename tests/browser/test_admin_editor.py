import pytest

from statements.models import Statement
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")


def test_editor_writes_a_statement_in_the_rich_text_editor_under_the_csp(
    browser_page, live_server, editor
):
    OrganisationFactory(is_default=True)
    page = browser_page
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/statements/statement/add/")
    page.fill("#id_title", "Statement typed in a browser")
    page.fill("#id_summary", "Typed in the editor.")
    editor_area = page.locator(".ProseMirror >> visible=true").first
    editor_area.click()
    page.keyboard.type("First paragraph with ")
    page.keyboard.press("Control+b")
    page.keyboard.type("bold")
    page.keyboard.press("Control+b")
    page.keyboard.type(" words.")
    page.click("input[name=_save]")

    page.wait_for_url(f"{live_server.url}/admin/statements/statement/")
    statement = Statement.objects.get()
    assert statement.slug == "statement-typed-in-a-browser"  # filled in by the admin's JS
    assert statement.body == "<p>First paragraph with <strong>bold</strong> words.</p>"
    assert [p for p in page.console_problems if "Content Security Policy" in p] == []


def test_public_statement_page_has_no_console_errors(browser_page, live_server, publish):
    from tests.factories import StatementFactory

    statement = publish(StatementFactory(title="Readable in a browser"))
    page = browser_page

    page.goto(f"{live_server.url}{statement.get_absolute_url()}")

    assert page.locator("h1").inner_text() == "Readable in a browser"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.console_problems == []
