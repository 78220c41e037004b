"""The page cache (issue 15): public responses are served from the cache until what the
public sees changes, and then never again; nothing personal is ever kept.

Each "visible on the next request" test warms every surface first, makes the change through
the operation an editor uses, and compares what the warm cache answers with what an empty
cache answers: they must be byte for byte the same (and show the change)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.http.request import HttpHeaders
from django.test import Client
from django.utils import timezone

from config.wsgi import application
from pagecache import versions
from pagecache.middleware import local
from pagecache.models import PublicVersion
from statements import actions
from statements.models import Observance
from tests.factories import (
    CasualtyFactory,
    EditionFactory,
    IncidentFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
LIST_SURFACES = [
    "/en/",
    "/en/statements/",
    "/en/statements/feed.atom",
    "/en/statements/feed.rss",
    "/sitemap-statements-2024-04.xml",  # the month of EditionFactory's statements
    "/api/v1/statements/",
]


def get(url: str, client: Client | None = None, method: str = "GET", **headers) -> HttpResponse:
    """The site as gunicorn serves it: config.wsgi's application, whose memory of the pages
    this process served answers first, then the whole Django stack. `client` brings its
    cookies and default headers (a signed-in editor, another host)."""
    path, _, query = url.partition("?")
    environ = (client or Client())._base_environ(
        PATH_INFO=path,
        QUERY_STRING=query,
        REQUEST_METHOD=method,
        **HttpHeaders.to_wsgi_names(headers),
    )
    seen: dict = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    # As Django's test client does: the test's transaction is not a stale connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    if method == "HEAD":
        body = b""  # as the server (gunicorn) sends it
    response = HttpResponse(body, status=int(seen["status"][:3]))
    del response["Content-Type"]
    for name, value in seen["headers"]:
        response[name] = value
    return response


def warm(*urls: str) -> None:
    """Request each twice: the second answer comes from the cache."""
    for url in urls:
        get(url)
        assert get(url)["X-Page-Cache"] == "hit", url


def assert_same_as_fresh(*urls: str) -> list[bytes]:
    """What the warm cache serves equals what is drawn from an empty cache."""
    served = [get(url) for url in urls]
    cache.clear()
    local.clear()
    bodies = []
    for url, response in zip(urls, served, strict=True):
        fresh = get(url)
        assert response.status_code == fresh.status_code, url
        assert response.content == fresh.content, url
        bodies.append(response.content)
    return bodies


@pytest.fixture
def live(publish):
    return publish(EditionFactory(title="Mines still kill in the fields"))


def test_a_second_anonymous_request_is_served_whole_from_the_cache(live, django_assert_num_queries):
    url = live.get_absolute_url()
    first = get(url)
    with django_assert_num_queries(1):  # the versions, nothing else
        second = get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Cache-Control", "Content-Language", "X-Frame-Options"):
        assert second[header] == first[header]
    assert "Content-Security-Policy" in second  # added outside the cache, on every response


def test_if_none_match_is_answered_304_from_the_cache(live, django_assert_num_queries):
    url = live.get_absolute_url()
    etag = get(url)["ETag"]
    with django_assert_num_queries(1):
        response = get(url, If_None_Match=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_head_is_answered_from_the_cache_without_a_body(live):
    url = live.get_absolute_url()
    body = get(url).content
    response = get(url, method="HEAD")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""
    assert int(response["Content-Length"]) == len(body)


def test_headers_for_a_cdn_name_the_statement_and_its_surface(live):
    page = get(live.get_absolute_url())
    assert "s-maxage=60" in page["Cache-Control"]
    assert "stale-while-revalidate=60" in page["Cache-Control"]
    assert "public" in page["Cache-Control"]
    assert page["Surrogate-Key"].split() == ["statements", f"statement-{live.document_id}"]
    assert page["Cache-Tag"] == f"statements,statement-{live.document_id}"
    assert get("/en/statements/")["Surrogate-Key"].split() == ["statements", "statement-list"]
    assert get("/api/v1/casualties/stats/?group_by=year")["Surrogate-Key"] == "register statements"


def test_no_header_tells_when_a_scheduled_statement_goes_live(live, editor, publisher):
    before = get("/en/")
    cache.clear()
    local.clear()
    secret = EditionFactory(title="Embargoed until tomorrow")
    actions.submit(secret, by=editor)
    actions.schedule(secret, by=publisher, at=timezone.now() + datetime.timedelta(minutes=7))
    after = get("/en/")
    assert after.content == before.content
    for header in ("Cache-Control", "ETag", "Surrogate-Key", "Expires", "Last-Modified"):
        assert after.get(header) == before.get(header), header


# --- Exact invalidation: every change is on the next request from a warm cache ----------


def test_a_publication_is_on_every_surface_at_once(live, publish):
    warm(*LIST_SURFACES)
    second = publish(EditionFactory(title="A second statement on mine risk"))
    for body in assert_same_as_fresh(*LIST_SURFACES):
        assert b"A second statement on mine risk" in body or second.slug.encode() in body


def test_a_withdrawal_is_on_the_page_and_off_the_lists_at_once(live, publisher):
    url = live.get_absolute_url()
    warm(url, "/en/statements/", "/api/v1/statements/")
    actions.withdraw(live, by=publisher, explanation="Superseded by a joint statement.")
    page, listing, api = assert_same_as_fresh(url, "/en/statements/", "/api/v1/statements/")
    assert b"Superseded by a joint statement." in page
    assert b"Mines still kill in the fields" not in listing
    assert b"Superseded by a joint statement." in api  # the API lists withdrawn ones, marked


def test_an_unpublished_statement_is_gone_at_once(live, publisher):
    url = live.get_absolute_url()
    warm(url, "/en/")
    actions.unpublish(live, by=publisher, explanation="Published in error.")
    assert get(url).status_code == 410
    assert b"Mines still kill in the fields" not in get("/en/").content


@pytest.mark.parametrize("minor", [True, False])
def test_a_new_edition_is_on_the_page_at_once(live, editor, publish, minor):
    url = live.get_absolute_url()
    warm(url, "/api/v1/statements/")
    edition = actions.create_new_edition(live, by=editor)
    edition.body = "<p>The corrected figure is 351 casualties.</p>"
    edition.save()
    options = {"minor_change": True} if minor else {"change_note": "Figure corrected."}
    publish(edition, **options)
    page, _api = assert_same_as_fresh(url, "/api/v1/statements/")
    assert b"351 casualties" in page
    assert (b"Figure corrected." in page) is not minor


def test_a_published_translation_is_linked_from_the_original_at_once(live, editor, publish):
    url = live.get_absolute_url()
    warm(url)
    translation = actions.create_translation(live, by=editor, language="az")
    translation.title = "Minalar hələ də öldürür"
    translation.save()
    publish(translation)
    (page,) = assert_same_as_fresh(url)
    assert translation.get_absolute_url().encode() in page


def test_a_topic_renamed_in_the_admin_is_on_the_page_at_once(publish):
    topic = TopicFactory(name_en="Victim assistance")
    statement = EditionFactory()
    statement.topics.set([topic])
    publish(statement)
    url = statement.get_absolute_url()
    warm(url)
    topic.name_en = "Assistance to survivors"
    topic.save()
    (page,) = assert_same_as_fresh(url)
    assert b"Assistance to survivors" in page


def test_a_register_change_is_in_the_figures_at_once():
    incident = IncidentFactory()
    CasualtyFactory.create_batch(30, incident=incident)
    urls = [
        "/en/casualties/",
        "/api/v1/casualties/stats/?group_by=year",
        "/en/casualties/by_year.csv",
    ]
    before = [get(url).content for url in urls]
    warm(*urls)

    CasualtyFactory.create_batch(40, incident=incident)

    after = assert_same_as_fresh(*urls)
    assert all(new != old for new, old in zip(after, before, strict=True))


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM victims_casualty WHERE id IN (SELECT id FROM victims_casualty LIMIT 25)",
        "UPDATE victims_incident SET occurred_on = '2019-06-01'",
        "UPDATE victims_area SET name = 'Renamed in psql'",
    ],
)
def test_a_register_change_made_with_sql_is_in_the_figures_at_once(statement):
    """Beside the site (psql, a bulk update that sends no signal), the database raises the
    register's version itself, in the transaction of the change."""
    from django.db import connection

    incident = IncidentFactory()
    CasualtyFactory.create_batch(40, incident=incident)
    urls = ["/en/casualties/", "/api/v1/casualties/stats/?group_by=year,area"]
    warm(*urls)
    before = [get(url).content for url in urls]
    with connection.cursor() as cursor:
        cursor.execute(statement)
    after = assert_same_as_fresh(*urls)
    assert after[1] != before[1]


