import pytest

from config.backends import cache_config, database_config


def test_start_up_refuses_without_secret_key_when_debug_is_off(run_python):
    result = run_python("import django; django.setup()", env={"DEBUG": "0", "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY environment variable is required when DEBUG is off" in result.stderr


def test_debug_mode_starts_with_a_development_key(run_python):
    result = run_python(
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.DEBUG, settings.SECRET_KEY.startswith('django-insecure'))",
        env={"DEBUG": "1"},
        unset=("SECRET_KEY",),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_debug_is_off_unless_asked_for(run_python):
    result = run_python(
        "import django; django.setup()\nfrom django.conf import settings\nprint(settings.DEBUG)",
        unset=("DEBUG",),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_sqlite_is_the_embedded_default(run_python, tmp_path):
    result = run_python(
        "import django; django.setup()\nfrom django.conf import settings\n"
        "db = settings.DATABASES['default']\nprint(db['ENGINE'], db['NAME'])",
        unset=("DATABASE_URL",),
    )

    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/db.sqlite3")


def test_postgres_url_keeps_connections_open_and_checks_them():
    config = database_config("postgres://press:pw@db.internal:5432/press", conn_max_age=120)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5432, "press")
    assert config["CONN_MAX_AGE"] == 120
    assert config["CONN_HEALTH_CHECKS"] is True


def test_postgres_keeps_repeated_queries_prepared_unless_told_not_to(django_db_blocker):
    """Planned once per connection: on PostgreSQL (where CI runs this suite too) a query run
    twice is a prepared statement of the connection."""
    options = database_config("postgres://press@localhost/press")["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 2)
    assert "OPTIONS" not in database_config("postgres://press@localhost/press", prepared=False)

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("SELECT %s::int + 40", [2])
        assert cursor.fetchone() == (42,)
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT $1::int + 40%"],
        )
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_a_prepared_query_still_runs_after_a_migration_changed_its_columns(request):
    """A query prepared before a migration widened a column it returns failed on every
    later request of that connection ('cached plan must not change result type') until the
    connection was closed: up to a minute, or an hour in a pool. Now it is planned again."""
    from django.db import connection

    from config.backends import replan_after_schema_change

    wrapped = replan_after_schema_change in connection.execute_wrappers
    if connection.vendor != "postgresql":
        assert not wrapped  # nothing is prepared on SQLite
        return
    assert wrapped
    other = request.getfixturevalue("probe_table")
    with connection.cursor() as cursor:
        for _ in range(3):  # prepared from the second run
            cursor.execute("SELECT id, slug FROM probe_prepared WHERE id = %s", [1])
    other.execute("ALTER TABLE probe_prepared ALTER COLUMN slug TYPE varchar(120)")
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, slug FROM probe_prepared WHERE id = %s", [1])
            assert cursor.fetchall() == [(1, "mine-day")]


def test_postgres_url_can_use_the_connection_pool_instead():
    config = database_config("postgres://press@localhost/press", pool=True)

    assert config["OPTIONS"]["pool"] is True
    assert config["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool


def test_redis_url_selects_the_degrading_redis_cache_and_no_url_local_memory():
    assert cache_config("redis://127.0.0.1:6379/1") == {
        "BACKEND": "config.cache.DegradingRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "advocacy",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_blank_variables_in_env_file_mean_the_default(run_python):
    result = run_python(
        "import django; django.setup()\nfrom django.conf import settings\n"
        "print(settings.CACHES['default']['BACKEND'], settings.TIME_ZONE, settings.MEDIA_ROOT)",
        env={"REDIS_URL": "", "TIME_ZONE": " ", "MEDIA_ROOT": ""},
    )

    assert result.returncode == 0, result.stderr
    backend, zone, media_root = result.stdout.split()
    assert backend.endswith("LocMemCache")
    assert zone == "Asia/Baku"
    assert media_root.endswith("var/media")


def test_proxy_ssl_header_must_name_header_and_value(run_python):
    bad = run_python("import django; django.setup()", env={"SECURE_PROXY_SSL_HEADER": "X"})
    good = run_python(
        "import django; django.setup()\nfrom django.conf import settings\n"
        "print(settings.SECURE_PROXY_SSL_HEADER)",
        env={"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"},
    )

    assert bad.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must look like" in bad.stderr
    assert good.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_refuses_to_start_without_a_shared_cache(run_python):
    """Throttles count in the cache: per process, N workers would let N times the rate
    through. With DEBUG off, Redis is required unless one process is declared."""
    refused = run_python(
        "import django; django.setup()",
        env={"DEBUG": "0", "REDIS_URL": "", "SINGLE_PROCESS": "0"},
    )
    assert refused.returncode != 0
    assert "REDIS_URL is required when DEBUG is off" in refused.stderr
    for allowed in ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, {"SINGLE_PROCESS": "1"}):
        started = run_python(
            "import django; django.setup()", env={"DEBUG": "0", "REDIS_URL": "", **allowed}
        )
        assert started.returncode == 0, started.stderr
