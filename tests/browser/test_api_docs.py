import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_api_documentation_renders_offline_under_the_csp(browser_page, live_server):
    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/statements/" in [path.replace("\u200b", "") for path in paths]
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
    assert [p for p in page.console_problems if "Content Security Policy" in p] == []