def test_a_scheduled_statement_is_everywhere_at_its_second_and_not_before(live, editor, publisher):
    at = timezone.now().astimezone(BAKU).replace(microsecond=0) + datetime.timedelta(hours=3)
    at = at.replace(minute=0, second=0)
    secret = EditionFactory(title="Statement for the fourth of April")
    actions.submit(secret, by=editor)
    actions.schedule(secret, by=publisher, at=at)
    page = secret.get_absolute_url()
    title = b"Statement for the fourth of April"

    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        warm(*LIST_SURFACES)
        assert get(page).status_code == 404
        assert all(title not in get(url).content for url in LIST_SURFACES)
    with time_machine.travel(at, tick=False):
        assert get(page).status_code == 200
        for url in LIST_SURFACES:
            body = get(url).content
            assert title in body or secret.slug.encode() in body, url


def test_the_next_go_live_is_computed_once_per_version(live, editor, publisher):
    # At noon tomorrow in the site's time zone: half an hour later is before local midnight
    # (the other instant that changes a version), whatever the hour the suite runs at.
    noon = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=1), datetime.time(12, 0)
        )
    )
    with time_machine.travel(noon, tick=False):
        secret = EditionFactory()
        actions.submit(secret, by=editor)
        at = timezone.now() + datetime.timedelta(minutes=30)
        actions.schedule(secret, by=publisher, at=at)
        row = PublicVersion.objects.get(surface="statements")
        assert row.next_change_at == at
        warm("/en/", "/en/statements/")
        assert PublicVersion.objects.get(surface="statements").version == row.version


