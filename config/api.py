"""What every API endpoint shares: JSON with orjson, errors as {"detail", "code"}, cursor
pagination that refuses bad input with a 400, throttles (partner keys: victims/api/keys.py)."""

import io

import orjson
from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from config import csvfiles
from config.client import client_address


class ORJSONRenderer(BaseRenderer):
    """JSON rendered with orjson: fast, UTF-8, dates in ISO 8601."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)


class StrictCursorPagination(CursorPagination):
    """Cursor pagination whose bad input is a 400 naming the parameter, not a silent fix."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": f"a whole number from 1 to {self.max_page_size}"}
            )
        return int(raw)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError({"cursor": "malformed or expired cursor"}) from error

    def paginate_queryset(self, queryset, request, view=None):
        """A cursor whose position is not a value of the ordering field (a crafted one) is a
        400 naming `cursor`, not the database's error."""
        from django.core.exceptions import ValidationError as ValueRefused

        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueRefused, ValueError, OverflowError) as error:
            raise exceptions.ValidationError({"cursor": "malformed cursor"}) from error


class SettingsRate:
    """Read the rate from the settings at each request (REST framework copies them once)."""

    scope: str | None

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")


class AnonymousRateThrottle(SettingsRate, AnonRateThrottle):
    """Requests per client address for callers without a key (config/client.py decides the
    address: a spoofed X-Forwarded-For is not believed)."""

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return super().get_cache_key(request, view)


def dataset_headers(response: Response, meta: dict) -> Response:
    """The dataset's metadata on responses whose body cannot carry it (CSV, HXL)."""
    response["X-Dataset-Version"] = meta["dataset_version"]
    if meta.get("as_of"):
        response["X-As-Of"] = meta["as_of"]
    response["X-Licence"] = meta["licence"]
    response["Link"] = f'<{meta["methodology"]}>; rel="describedby"'
    return response


class CSVRenderer(BaseRenderer):
    """Tables as CSV: `columns` gives the header, `rows` the records (dicts)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    hashtags = False

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        output = io.StringIO()
        writer = csvfiles.writer(output)
        if not isinstance(data, dict) or "rows" not in data:
            rows = [data] if isinstance(data, dict) else []
            columns = list(rows[0]) if rows else []
            tags = []
        else:
            rows, columns = data["rows"], data["columns"]
            tags = data.get("hxl", [])
        writer.writerow(columns)
        if self.hashtags and tags:
            writer.writerow(tags)
        for row in rows:
            writer.writerow(
                ["" if row.get(column) is None else row.get(column) for column in columns]
            )
        return output.getvalue().encode("utf-8")


class HXLRenderer(CSVRenderer):
    """CSV with a second row of HXL hashtags (Humanitarian Exchange Language)."""

    media_type = "application/vnd.hxl+csv"
    format = "hxl"
    hashtags = True


class StrictContentNegotiation(DefaultContentNegotiation):
    """An unknown ?format= is a 400 naming the parameter (REST framework answers 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as error:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.ValidationError({"format": f"one of: {formats}"}) from error
