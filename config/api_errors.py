"""The API's error format, set as REST framework's EXCEPTION_HANDLER.

Kept apart from config/api.py: REST framework imports its settings' classes while importing
its views, so the handler (which needs the views) cannot share a module with them."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """Every error as {"detail": "...", "code": "..."} with the right status."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail, code = _flatten(exc.detail), "invalid"
    else:
        detail = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        if not isinstance(code, str):
            code = "error"
    response.data = {"detail": detail, "code": code}
    return response


def _flatten(detail, prefix: str = "") -> str:
    """'param: message; other: message' from DRF's nested validation details."""
    if isinstance(detail, dict):
        return "; ".join(_flatten(value, f"{key}: ") for key, value in detail.items())
    if isinstance(detail, list):
        return prefix + " ".join(str(item) for item in detail)
    return prefix + str(detail)