def test_unscheduling_forgets_the_go_live(live, editor, publisher):
    secret = EditionFactory()
    actions.submit(secret, by=editor)
    actions.schedule(secret, by=publisher, at=timezone.now() + datetime.timedelta(minutes=30))
    actions.unschedule(secret, by=publisher)
    midnight = PublicVersion.objects.get(surface="statements").next_change_at
    assert midnight.astimezone(BAKU).time() == datetime.time(0, 0)


def test_dates_on_pages_move_at_local_midnight(publish):
    eve = datetime.datetime(2027, 2, 2, 23, 59, 59, tzinfo=BAKU)  # 4 April is 61 days away
    with time_machine.travel(eve - datetime.timedelta(hours=1), tick=False):
        Observance.objects.create(name_en="Mine Awareness Day", slug="mine-day", month=4, day=4)
    with time_machine.travel(eve, tick=False):
        warm("/en/")
        assert b"Mine Awareness Day" not in get("/en/").content
    with time_machine.travel(eve + datetime.timedelta(seconds=1), tick=False):
        assert b"Mine Awareness Day" in get("/en/").content


# --- Correct across processes: two caches, one database --------------------------------


def memory_cache(name: str) -> dict:
    """One process's own memory cache (a gunicorn worker without Redis)."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    }


def test_a_change_made_elsewhere_reaches_every_process_on_its_next_request(
    live, settings, editor, publish
):
    first, second = memory_cache("worker-1"), memory_cache("worker-2")
    urls = ["/en/statements/", "/api/v1/casualties/stats/?group_by=year"]
    incident = IncidentFactory()
    CasualtyFactory.create_batch(30, incident=incident)
    for caches in (first, second):
        settings.CACHES = caches
        warm(*urls)
    old = [get(url).content for url in urls]

    # Through the first worker: a publication; from `manage.py shell`: casualties added.
    settings.CACHES = first
    publish(EditionFactory(title="Published through the first worker"))
    CasualtyFactory.create_batch(40, incident=incident)

    settings.CACHES = second
    listing, stats = (get(url) for url in urls)
    assert listing["X-Page-Cache"] == "miss"
    assert b"Published through the first worker" in listing.content
    assert stats.content != old[1]
    settings.CACHES = first
    assert get(urls[1]).content == stats.content


# --- Nothing personal is ever cached ----------------------------------------------------


def test_signed_in_staff_are_never_served_or_stored(live, editor, client):
    url = live.get_absolute_url()
    warm(url)
    client.force_login(editor)
    staff = get(url, client)
    assert "X-Page-Cache" not in staff
    cache.clear()
    local.clear()
    get(url, client)
    assert get(url)["X-Page-Cache"] == "miss"  # the staff page was not kept


def test_a_share_link_preview_is_never_cached(editor):
    draft = EditionFactory(title="A draft shown to a partner")
    token = actions.create_share_link(draft, by=editor)
    url = f"/preview/{token}/"
    first, second = get(url), get(url)
    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second
    actions.revoke_share_links(draft, by=editor)
    assert get(url).status_code == 404


def test_keyed_api_responses_are_never_cached(live):
    from victims.models import PartnerKey

    _key, secret = PartnerKey.objects.create_key(name="Researchers")
    keyed = {"Authorization": f"Api-Key {secret}"}
    url = "/api/v1/statements/"
    get(url, **keyed)
    second = get(url, **keyed)
    assert "X-Page-Cache" not in second
    assert get(url)["X-Page-Cache"] == "miss"


@pytest.mark.urls("tests.pagecache.urls")
@pytest.mark.parametrize("path", ["/en/sets-a-cookie/", "/en/varies-on-cookie/", "/en/private/"])
def test_personal_responses_are_never_stored(path):
    from tests.pagecache import urls

    urls.CALLS.clear()
    get(path)
    second = get(path)
    assert "X-Page-Cache" not in second
    assert len(urls.CALLS) == 2  # drawn twice


def test_the_admin_and_uploaded_files_are_never_cached(admin_client):
    assert "X-Page-Cache" not in get("/admin/login/")
    assert "X-Page-Cache" not in get("/media/statements/none.jpg")


def test_errors_are_not_stored():
    get("/en/statements/2024/04/04/no-such-statement/")
    assert "X-Page-Cache" not in get("/en/statements/2024/04/04/no-such-statement/")


def test_a_migration_raises_every_version():
    from django.core.management import call_command

    before = versions.current()
    call_command("migrate", "pagecache", verbosity=0)
    after = versions.current()
    assert all(after[name].number == before[name].number + 1 for name in before)


def test_languages_and_api_formats_are_kept_apart(live):
    az = get("/api/v1/casualties/stats/?group_by=year", Accept_Language="az")
    en = get("/api/v1/casualties/stats/?group_by=year", Accept_Language="en")
    csv = get("/api/v1/casualties/stats/?group_by=year", Accept="text/csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert get("/api/v1/casualties/stats/?group_by=year", Accept="text/csv").content == csv.content
    assert get("/api/v1/casualties/stats/?group_by=year", Accept_Language="az").content == (
        az.content
    )
    assert en["Content-Type"].startswith("application/json")


def test_a_connection_the_database_dropped_is_replaced_once(monkeypatch):
    """Reading the versions is the request's health check of a kept connection: a read that
    fails on a connection no longer usable closes it and reads again, once."""
    from django.db import OperationalError, connections

    connection = connections["default"]
    versions.current()  # a connection is open and kept
    calls, closed = [], []
    real_select = versions._select

    def dropped_once():
        calls.append(True)
        if len(calls) == 1:
            monkeypatch.setattr(connection, "is_usable", lambda: False)
            raise OperationalError("server closed the connection unexpectedly")
        return real_select()

    # As between two requests (outside the test's transaction), without really closing it.
    monkeypatch.setattr(connection, "in_atomic_block", False)
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    monkeypatch.setattr(versions, "_select", dropped_once)
    found = versions.current()
    assert set(found) == {"statements", "register"}
    assert len(calls) == 2
    assert closed == [True]  # the dropped connection let go before the second try


def test_each_process_keeps_recent_entries_in_its_memory_within_its_budget(live, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 64 * 1024
    url = live.get_absolute_url()
    get(url)
    cache.clear()  # gone from the shared cache: served from this process's memory
    assert get(url)["X-Page-Cache"] == "hit"
    assert local.size <= settings.PAGE_CACHE_LOCAL_BYTES
    for n in range(40):  # more pages than the budget holds: the oldest go first
        get(f"/en/statements/?page={n}")
    assert local.size <= settings.PAGE_CACHE_LOCAL_BYTES
    assert local.get(next(iter(local.entries))) is not None
    cache.clear()
    assert get(url)["X-Page-Cache"] == "miss"  # pushed out of memory too


def test_a_waiting_message_is_shown_not_hidden_by_the_cache(live):
    url = live.get_absolute_url()
    warm(url)
    client = Client()
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in get(url, client)


def test_a_statement_page_applies_the_visibility_rule_once(publish, editor, settings):
    """Drawn anew (page cache off), the statement and its language versions are found by one
    query that applies the rule; the page costs four queries however many versions it has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = False
    original = publish(EditionFactory(title="Mines still kill in the fields"))
    for language in ("az", "ru"):
        publish(actions.create_translation(original, by=editor, language=language))
    get("/en/")  # the site's identity, kept per version
    connection.features.supports_json_field  # noqa: B018 (SQLite checks it once per connection)
    url = original.get_absolute_url()
    with CaptureQueriesContext(connection) as captured:
        page = get(url)
    assert page.status_code == 200
    visibility = [q for q in captured.captured_queries if "EXISTS" in q["sql"].upper()]
    assert len(visibility) == 1
    # The versions; the statement with its language versions; its topics; its documents,
    # change notes and first publication (one query).
    assert len(captured.captured_queries) == 4
    for language in ("az", "ru"):
        assert f'hreflang="{language}"'.encode() in page.content


