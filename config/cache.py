"""A Redis cache that degrades instead of failing.

The cache holds only what can be lost or recomputed (throttle counters, figures); sessions
are in the database. When Redis does not answer, every read is a miss and every write is
dropped, a warning is logged (at most once every RETRY_SECONDS), and Redis is not asked
again for RETRY_SECONDS (so a dead server costs one failed connection every few seconds,
not one per request). Throttles therefore
fail open and figures are computed; /healthz reports the cache as degraded.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

RETRY_SECONDS = 2.0
_down_until = 0.0


def _failed(error: Exception) -> None:
    global _down_until
    if time.monotonic() >= _down_until:
        logger.warning("Cache unavailable, serving without it: %s", error)
    _down_until = time.monotonic() + RETRY_SECONDS


def is_down() -> bool:
    return time.monotonic() < _down_until


def _guarded(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if is_down():
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _failed(error)
            return fallback(*args, **kwargs)

    call.__name__ = name
    return call


def _default(key, default=None, *args, **kwargs):
    return default


class ReusedClient(RedisCacheClient):
    """Django makes a new redis-py client object for every operation (a third of a cached
    page's time on the benchmark); one per connection pool serves them all (a client is only
    a handle on its thread-safe pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(  # type: ignore[attr-defined]
                connection_pool=pool
            )
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    get = _guarded("get", _default)
    get_many = _guarded("get_many", lambda *a, **k: {})
    has_key = _guarded("has_key", lambda *a, **k: False)
    set = _guarded("set", lambda *a, **k: None)
    set_many = _guarded("set_many", lambda *a, **k: [])
    add = _guarded("add", lambda *a, **k: False)
    touch = _guarded("touch", lambda *a, **k: False)
    delete = _guarded("delete", lambda *a, **k: False)
    delete_many = _guarded("delete_many", lambda *a, **k: None)
    incr = _guarded("incr", lambda key, delta=1, *a, **k: delta)
    clear = _guarded("clear", lambda *a, **k: None)

    def ping(self) -> None:
        """Ask Redis directly (for /healthz); raises RedisError when it does not answer."""
        self._cache.get_client(write=True).ping()  # type: ignore[attr-defined]
