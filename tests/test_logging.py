import io
import json
import logging.config

import pytest
from django.conf import settings


@pytest.fixture
def log_lines():
    """The project's logging configuration, its stdout handler writing to a buffer instead.

    Yields a function returning what was written, a parsed JSON object a line.
    """
    logging.config.dictConfig(settings.LOGGING)
    buffer = io.StringIO()
    (console,) = logging.getLogger("django").handlers
    console.setStream(buffer)

    def read() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield read
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_an_error_response_is_logged_as_one_json_line_with_path_and_status(client, log_lines):
    client.get("/en/no-such-page/")

    records = [r for r in log_lines() if r.get("logger") == "django.request"]
    assert records == [
        {
            "time": records[0]["time"],
            "level": "WARNING",
            "logger": "django.request",
            "message": "Not Found: /en/no-such-page/",
            "path": "/en/no-such-page/",
            "method": "GET",
            "client": "127.0.0.1",
            "status": 404,
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "forwarded", "logged"),
    [(0, "6.6.6.6", "10.0.0.9"), (1, "6.6.6.6, 203.0.113.7", "203.0.113.7")],
)
def test_the_logged_client_is_the_socket_unless_a_trusted_proxy_says_otherwise(
    client, log_lines, settings, proxies, forwarded, logged
):
    settings.TRUSTED_PROXY_COUNT = proxies
    client.get("/en/no-such-page/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)

    (record,) = [r for r in log_lines() if r.get("logger") == "django.request"]
    assert record["client"] == logged


def test_a_traceback_stays_on_its_record_line(log_lines):
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("config").exception("it failed")

    lines = log_lines()
    assert len(lines) == 1
    assert lines[0]["message"] == "it failed"
    assert "ValueError: first line\nsecond line" in lines[0]["exc_info"]
