"""Shared fixtures.

The suite runs with DEBUG off, as production does (see [tool.pytest.ini_options] env in
pyproject.toml), against SQLite by default or PostgreSQL when DATABASE_URL says so.
"""

import contextlib
import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from statements import actions

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """WhiteNoise warns when STATIC_ROOT is missing, as it is before any `collectstatic`; the
    schema test builds the WSGI app while tests are collected, so make it first."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def _counted_queries(num: int, *, exact: bool):
    """Queries asked of the database, as pytest-django counts them, but for the settings
    commands around a query run with PostgreSQL's generic plan (config/compiled.py
    SETTINGS_COMMANDS; tests/test_compiled.py checks them): they read nothing, and a page
    does not ask more of its data for them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.compiled import SETTINGS_COMMANDS

    with CaptureQueriesContext(connection) as context:
        yield context
    asked = [query["sql"] for query in context.captured_queries]
    counted = [sql for sql in asked if sql not in SETTINGS_COMMANDS]
    if len(counted) > num or (exact and len(counted) != num):
        expected = num if exact else f"{num} or fewer"
        listing = "\n".join(f"{n}. {sql}" for n, sql in enumerate(counted, 1))
        pytest.fail(f"Expected {expected} queries, {len(counted)} were asked:\n{listing}")


@pytest.fixture
def django_assert_num_queries():
    return functools.partial(_counted_queries, exact=True)


@pytest.fixture
def django_assert_max_num_queries():
    return functools.partial(_counted_queries, exact=False)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in another language must not leak into the
    next test (Django keeps the activated language on the thread)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_nested_forms_in_the_admin(monkeypatch):
    """Every admin page the suite renders through Django's test client is parsed as a
    browser would, and the test fails on a `<form>` inside a `<form>` (browser tests check
    the pages they load the same way)."""
    from django.test import Client

    from tests.html_checks import form_problems

    request = Client.request

    def checked(client, **environ):
        response = request(client, **environ)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if (
            is_html
            and environ.get("PATH_INFO", "").startswith("/admin/")
            and not getattr(response, "streaming", False)
        ):
            problems = form_problems(response.content.decode(errors="replace"))
            assert not problems, f"broken forms on {environ['PATH_INFO']}: {problems}"
        return response

    monkeypatch.setattr(Client, "request", checked)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back between tests (and its
    versions with it), the cache of this process's memory does not."""
    from django.core.cache import cache

    from pagecache.middleware import local

    cache.clear()
    local.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; production hashing is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files unhashed in tests, so no `collectstatic` is needed first.

    Production uses WhiteNoise's compressed manifest storage; tests/test_static_files.py
    checks that storage on a real `collectstatic` run.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def probe_table():
    """PostgreSQL: a table `probe_prepared (id int, slug varchar(10))` holding (1,
    'mine-day'), made through a connection of its own (autocommit), which is given to the
    test to change the table as a migration would. Dropped afterwards, once Django's
    connection, whose prepared statements name it, is closed."""
    import psycopg
    from django.db import connection

    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        autocommit=True,
    )
    other.execute("CREATE TABLE probe_prepared (id int, slug varchar(10))")
    try:
        other.execute("INSERT INTO probe_prepared VALUES (1, 'mine-day')")
        yield other
    finally:
        connection.close()
        other.execute("DROP TABLE probe_prepared")
        other.close()


@pytest.fixture
def run_python():
    """Run Python code in a fresh interpreter with the project's settings and extra env vars.

    For what can only be seen at start-up: settings refusing to load, a database that does
    not answer. Returns the CompletedProcess.
    """

    def run(code: str, *, env: dict[str, str] | None = None, unset: tuple[str, ...] = ()):
        child_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENV_FILE": os.devnull,  # a developer's own .env must not change the outcome
            **(env or {}),
        }
        for name in unset:
            child_env.pop(name, None)
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="editor1", groups=["Editors"])


@pytest.fixture
def editor2(db):
    from tests.factories import UserFactory

    return UserFactory(username="editor2", groups=["Editors"])


@pytest.fixture
def publisher(db):
    from tests.factories import UserFactory

    return UserFactory(username="publisher1", groups=["Publishers"])


@pytest.fixture
def publisher2(db):
    from tests.factories import UserFactory

    return UserFactory(username="publisher2", groups=["Publishers"])


@pytest.fixture
def publish(editor, publisher):
    """Take a draft through review to publication (now, or at `at`)."""

    def run(statement, at=None, **options):
        actions.submit(statement, by=editor)
        actions.publish(statement, by=publisher, at=at, **options)
        return statement

    return run


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.IMPORT_ROOT = tmp_path_factory.mktemp("imports")
