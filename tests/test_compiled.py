"""Querysets compiled once per process (config/compiled.py) give what the queryset gives, for
any values, and a query whose SQL would not stay the same is refused."""

import datetime

import pytest
from django.utils import timezone

from config.compiled import CompiledQuery, NotCompilable
from statements import actions
from statements.models import Edition
from statements.views import AT_ADDRESS, LATEST, TOPICS_OF, public_statements
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
            expected = list(public_statements(language, listed=True, at=at)[:10])
            assert LATEST(language=language, at=at) == expected
    # Not vacuous: the scheduled statement comes in at its time, the withdrawn one never.
    assert [s.title for s in LATEST(language="en", at=later_at - second)] == ["Shown"]
    assert [s.title for s in LATEST(language="en", at=later_at)] == ["Later", "Shown"]
    assert [s.title for s in LATEST(language="ru", at=now)] == [statements["russian"].title]


def test_a_statement_by_its_address_comes_with_its_versions_and_topics(
    statements, django_assert_num_queries
):
    shown, russian, now = statements["shown"], statements["russian"], statements["now"]

    with django_assert_num_queries(2):  # the statements; the topics of the one shown
        found = AT_ADDRESS(language="en", issued_on=shown.issued_on, slug=shown.slug, at=now)
        assert [topic.name_en for topic in TOPICS_OF(edition=shown.pk)] == ["Mine action"]
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
