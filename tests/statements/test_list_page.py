"""The statement list is drawn from plain values (statements/list_page.py): its unfiltered
pages read rows through compiled queries, its filter form is kept per process by what it
shows, and its page by its values. Each must show what the list holds now, through every
change, page and filter, and the same as the filter set's own way."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from statements import actions, list_page
from statements.filters import StatementFilter, statements_by_year
from statements.models import Edition, Kind, Topic
from tests.factories import EditionFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request reaches the view, as the first one after a change does."""
    settings.PAGE_CACHE = False


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">([^<]*)</a>', response.text)


def filter_form(response) -> str:
    return re.search(r'<form class="filters".*?</form>', response.text, re.S).group(0)


@pytest.fixture
def many(publish):
    """45 statements over two years, a speech in every fifth; one withdrawn, one Russian."""
    made = []
    for n in range(45):
        made.append(
            publish(
                EditionFactory(
                    title=f"Statement {n:02d}",
                    issued_on=datetime.date(2024 if n < 30 else 2023, 1 + n % 12, 1 + n % 28),
                    kind=Kind.SPEECH if n % 5 == 0 else Kind.STATEMENT,
                )
            )
        )
    publish(EditionFactory(title="Russian", document=StatementFactory(language="ru")))
    return made


def expected_titles(**filters) -> list[str]:
    return list(
        Edition.objects.listed()
        .in_language("en")
        .filter(**filters)
        .order_by("-issued_on", "-go_live_at")
        .values_list("title", flat=True)
    )


def test_every_page_of_the_list_shows_the_statements_the_queryset_lists(client, many):
    expected = expected_titles()
    assert len(expected) == 45
    shown = []
    for number in (1, 2, 3):
        shown += titles(client.get(f"/en/statements/?page={number}"))
    assert shown == expected
    # A page past the last, or not a number, is the last or the first page, as Django's
    # paginator gives them.
    assert titles(client.get("/en/statements/?page=99")) == expected[40:]
    assert titles(client.get("/en/statements/?page=x")) == expected[:20]
    assert "45 statements" in client.get("/en/statements/").text


def test_a_filtered_list_shows_what_the_filter_set_gives(client, many):
    response = client.get("/en/statements/?kind=speech")
    assert titles(response) == expected_titles(kind=Kind.SPEECH)
    assert "9 statements" in response.text
    year = client.get("/en/statements/?year=2023&page=1")
    assert titles(year) == expected_titles(issued_on__year=2023)
    # An empty filter lists the same as no filter, with the same pages.
    assert titles(client.get("/en/statements/?kind=&page=2")) == titles(
        client.get("/en/statements/?page=2")
    )


def test_a_change_shows_on_the_next_request(client, many, publisher):
    first = titles(client.get("/en/statements/"))[0]
    newest = Edition.objects.get(title=first)
    actions.withdraw(newest, by=publisher, explanation="Issued in error.")
    after = client.get("/en/statements/")
    assert first not in titles(after)
    assert "44 statements" in after.text
    assert titles(after) == expected_titles()[:20]


def test_the_filter_form_shows_topics_and_years_as_they_are_now(client, publish):
    topic = TopicFactory(name_en="Mine action", name_ru="Противоминная деятельность")
    publish(EditionFactory(issued_on=datetime.date(2024, 4, 4)))
    form = filter_form(client.get("/en/statements/"))
    assert ">Mine action</option>" in form
    assert '<option value="2024">' in form

    Topic.objects.filter(pk=topic.pk).update(name_en="Demining")
    publish(EditionFactory(issued_on=datetime.date(2021, 4, 4)))
    form = filter_form(client.get("/en/statements/"))
    assert ">Demining</option>" in form and "Mine action" not in form
    assert '<option value="2021">' in form
    assert ">Противоминная деятельность</option>" in filter_form(client.get("/ru/statements/"))


def test_a_search_form_shows_its_own_words(client, publish):
    publish(EditionFactory(title="Mine awareness", summary="About mines."))
    assert 'value="mine"' in filter_form(client.get("/en/statements/?q=mine"))
    second = filter_form(client.get("/en/statements/?q=awareness"))
    assert 'value="awareness"' in second and 'value="mine"' not in second


def test_a_kept_filter_form_is_the_filter_sets_own_form(publish):
    """The form drawn with the topics read for its key is the form Django draws from the
    filter set, in every language, unbound, filtered, and with errors."""
    TopicFactory(name_en="Mine action", name_az="Minalardan təmizləmə", slug="mine-action")
    TopicFactory(name_en="Victim assistance", slug="victims")
    publish(EditionFactory(issued_on=datetime.date(2024, 4, 4)))
    for language in ("en", "az", "ru"):
        with translation.override(language):
            by_year = statements_by_year(language)
            for data in (None, {"topic": "mine-action", "year": "2024"}, {"kind": "nope"}):
                names = ("kind", "topic", "year", "q")
                chosen = list_page.chosen_filters(data, names) if data else None

                def make(data=data, language=language):
                    return StatementFilter(
                        data, queryset=list_page.listed(language), language=language
                    )

                django_drawn = render_to_string(list_page.FORM_TEMPLATE, {"filter": make()})
                assert list_page.filter_form(language, by_year, chosen, make) == django_drawn
                # Again, now from the process's memory where it was kept.
                assert list_page.filter_form(language, by_year, chosen, make) == django_drawn


def test_the_list_keeps_its_query_count_whether_drawn_or_kept(
    client, many, django_assert_num_queries
):
    """The versions of what the public sees (which also tell whether the site's identity this
    process knows is current), the statements of each year, the page of statements and the
    topics: four, whether the page and its filter form are drawn or kept."""
    client.get("/en/statements/?page=2")  # the site's identity, read once per version
    for _ in range(2):
        with django_assert_num_queries(4):
            response = client.get("/en/statements/?page=3")
        assert titles(response) == expected_titles()[40:]


def test_searches_and_filters_leave_nothing_in_the_process_memory_but_their_pages(client, many):
    """A search's words are anything a visitor types, and filters combine: neither a search
    page nor a filtered form is kept, so no query string can fill the memory that keeps
    drawn pages (pagecache/middleware.py `local`). The unfiltered list's form is kept once."""
    from pagecache.middleware import local

    client.get("/en/statements/")
    kept = set(local.entries)
    for n in range(30):
        assert client.get(f"/en/statements/?q=statement+{n}").status_code == 200
        # Unknown or repeated parameters, and invalid values, are not kept either.
        assert client.get(f"/en/statements/?kind=&utm_source={n}").status_code == 200
        repeated = "&".join(["kind=speech"] * (n + 2))
        assert client.get(f"/en/statements/?{repeated}").status_code == 200
        assert client.get(f"/en/statements/?year={1800 + n}").status_code == 400
    assert set(local.entries) == kept
    client.get("/en/statements/?kind=speech")
    client.get("/en/statements/?kind=statement&year=2024")
    added = set(local.entries) - kept
    # The two filtered pages, drawn from their values; not their forms.
    assert len(added) == 2
    assert all(key.startswith("drawn-page:") for key in added)
