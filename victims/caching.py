"""The cache of the register's public figures: every key is built here, and the register
version that expires them all lives here.

A figure is cached under `victims:stats:v<FORMAT>:<register version>:<digest of its name>`
for CACHE_SECONDS. The register version is held in the database (pagecache/versions.py), so a
change made in one process, a management command or another server reaches every process's
cache on its next request. Whatever changes register data raises it in its own transaction
(signals.py on every save or delete of an incident, casualty or area; the import,
generate_casualties and snapshots after their bulk writes; and, for a change made beside the
site, the database's triggers on those three tables: pagecache/migrations/0002), so every
cached figure expires at once. Callers name a figure by what it
depends on (e.g. "by_month:2024:en"); only this module turns a name into a key.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from pagecache import versions
from pagecache.models import Surface

CACHE_SECONDS = 24 * 3600
# Cached values are pickles that name their classes' modules (a Table: victims.disclosure).
# Raise FORMAT whenever a cached class moves or changes shape, so that a deployment never
# reads an older pickle (2: Table moved out of the former victims/stats.py; 3: district
# labels in the reader's language, rows by size; 4: months named in full; 5: the page's
# groupings hold the tally's counts of incidents too).
FORMAT = 5

T = TypeVar("T")


def register_version() -> str:
    """Raised whenever register data changes: cached figures then expire."""
    return versions.token((Surface.REGISTER,))


def bump_register_version(*, statements: bool = False) -> None:
    """In the caller's transaction. `statements`: statement pages change too (they cite
    snapshots, and the sitemap lists them)."""
    if statements:
        versions.bump(Surface.REGISTER, Surface.STATEMENTS)
    else:
        versions.bump(Surface.REGISTER)


def figure_key(name: str) -> str:
    """The cache key of a named figure, for the current register version and the settings
    that decide which incidents count and which counts are shown (changed with a restart,
    not a write: no figure counted under the old ones is served)."""
    rules = repr((settings.CASUALTY_PUBLIC_VERIFICATION, settings.CASUALTY_MIN_CELL))
    digest = hashlib.sha256(f"{rules}\n{name}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"victims:stats:v{FORMAT}:{register_version()}:{digest}"


def cached(name: str, compute: Callable[[], T]) -> T:
    """A figure computed once per register version (a None is computed every time)."""
    key = figure_key(name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
