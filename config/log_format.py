"""Log records as one JSON object a line, with the request's path and status when known."""

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter


class RequestContextFilter(logging.Filter):
    """Copy the request path, the client's address (config/client.py: X-Forwarded-For only
    as far as TRUSTED_PROXY_COUNT allows) and the response status onto records that concern
    a request.

    Django's `django.request` and `django.server` loggers attach `request` and `status_code`
    to the records they emit for errors; a line is only useful if it says which URL failed.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is not None:
            from config.client import client_address

            record.path = path
            record.method = getattr(request, "method", None)
            record.client = client_address(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            record.status = status
        return True


class JsonLineFormatter(JsonFormatter):
    """JSON lines: a traceback stays inside its record (newlines are escaped by JSON)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            # The request object and Django's own copies are not meant for the log line.
            reserved_attrs=[*RESERVED_ATTRS, "taskName", "request", "status_code", "server_time"],
        )
