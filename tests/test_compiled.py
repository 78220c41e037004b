"""Querysets compiled once per process (config/compiled.py) give what the queryset gives, for
any values, and a query whose SQL would not stay the same is refused."""

import datetime

import pytest
from django.utils import timezone

from config.compiled import CompiledQuery, NotCompilable
from statements import actions
from statements.list_page import CARD_FIELDS
from statements.models import Edition
from statements.views import AT_ADDRESS, LATEST, page_parts, public_statements
from tests.factories import EditionFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def statements(publish, editor, publisher):
    """English statements published, scheduled, withdrawn and in draft, one with a Russian
    version and a topic."""
    now = timezone.now()
    shown = publish(EditionFactory(title="Shown", issued_on=datetime.date(2024, 4, 4)))
    shown.topics.add(TopicFactory(name_en="Mine action"))
    russian = actions.create_translation(shown, by=editor, language="ru")
    actions.submit(russian, by=editor)
    actions.publish(russian, by=publisher)
    later = publish(
        EditionFactory(title="Later", issued_on=datetime.date(2024, 5, 1)), at=now + HOUR
    )
    withdrawn = publish(EditionFactory(title="Withdrawn", issued_on=datetime.date(2024, 3, 1)))
    actions.withdraw(withdrawn, by=publisher, explanation="Wrong figures.")
    EditionFactory(title="Draft", issued_on=datetime.date(2024, 6, 1))
    return {
        "shown": shown,
        "russian": russian,
        "later": later,
        "later_at": now + HOUR,
        "now": timezone.now(),
    }


def test_the_latest_statements_are_those_the_queryset_gives_at_any_time(statements):
    now, later_at = statements["now"], statements["later_at"]
    second = datetime.timedelta(seconds=1)
    for language in ("en", "ru", "az"):
        for at in (now - HOUR, now, later_at - second, later_at, later_at + HOUR):
            expected = list(
                public_statements(language, listed=True, at=at)[:10].values_list(*CARD_FIELDS)
            )
            assert LATEST(language=language, at=at) == expected
    # Not vacuous: the scheduled statement comes in at its time, the withdrawn one never.
    title = CARD_FIELDS.index("title")
    assert [row[title] for row in LATEST(language="en", at=later_at - second)] == ["Shown"]
    assert [row[title] for row in LATEST(language="en", at=later_at)] == ["Later", "Shown"]
    assert [row[title] for row in LATEST(language="ru", at=now)] == [statements["russian"].title]


def test_a_statement_by_its_address_comes_with_its_versions_and_topics(
    statements, django_assert_num_queries
):
    shown, russian, now = statements["shown"], statements["russian"], statements["now"]

    page_parts(shown)  # SQLite: a connection's first JSON query checks the JSON functions
    with django_assert_num_queries(3):  # the statements; the topics, the parts of the one shown
        found = AT_ADDRESS(language="en", issued_on=shown.issued_on, slug=shown.slug, at=now)
        topics, attachments = page_parts(next(e for e in found if e.pk == shown.pk))
        assert [topic.name_en for topic in topics] == ["Mine action"] and attachments == []
    assert sorted(found, key=lambda e: e.pk) == [shown, russian]
    with django_assert_num_queries(0):  # joined
        assert {e.document.language for e in found} == {"en", "ru"} and found[0].issuer.name_en
    by_russian = AT_ADDRESS(language="ru", issued_on=russian.issued_on, slug=russian.slug, at=now)
    assert sorted(by_russian, key=lambda e: e.pk) == [shown, russian]
    later = statements["later"]
    assert AT_ADDRESS(language="en", issued_on=later.issued_on, slug=later.slug, at=now) == []
    assert AT_ADDRESS(
        language="en", issued_on=later.issued_on, slug=later.slug, at=statements["later_at"]
    ) == [later]
    assert AT_ADDRESS(language="az", issued_on=shown.issued_on, slug=shown.slug, at=now) == []


def test_a_query_whose_shape_or_values_do_not_come_from_its_arguments_is_refused(statements):
    def in_list(ids):
        return Edition.objects.filter(pk__in=ids)

    with pytest.raises(NotCompilable, match="shape"):
        CompiledQuery(in_list, samples=({"ids": [1]}, {"ids": [1, 2]}))(ids=[3])

    def published_now(language):  # the clock read inside: not an argument
        return Edition.objects.published().in_language(language)

    with pytest.raises(NotCompilable, match=r"parameter \d+"):
        CompiledQuery(published_now, samples=({"language": "en"}, {"language": "ru"}))(
            language="en"
        )


def test_the_rows_of_a_compiled_query_carry_the_values_the_queryset_gives(statements):
    """Dates, times and text as Django converts them, on the first call and on later ones
    (which reuse the converters worked out on the first)."""
    shown, now = statements["shown"], statements["now"]

    def values(editions):
        return sorted(
            (
                e.pk,
                e.title,
                e.issued_on,
                e.go_live_at,
                e.document.first_published_at,
                e.document.language,
                e.issuer.name_en,
            )
            for e in editions
        )

    expected = values(
        Edition.objects.published(now)
        .filter(document__translation_key=shown.document.translation_key)
        .for_page()
    )
    for _ in range(3):
        found = AT_ADDRESS(language="en", issued_on=shown.issued_on, slug=shown.slug, at=now)
        assert values(found) == expected
    assert isinstance(expected[0][2], datetime.date) and expected[0][3].tzinfo is not None


