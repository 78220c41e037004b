"""The versions of what the public sees: in the database, read once per request.

Every operation that changes what the public sees calls `bump(surface)` inside its own
transaction, so the new version becomes visible to every process, worker and server at the
instant the change is committed, and never before. The page cache (pagecache/middleware.py)
and the register's figure cache (victims/caching.py) put the version in every key: a page
drawn from older data is never found again, whichever process stored it and whichever cache
holds it.

Some changes come from the clock, not from a write: a statement scheduled for 10:00 goes live
at 10:00:00, and dates on pages (upcoming observances, the last complete year) move at local
midnight. Each version row holds `next_change_at`, computed once when the version is raised;
the first request at or after that instant raises the version again (one conditional
UPDATE: one process does it, the others read its result), so a warm cache never serves a
page from before a scheduled publication after its time.
"""

from __future__ import annotations

import contextlib
import datetime
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from pagecache.models import PublicVersion, Surface

SURFACES = tuple(Surface.values)


@dataclass(frozen=True)
class Version:
    number: int
    nonce: int
    changed_at: datetime.datetime
    next_change_at: datetime.datetime | None

    @property
    def token(self) -> str:
        return f"{self.number}.{self.nonce:x}"


class _Memo:
    versions: dict[str, Version] | None = None


_memo: ContextVar[_Memo | None] = ContextVar("pagecache_versions", default=None)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Within it, the versions are read from the database once (the middleware opens one
    for every request); outside it, at every call. A scope within a scope reads nothing
    more."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set(_Memo())
    try:
        yield
    finally:
        _memo.reset(token)


def current() -> dict[str, Version]:
    """{surface: Version} as committed now; one query, or none when this request has read
    them already."""
    memo = _memo.get()
    if memo is not None and memo.versions is not None:
        return memo.versions
    versions = _read()
    now = timezone.now()
    # Due: the clock has reached the next change, or stands before the version's own time
    # (a clock set back: whatever was computed from the later time is not trusted).
    due = [
        name
        for name, version in versions.items()
        if (version.next_change_at is not None and version.next_change_at <= now)
        or version.changed_at > now
    ]
    missing = [name for name in SURFACES if name not in versions]
    if due or missing:
        for name in due:
            _advance(name, versions[name].number, now)
        for name in missing:
            PublicVersion.objects.get_or_create(surface=name, defaults=_fields(name, now))
        versions = _read()
    if memo is not None:
        memo.versions = versions
    return versions


def token(surfaces: tuple[str, ...] = SURFACES) -> str:
    """The part of a cache key that names the versions of `surfaces`."""
    versions = current()
    return "-".join(f"{name[0]}{versions[name].token}" for name in surfaces)


def next_change(surfaces: tuple[str, ...] = SURFACES) -> datetime.datetime | None:
    """The earliest instant at which one of `surfaces` changes by the clock alone."""
    versions = current()
    times = [versions[name].next_change_at for name in surfaces]
    return min((time for time in times if time is not None), default=None)


_NONE = "pagecache:none"
# What a fragment is reckoned to take in the process memory's budget (an organisation row).
FRAGMENT_BYTES = 4096


def cached(name: str, compute, surfaces: tuple[str, ...] = SURFACES):
    """`compute()`, kept in this process's memory and the shared cache until one of
    `surfaces` changes: for what pages show that does not depend on the request (the site's
    identity). None is kept too. The value is shared by the requests of this process: not
    to be changed by them."""
    from django.conf import settings
    from django.core.cache import caches

    from pagecache.middleware import local

    key = f"fragment:{token(surfaces)}:{name}"
    # This process's memory first (its key holds the same versions: as exact, and no round
    # trip to the shared cache), then the shared cache, then `compute()`.
    found = local.get(key)
    if found is not None:
        return found[0]
    cache = caches[settings.PAGE_CACHE_ALIAS]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, _NONE if value is None else value, settings.PAGE_CACHE_SECONDS)
    value = None if value == _NONE else value
    local.set(key, (value,), settings.PAGE_CACHE_SECONDS, FRAGMENT_BYTES)
    return value


def bump(*surfaces: str) -> None:
    """Raise the version of each surface, in the caller's transaction (it holds the row
    locked until it commits, so two changes never share a version).

    The row is locked first, and the next change by the clock computed after: a change that
    waited for another to commit (one that scheduled a statement) then sees it, and does not
    write over its go-live time."""
    now = timezone.now()
    with transaction.atomic(savepoint=False):  # the caller's transaction, or its own
        _bump_locked(sorted(set(surfaces)), now)
    memo = _memo.get()
    if memo is not None:
        memo.versions = None


def _bump_locked(names: list[str], now: datetime.datetime) -> None:
    for name in names:  # one order everywhere: no deadlock between two bumps
        locked = list(
            PublicVersion.objects.select_for_update().filter(surface=name).values_list("version")
        )
        fields = _fields(name, now)
        if not locked:
            PublicVersion.objects.get_or_create(surface=name, defaults=fields)
            continue
        fields.pop("version")
        PublicVersion.objects.filter(surface=name).update(version=F("version") + 1, **fields)


def _read() -> dict[str, Version]:
    # Plain SQL: read on every public request, cached or not; the ORM would double its cost.
    # It is also the request's health check of a kept connection (CONN_HEALTH_CHECKS would
    # spend a round trip of its own on every request): a connection the server has dropped
    # is replaced, once, and the read repeated.
    reusable = connection.connection is not None and not connection.in_atomic_block
    if reusable:
        connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        rows = _select()
    except DatabaseError:
        if not reusable or connection.is_usable():
            raise
        connection.close()
        rows = _select()
    return {
        surface: Version(number, nonce, _aware(changed_at), _aware(next_change_at))
        for surface, number, nonce, changed_at, next_change_at in rows
    }


def _select() -> list[tuple]:
    table = PublicVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT surface, version, nonce, changed_at, next_change_at FROM {table}"  # noqa: S608
        )
        return cursor.fetchall()


def _aware(value):
    """A time as the database returned it (SQLite: a string) as an aware datetime."""
    if value is None or (isinstance(value, datetime.datetime) and value.tzinfo is not None):
        return value
    return connection.ops.convert_datetimefield_value(  # type: ignore[attr-defined]
        value, None, connection
    )


def _advance(name: str, seen: int, now: datetime.datetime) -> None:
    """The clock has passed `next_change_at`: raise the version once (a process that finds it
    raised already by another changes nothing)."""
    fields = _fields(name, now)
    fields.pop("version")
    PublicVersion.objects.filter(surface=name, version=seen).update(
        version=F("version") + 1, **fields
    )


def _fields(name: str, now: datetime.datetime) -> dict:
    return {
        "version": 1,
        "nonce": secrets.randbits(62),
        "changed_at": now,
        "next_change_at": _next_change_at(name, now),
    }


def _next_change_at(name: str, now: datetime.datetime) -> datetime.datetime:
    """The next local midnight, or the next scheduled go-live if it comes first."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    if name != Surface.STATEMENTS:
        return midnight
    from statements.models import Edition

    scheduled = Edition.objects.scheduled(now).aggregate(first=Min("go_live_at"))["first"]
    return min(midnight, scheduled) if scheduled else midnight
