"""Turn the DATABASE_URL and REDIS_URL environment variables into Django settings."""

from pathlib import Path
from typing import Any

import environ
from django.db.utils import NotSupportedError


def database_config(
    url: str, *, pool: bool = False, conn_max_age: int = 60, prepared: bool = True
) -> dict[str, Any]:
    """Settings for DATABASES["default"] from a database URL.

    SQLite is the embedded default. For PostgreSQL connections are kept open between requests
    (`conn_max_age` seconds, checked before reuse) or, with `pool`, taken from psycopg's
    connection pool; Django forbids combining the two, so the pool sets CONN_MAX_AGE to 0.

    With `prepared` (the default), each query a PostgreSQL connection has run twice is kept
    as a prepared statement (psycopg's server-side binding and `prepare_threshold`): parsed
    and planned once per connection, not once per request. Planning a statement page's main
    query alone took 1.7 ms. Turn it off behind a pooler that does not carry prepared
    statements across transactions (PgBouncer before 1.21 in transaction mode). A query
    prepared before a migration changed a column it returns is planned again
    (`replan_after_schema_change` below).
    """
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        if prepared:
            config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
        if pool:
            config["CONN_MAX_AGE"] = 0
            config.setdefault("OPTIONS", {})["pool"] = True
        else:
            config["CONN_MAX_AGE"] = conn_max_age
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] and config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers go on while one writer writes: fewer "database is locked" errors
        # when the development server and a management command run together.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    return config


def cache_config(redis_url: str) -> dict[str, Any]:
    """Django's Redis cache when a Redis URL is given, else memory local to the process."""
    if redis_url:
        return {
            # Redis, degrading to "no cache" while it does not answer (config/cache.py).
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "advocacy",
            # A Redis that hangs must not hang the site: give up quickly.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


# What PostgreSQL says when a prepared statement's result columns changed type under it (a
# migration altered a column, even only its length).
CACHED_PLAN_CHANGED = "cached plan must not change result type"


def replan_after_schema_change(execute, sql, params, many, context):
    """Django's execute wrapper, on each PostgreSQL connection (statements/apps.py): a query
    prepared before a migration changed a column it returns fails, and would fail on every
    request the connection serves until it is closed. Drop the connection's prepared
    statements and run the query once more: it failed before running, so nothing was done
    twice. Inside a transaction the query cannot be retried; the transaction's rollback
    drops the prepared statements, and the next request is served."""
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        connection = context["connection"]
        if CACHED_PLAN_CHANGED not in str(error) or connection.in_atomic_block:
            raise
        with connection.connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")  # psycopg forgets its own list with it
        return execute(sql, params, many, context)


def install_replanning(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the wrapper above on PostgreSQL connections that keep
    prepared statements."""
    if (
        connection.vendor == "postgresql"
        and connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    ):
        connection.execute_wrappers.append(replan_after_schema_change)
