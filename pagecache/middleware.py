"""The page cache: whole public responses, kept until what the public sees changes.

An anonymous GET or HEAD of a public page, feed, the sitemap, a casualty page or CSV, or the
public API is answered from the cache when it holds a response for the same scheme, host,
path, query, language (and, for the API, `Accept`) at the current versions of the surfaces
the page is drawn from (pagecache/versions.py). A change of what the public sees raises a
version in the database, in the transaction of the change, so the next request anywhere
looks under a new key: invalidation is exact, across processes and servers, with no purge.

Written here rather than taken from Django's cache middleware, which keys responses by their
`max-age` and learns nothing of publication: it would serve a page up to its lifetime after
a change, and a scheduled statement late.

Never cached (the request goes through the whole stack): a request with a session cookie
(signed-in staff) or an `Authorization` header (partner keys), the admin, share-link
previews, uploaded files, and any response that is not a 200, streams, sets a cookie,
varies on `Cookie` or `Authorization`, or says `private`, `no-store` or `no-cache`.

A cached API response is served without running the API's throttles: it costs the server
nearly nothing. Each response gets an `ETag` of its content (ConditionalGetMiddleware answers
a matching `If-None-Match` with 304 from the cached entry, without rendering), a short shared
`max-age` with `stale-while-revalidate` for a CDN in front, and `Surrogate-Key`/`Cache-Tag`
naming its surface and statement so that an operator can purge a CDN by key (README). None
of these headers tells when a scheduled statement goes live: the lifetime is the same for
every page, and the ETag is a digest of the content, not of a version that draft edits move.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control, set_response_etag
from django.utils.translation import get_language_from_request

from pagecache import versions
from pagecache.models import Surface

FORMAT = 2  # raise when the shape of a stored entry changes
HEADER = "X-Page-Cache"
# Headers a stored response may vary on: the key holds the language and, for the API, the
# Accept header; Origin is added outside the cache by the CORS middleware.
KEYED_VARY = {"accept-language", "accept", "origin"}
PERSONAL_CACHE_CONTROL = {"private", "no-store", "no-cache"}


def public_paths() -> re.Pattern[str]:
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    # The API's schema and its documentation are the code's, not the data's: not kept here.
    return re.compile(
        rf"^/(?:(?:{languages})/|api/v1/(?!schema/|docs/)|sitemap(?:-[a-z0-9-]+)?\.xml$|robots\.txt$)"
    )


def surfaces_for(path: str) -> tuple[str, ...]:
    """The surfaces a page is drawn from: casualty pages and the casualty API from the
    register, and from the statements too (their header and citation name the organisation);
    everything else (statements, lists, feeds, sitemap, observances) from the statements
    (taking a register snapshot raises both: statement pages cite them)."""
    if "/casualties/" in path:
        return (Surface.REGISTER.value, Surface.STATEMENTS.value)
    return (Surface.STATEMENTS.value,)


# The query parameters public pages and the API understand. A response to a request with any
# other is served but not kept: one client inventing parameters cannot fill the cache.
KNOWN_PARAMETERS = frozenset(
    {
        "q", "page", "kind", "topic", "year", "from", "to", "format", "group_by", "period",
        "area", "page_size", "cursor", "ordering", "language", "observance", "issued_after",
        "issued_before", "updated_since", "since", "device_category", "verification",
    }
)  # fmt: skip
LONGEST_QUERY = 300


LIST_KEY = "statement-list"  # pages that list statements: home, lists, feeds, observances


def statement_key(edition) -> str:
    """The key of one statement's pages (its stable public id, as in /s/<id>/)."""
    return f"statement-{edition.document_id}"


def surrogate_keys(response: HttpResponseBase, keys: list[str]) -> None:
    """Name what a response shows, for purging a CDN by key (views add a statement's key)."""
    existing = getattr(response, "surrogate_keys", [])
    response.surrogate_keys = [*existing, *keys]  # type: ignore[attr-defined]