def test_a_pages_parts_in_one_query_are_those_of_their_own_querysets(statements, editor, publisher):
    """Topics by English name, documents in their order, and the history of the editions
    that went live up to the one shown, read as JSON rows, equal what the ORM reads."""
    from statements.models import Attachment

    shown = statements["shown"]
    for name in ("Victim assistance", "Advocacy"):
        shown.topics.add(TopicFactory(name_en=name))
    for position, title in ((2, "Third"), (0, "First"), (1, "Second")):
        Attachment.objects.create(
            edition=shown,
            title=title,
            file=f"attachments/{title}.pdf",
            media_type="application/pdf",
            size=10 + position,
            position=position,
        )
    current = shown
    for note in ("Figures corrected.", "A paragraph added."):
        current = actions.create_new_edition(current, by=editor)
        actions.submit(current, by=editor)
        actions.publish(current, by=publisher, change_note=note)
    later = actions.create_new_edition(current, by=editor)
    actions.submit(later, by=editor)
    actions.publish(later, by=publisher, change_note="Not yet.", at=timezone.now() + HOUR)
    for edition in (shown, current):
        fresh = Edition.objects.get(pk=edition.pk)
        topics, attachments = page_parts(fresh)
        expected = Edition.objects.get(pk=edition.pk)

        assert [(t.pk, t.name_en, t.slug) for t in topics] == [
            (t.pk, t.name_en, t.slug) for t in expected.topics.order_by("name_en", "pk")
        ]
        assert [(a.pk, a.title, a.file.name, a.size) for a in attachments] == [
            (a.pk, a.title, a.file.name, a.size)
            for a in expected.attachments.order_by("position", "pk")
        ]
        assert [
            (e.pk, e.change_note, e.public_updated_at) for e in fresh.public_change_notes()
        ] == [(e.pk, e.change_note, e.public_updated_at) for e in expected.public_change_notes()]
        assert fresh.last_public_update() == expected.last_public_update()
    assert [e.change_note for e in Edition.objects.get(pk=current.pk).public_change_notes()] == [
        "A paragraph added.",
        "Figures corrected.",
    ]
    assert [t.name_en for t in page_parts(Edition.objects.get(pk=shown.pk))[0]] == [
        "Advocacy",
        "Mine action",
        "Victim assistance",
    ]


def plan_cache_mode() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_a_query_given_the_generic_plan_runs_with_it_and_leaves_the_setting_as_it_was(
    statements,
):
    """LATEST runs with PostgreSQL's generic plan (config/compiled.py `with_generic_plan`):
    the same statements as the queryset's, the setting in force while it runs and back as it
    was afterwards; elsewhere no command is sent at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.compiled import SETTINGS_COMMANDS, with_generic_plan

    before = plan_cache_mode()
    with CaptureQueriesContext(connection) as asked:
        for _ in range(4):  # prepared from the third run on
            assert LATEST(language="en", at=statements["now"]) == list(
                public_statements("en", listed=True, at=statements["now"])[:10].values_list(
                    *CARD_FIELDS
                )
            )
    sent = [query["sql"] for query in asked.captured_queries if query["sql"] in SETTINGS_COMMANDS]
    during = with_generic_plan(plan_cache_mode)
    if connection.vendor == "postgresql":
        assert sent == list(SETTINGS_COMMANDS) * 4
        assert (before, during) == ("auto", "force_generic_plan")
    else:
        assert sent == [] and during is None
    assert plan_cache_mode() == before


@pytest.mark.django_db(transaction=True)
def test_the_generic_plan_setting_ends_with_the_query_or_its_transaction():
    """Outside a transaction the setting lives in one of its own (behind a transaction
    pooler, a session's setting could reach another client's session); inside one it is
    reset after the query, and an error there - a database's or any other - leaves the
    transaction as such an error would without it. (No data of its own: outside the test
    transaction, serialized data would have to be put back for the tests after it.)"""
    from django.db import DatabaseError, connection, transaction

    from config.compiled import with_generic_plan

    before = plan_cache_mode()
    expected = "force_generic_plan" if connection.vendor == "postgresql" else None
    assert with_generic_plan(plan_cache_mode) == expected
    assert plan_cache_mode() == before
    LATEST(language="en", at=timezone.now())  # a compiled query given the generic plan
    assert plan_cache_mode() == before

    def refuse():
        assert plan_cache_mode() == expected
        raise ValueError("not a database error")

    with transaction.atomic():
        with pytest.raises(ValueError, match="not a database error"):
            with_generic_plan(refuse)
        assert plan_cache_mode() == before
        Edition.objects.exists()  # the transaction goes on: no TransactionManagementError

    def fail():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(DatabaseError), transaction.atomic():
        with_generic_plan(fail)
    assert plan_cache_mode() == before
    with pytest.raises(DatabaseError):
        with_generic_plan(fail)
    assert plan_cache_mode() == before


@pytest.mark.django_db(transaction=True)
def test_a_query_given_the_generic_plan_still_runs_after_a_migration_changed_its_columns(
    request,
):
    """In the transaction the generic plan is given in, a statement prepared before a
    migration changed a column it returns fails once; it is run again (as
    config/backends.py runs such a query again outside a transaction)."""
    from django.db import connection

    from config.compiled import with_generic_plan

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, slug FROM probe_prepared WHERE id = %s", [1])
            return cursor.fetchall()

    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE probe_prepared (id int, slug varchar(10))")
            cursor.execute("INSERT INTO probe_prepared VALUES (1, 'mine-day')")
        try:
            assert with_generic_plan(read) == [(1, "mine-day")]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE probe_prepared")
        return
    other = request.getfixturevalue("probe_table")
    for _ in range(3):  # prepared from the second run
        with_generic_plan(read)
    other.execute("ALTER TABLE probe_prepared ALTER COLUMN slug TYPE varchar(120)")
    for _ in range(2):
        assert with_generic_plan(read) == [(1, "mine-day")]