def test_an_organisation_edit_reaches_the_casualty_pages_at_once():
    from statements.models import Organisation

    ministry = Organisation.objects.create(name_en="Ministry of Defence", is_default=True)
    urls = ["/en/casualties/", "/en/casualties/snapshots/"]
    warm(*urls)
    ministry.name_en = "Ministry of Foreign Affairs"
    ministry.save()
    for body in assert_same_as_fresh(*urls):
        assert b"Ministry of Foreign Affairs" in body


def test_work_on_drafts_shows_nowhere_not_even_as_a_cache_miss(live, editor, publisher):
    """Saving, submitting and returning a draft to its author change no public page: no
    version moves, so nobody polling the site can tell the office is at work."""
    draft = EditionFactory(title="Not yet", issuer=live.issuer)
    warm("/en/", "/api/v1/statements/")
    before = versions.current()
    draft.title = "Not yet, shorter"
    actions.save_edit(draft, by=editor, created=False, seen_version=draft.lock_version)
    actions.submit(draft, by=editor)
    actions.return_to_draft(draft, by=publisher, comment="Shorter, please.")
    versions_after = versions.current()
    assert versions_after == before
    assert get("/en/")["X-Page-Cache"] == "hit"
    assert get("/api/v1/statements/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("query", ["?utm_source=mail", "?page=2&x=1", "?q=" + "m" * 400])
def test_unknown_or_long_query_strings_are_served_but_not_kept(live, query):
    first = get("/en/statements/" + query)
    assert first.status_code in (200, 400)
    assert "X-Page-Cache" not in get("/en/statements/" + query)


def test_keyed_and_staff_answers_tell_shared_caches_and_browsers_not_to_keep_them(
    live, editor, client
):
    from victims.models import PartnerKey

    _key, secret = PartnerKey.objects.create_key(name="Researchers")
    keyed = get("/api/v1/casualties/incidents/", Authorization=f"Api-Key {secret}")
    assert keyed.status_code == 200
    assert "private" in keyed["Cache-Control"]
    client.force_login(editor)
    staff = client.get(live.get_absolute_url())
    assert staff["Cache-Control"] == "private, no-cache"


def test_a_bump_locks_the_row_before_it_looks_for_the_next_go_live():
    """A change waiting for another to commit (one that scheduled a statement) must see it:
    the lock comes first, the scheduled-time lookup after."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        versions.bump("statements")
    sql = [q["sql"] for q in captured.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "pagecache_publicversion" in q)
    lookup = next(i for i, q in enumerate(sql) if "go_live_at" in q)
    assert lock < lookup
    assert sql[lock].startswith("SELECT")
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sql[lock]


def test_commands_raise_versions_outside_any_transaction(run_python, tmp_path):
    """`migrate`, `generate_casualties` and other commands raise versions in autocommit mode
    (the test suite's own transaction hides that case). On the database the suite runs on:
    PostgreSQL refuses a row lock outside a transaction, SQLite has none to refuse."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    if connection.vendor == "postgresql":  # the test database itself, already migrated
        parts = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    result = run_python(
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from pagecache import versions\n"
        "before = versions.current()['register'].number\n"
        "versions.bump('register')\n"
        "print(before, versions.current()['register'].number)\n",
        env={"DEBUG": "1", "DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, after = (int(n) for n in result.stdout.split()[-2:])
    assert after == before + 1


# --- Served from this process's memory, before the rest of the stack ---------------------


def test_memory_answers_a_plain_read_as_the_whole_stack_did(live, django_assert_num_queries):
    url = live.get_absolute_url()
    first = get(url)
    cache.clear()  # only this process's memory has it now
    with django_assert_num_queries(1):  # the versions
        second = get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Headers that middleware outside the page cache adds are kept with it.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header], header


def test_cors_answers_are_neither_taken_from_nor_kept_in_memory(live):
    url = "/api/v1/statements/"
    assert "Access-Control-Allow-Origin" not in get(url)
    cross = get(url, Origin="https://partner.example")
    assert cross["X-Page-Cache"] == "hit"  # from the shared cache, through CORS
    assert cross["Access-Control-Allow-Origin"] in ("*", "https://partner.example")
    plain = get(url)
    assert "Access-Control-Allow-Origin" not in plain  # the CORS answer was not kept


def test_a_head_request_does_not_leave_an_empty_page_in_memory(live):
    url = live.get_absolute_url()
    assert get(url, method="HEAD").content == b""
    page = get(url)
    assert b"Mines still kill in the fields" in page.content
    assert get(url).content == page.content


def test_a_host_not_allowed_is_refused_not_served_from_memory(live):
    url = live.get_absolute_url()
    warm(url)
    client = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    for address in (url, "/api/v1/statements/", "/admin/login/", "/en/no-such-page/"):
        response = get(address, client)
        assert response.status_code == 400, address  # refused, not a server error
        assert "X-Page-Cache" not in response
        assert b"evil.example" not in response.content
        # The 400 is drawn by the whole stack, with its security headers.
        assert "default-src 'self'" in response["Content-Security-Policy"], address


def test_a_conditional_request_is_answered_304_after_a_hit_from_memory(live):
    url = live.get_absolute_url()
    etag = get(url)["ETag"]
    assert get(url)["X-Page-Cache"] == "hit"
    assert get(url, If_None_Match=etag).status_code == 304


def test_memory_keeps_languages_chosen_by_cookie_or_browser_apart(live):
    """Off the language prefixes (the API, the sitemap) the language comes from the reader's
    cookie or browser: what one reader was served is never served to a reader of another."""
    url = "/api/v1/statements/"
    for _ in range(2):  # the second round comes from memory
        assert get(url, Accept_Language="az")["Content-Language"] == "az"
        assert get(url, Accept_Language="en")["Content-Language"] == "en"
        russian = Client()
        russian.cookies["django_language"] = "ru"
        answer = get(url, russian, Accept_Language="az")
        assert answer["Content-Language"] == "ru"
    assert answer["X-Page-Cache"] == "hit"


def test_memory_keeps_schemes_and_hosts_apart(live, settings):
    """The sitemap names the scheme and host it was asked on: a page drawn for one host, or
    for https behind a proxy, is never served from memory to another."""
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    one, two = Client(HTTP_HOST="one.example"), Client(HTTP_HOST="two.example")
    for _ in range(2):
        assert b"http://one.example/" in get("/sitemap.xml", one).content
        other = get("/sitemap.xml", two).content
        assert b"http://two.example/" in other
        assert b"one.example" not in other
        secure = get("/sitemap.xml", one, X_Forwarded_Proto="https")
        assert b"https://one.example/" in secure.content
    assert secure["X-Page-Cache"] == "hit"


def test_refresh_public_pages_serves_anew_what_was_changed_beside_the_site(live):
    """A change of a statement made outside the site (SQL in psql) raises no version (a
    draft's edits must not either): the command does, and the next request shows the
    change; a surface it does not know is refused, naming it."""
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.db import connection

    url = live.get_absolute_url()
    warm(url)
    with connection.cursor() as cursor:  # as an operator would, beside the site
        cursor.execute(
            "UPDATE statements_edition SET title = %s WHERE id = %s",
            ["Retitled in psql", live.pk],
        )
    assert b"Retitled in psql" not in get(url).content  # no version raised: still cached
    out = StringIO()
    call_command("refresh_public_pages", "statements", stdout=out)
    assert "statements: version" in out.getvalue()
    assert b"Retitled in psql" in get(url).content
    before = PublicVersion.objects.get(surface="register").version
    with pytest.raises(CommandError, match="Unknown surface 'casualties'"):
        call_command("refresh_public_pages", "casualties")
    call_command("refresh_public_pages", stdout=out)
    assert PublicVersion.objects.get(surface="register").version == before + 1