class ProcessMemory:
    """The most recently served pages, kept in this process's memory as well (up to
    PAGE_CACHE_LOCAL_BYTES) by pagecache/wsgi.py: a hit then costs no round trip to Redis and
    no pass through Django. The fragments of `versions.cached` and the statement pages of
    statements/statement_page.py are kept here too. As exact as the shared cache, since its
    keys hold the same versions (or every value a statement page shows). Written here (a few
    lines) rather than adding a dependency for an LRU dictionary."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, tuple[float, int, tuple]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return found[2]

    def set(self, key: str, entry: tuple, timeout: int, size: int) -> None:
        size += 1024  # the key, the headers and the bookkeeping, roughly
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        if size > limit // 4:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + timeout, size, entry)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        _expires, size, _entry = self.entries.pop(key)
        self.size -= size


local = ProcessMemory()


def page_key(request: HttpRequest, surfaces: tuple[str, ...]) -> str:
    """The cache key of a response: scheme, host, full path, language and (API) `Accept`, at
    the current versions of `surfaces`. Raises DisallowedHost for a host not allowed."""
    accept = request.headers.get("Accept", "") if request.path.startswith("/api/") else ""
    parts = "\n".join(
        [
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            get_language_from_request(request, check_path=True) or "",
            accept,
        ]
    )
    digest = hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"page:{FORMAT}:{versions.token(surfaces)}:{digest}"


def known_query(query: str) -> bool:
    """A query string of parameters the public pages read, and not too long to be kept."""
    return not query or (len(query) <= LONGEST_QUERY and set(QueryDict(query)) <= KNOWN_PARAMETERS)


def lifetime(surfaces: tuple[str, ...]) -> int:
    """Until the next change by the clock (the key changes then anyway), at most
    PAGE_CACHE_SECONDS; 0 when that change came while the page was drawn (the page may be
    from either side of it: not kept)."""
    seconds = settings.PAGE_CACHE_SECONDS
    change = versions.next_change(surfaces)
    if change is not None:
        seconds = min(seconds, int((change - timezone.now()).total_seconds()))
    return seconds


def anonymous_read(request: HttpRequest, paths: re.Pattern[str]) -> bool:
    """A GET or HEAD of a public address by someone who brings nothing personal: no session
    (staff), no message waiting to be shown, no partner key."""
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and paths.match(request.path) is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def entry_of(response: HttpResponse) -> tuple:
    """The body and the headers, the latter as Django holds them once checked (lower-case
    name: (name, value)), so that a hit sets them without checking each again."""
    headers = {
        lower: pair for lower, pair in response.headers._store.items() if lower != HEADER.lower()
    }
    return (response.content, headers)


def response_of(request: HttpRequest, entry: tuple) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(b"" if request.method == "HEAD" else content)
    response.headers._store = {**headers, HEADER.lower(): (HEADER, "hit")}
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = public_paths()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with versions.request_scope():
            if not anonymous_read(request, self.paths):
                response = self.get_response(request)
                if "HTTP_AUTHORIZATION" in request.META and not response.has_header(
                    "Cache-Control"
                ):
                    # A partner's own answer: no shared cache (a CDN) may keep it either.
                    patch_cache_control(response, private=True)
                elif settings.SESSION_COOKIE_NAME in request.COOKIES and "public" in response.get(
                    "Cache-Control", ""
                ):
                    # Staff see a public page as it is now, not as their browser kept it a
                    # minute ago (before they published): it asks every time.
                    response["Cache-Control"] = "private, no-cache"
                return response
            return self._through_cache(request)

    def _through_cache(self, request: HttpRequest) -> HttpResponseBase:
        surfaces = surfaces_for(request.path)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        try:
            key = page_key(request, surfaces)
        except (DatabaseError, DisallowedHost):
            # No versions, or a host not allowed: the page answers as it would without a
            # cache (the site's 503 page while the database is away; a 400 with every
            # header the stack adds, CSP included, for the host).
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None:
            return response_of(request, entry)
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and self._storable(request, response)
            and known_query(request.META.get("QUERY_STRING", ""))
        ):
            self._finish_headers(request, response, surfaces)
            timeout = lifetime(surfaces)
            if timeout > 0:
                cache.set(key, entry_of(response), timeout)
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        vary = {
            value.strip().lower()
            for value in cc_delim_re.split(response.get("Vary", ""))
            if value.strip()
        }
        if not vary <= KEYED_VARY or ("accept" in vary and not request.path.startswith("/api/")):
            return False
        control = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        return not control & PERSONAL_CACHE_CONTROL

    @staticmethod
    def _finish_headers(
        request: HttpRequest, response: HttpResponse, surfaces: tuple[str, ...]
    ) -> None:
        if not response.has_header("ETag"):
            set_response_etag(response)
        seconds = settings.PUBLIC_CACHE_SECONDS
        control = response.get("Cache-Control", "")
        if "immutable" not in control:
            patch_cache_control(
                response,
                public=True,
                max_age=seconds,
                s_maxage=seconds,
                stale_while_revalidate=seconds,
            )
        keys = list(dict.fromkeys([*surfaces, *getattr(response, "surrogate_keys", [])]))
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
