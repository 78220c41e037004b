"""Pages this process served a moment ago, answered before Django builds a request.

`ServedFromMemory` wraps the site's WSGI application (config/wsgi.py). A plain anonymous
read of a page that the whole stack answered a moment ago, under the same versions, is
answered from this process's memory with the status, headers and body the stack gave it:
no request object, no middleware, no view, no response object. The only work left is the
one query every request makes, the versions (pagecache/versions.py): the answer is as exact
as the page cache's, since the key holds the versions as they are committed now.

The key is built from the raw request, not from what Django would make of it: the scheme and
the headers it may come from, the host and the headers it may come from, the path and query
as sent, and, where the language is not the first segment of the path, the `Accept-Language`
and `Cookie` headers as sent (the API also keys on `Accept`). Two requests that Django would
answer the same way may so get two entries; two that it would answer differently never share
one. A host Django refuses is never stored (it gets a 400, and only a page-cache 200 is kept),
so a request naming one never finds anything here and goes to Django, which refuses it.

Plain means: GET or HEAD of a public address, no session or message cookie, no
`Authorization`, no `Origin` (CORS headers are per origin), no conditional header (a 304 is
ConditionalGetMiddleware's) and a query the public pages know. Everything else goes through
Django unchanged. What is stored is what the stack answered with `X-Page-Cache` (so what the
page cache itself keeps, in the shared cache, under the same versions) to a plain GET.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.cookie import parse_cookie

from pagecache import middleware, versions

HIT = (middleware.HEADER, "hit")
BYPASS = (
    "HTTP_AUTHORIZATION",
    "HTTP_ORIGIN",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
)


class ServedFromMemory:
    def __init__(self, application) -> None:
        self.application = application
        self.paths = middleware.public_paths()
        self.language_prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, environ: dict[str, Any], start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD")
        if (
            not settings.PAGE_CACHE
            or method not in ("GET", "HEAD")
            or self.paths.match(path) is None
            or any(name in environ for name in BYPASS)
            or not self._no_personal_cookie(environ)
        ):
            return self.application(environ, start_response)
        surfaces = middleware.surfaces_for(path)
        with versions.request_scope():
            try:
                token = versions.token(surfaces)
            except DatabaseError:
                return self.application(environ, start_response)  # the stack answers (503)
            key = self._key(environ, path, token)
            entry = middleware.local.get(key)
            if entry is not None:
                status, headers, body = entry
                start_response(status, [*headers, HIT])
                return [b"" if method == "HEAD" else body]
            return self._through_django(environ, start_response, key, surfaces)

    def _through_django(self, environ, start_response, key: str, surfaces):
        seen: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        response = self.application(environ, capture)
        if (
            environ["REQUEST_METHOD"] == "GET"
            and seen.get("status", "").startswith("200 ")
            and isinstance(response, HttpResponse)
            and response.get(middleware.HEADER) in ("hit", "miss")
            and not response.cookies
            and middleware.known_query(environ.get("QUERY_STRING", ""))
        ):
            timeout = middleware.lifetime(surfaces)
            if timeout > 0:
                headers = [
                    (name, value)
                    for name, value in seen["headers"]
                    if name.lower() != middleware.HEADER.lower()
                ]
                body = response.content
                middleware.local.set(key, (seen["status"], headers, body), timeout, len(body))
        return response

    def _key(self, environ: dict[str, Any], path: str, token: str) -> str:
        # Whatever Django may take the scheme and the host from, as sent.
        proxy_scheme = settings.SECURE_PROXY_SSL_HEADER
        parts = [
            environ.get("wsgi.url_scheme", ""),
            environ.get(proxy_scheme[0], "") if proxy_scheme else "",
            environ.get("HTTP_HOST", ""),
            environ.get("HTTP_X_FORWARDED_HOST", "") if settings.USE_X_FORWARDED_HOST else "",
            environ.get("HTTP_X_FORWARDED_PORT", "") if settings.USE_X_FORWARDED_PORT else "",
            environ.get("SERVER_NAME", ""),
            environ.get("SERVER_PORT", ""),
            environ.get("SCRIPT_NAME", ""),
            path,
            environ.get("QUERY_STRING", ""),
        ]
        if not path.startswith(self.language_prefixes):
            # The language comes from the reader's cookie or browser here, not the path.
            parts += [environ.get("HTTP_ACCEPT_LANGUAGE", ""), environ.get("HTTP_COOKIE", "")]
        if path.startswith("/api/"):
            parts.append(environ.get("HTTP_ACCEPT", ""))
        raw = "\n".join(parts).encode("utf-8", "surrogateescape")
        return f"wsgi:{token}:{hashlib.sha256(raw).hexdigest()[:40]}"

    @staticmethod
    def _no_personal_cookie(environ: dict[str, Any]) -> bool:
        header = environ.get("HTTP_COOKIE")
        if not header:
            return True
        cookies = parse_cookie(header)
        return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies
