"""Search runs on both databases: full-text on PostgreSQL, a plain match on SQLite."""

import pytest
from django.db import connection

from statements.models import Kind
from tests.factories import EditionFactory, StatementFactory, TopicFactory
from tests.html_checks import heading_levels, skipped_heading_levels

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    import re

    return re.findall(r'<h[23] class="card__title"><a href="[^"]+">([^<]+)</a>', response.text)


@pytest.fixture
def corpus(publish):
    publish(
        EditionFactory(
            title="Landmine victims in Kalbajar",
            summary="Figures on landmine victims in the district.",
            body="<p>Clearance goes on.</p>",
        )
    )
    publish(
        EditionFactory(
            title="Reconstruction of Lachin",
            summary="New roads and schools.",
            body="<p>Several landmine incidents slowed the work.</p>",
        )
    )
    publish(
        EditionFactory(
            title="Diplomatic calendar",
            summary="Meetings this week.",
            body="<p>Nothing about mines.</p>",
        )
    )


def test_search_finds_words_in_title_summary_and_body(client, corpus):
    found = titles(client.get("/en/statements/", {"q": "landmine"}))

    assert set(found) == {"Landmine victims in Kalbajar", "Reconstruction of Lachin"}


def test_search_ranks_title_matches_before_body_matches(client, corpus):
    found = titles(client.get("/en/statements/", {"q": "landmine"}))

    assert found == ["Landmine victims in Kalbajar", "Reconstruction of Lachin"]


def test_search_highlights_the_matched_words(client, corpus):
    page = client.get("/en/statements/", {"q": "victims"}).text

    assert "<mark>victims</mark>" in page


def test_search_combines_with_filters(client, publish, corpus):
    topic = TopicFactory(slug="mine-action")
    speech = publish(
        EditionFactory(title="Landmine speech", kind=Kind.SPEECH, summary="On landmines.")
    )
    speech.topics.add(topic)

    by_kind = titles(client.get("/en/statements/", {"q": "landmine", "kind": "speech"}))
    by_topic = titles(client.get("/en/statements/", {"q": "landmine", "topic": "mine-action"}))

    assert by_kind == ["Landmine speech"]
    assert by_topic == ["Landmine speech"]


def test_search_stays_within_the_language(client, publish, corpus):
    publish(
        EditionFactory(
            title="Жертвы мин",
            summary="Landmine in another language",
            document=StatementFactory(language="ru"),
        )
    )

    assert "Жертвы мин" not in titles(client.get("/en/statements/", {"q": "landmine"}))


def test_russian_search_uses_the_language_configuration(client, publish):
    publish(
        EditionFactory(
            title="Заявление о минной опасности",
            summary="Минные поля остаются угрозой.",
            document=StatementFactory(language="ru"),
        )
    )

    exact = titles(client.get("/ru/statements/", {"q": "опасности"}))
    assert exact == ["Заявление о минной опасности"]
    if connection.vendor == "postgresql":
        # The Russian stemmer finds other forms of the word.
        assert titles(client.get("/ru/statements/", {"q": "опасность"})) == exact


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 10_000,
        "!!!???...",
        "' OR 1=1; DROP TABLE statements_statement; --",
        "<script>alert(1)</script>",
        '"unclosed phrase',
        "-",
        # a NUL byte is a 400 before any view: tests/test_nul_bytes.py
        "\u202e\u200b",
        "%_%",
        "landmine & | ! ( ) :*",
    ],
)
def test_absurd_queries_return_a_normal_page(client, corpus, query):
    response = client.get("/en/statements/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


@pytest.mark.parametrize("count", [1, 50])
def test_search_results_queries_do_not_grow(client, publish, count, django_assert_max_num_queries):
    for n in range(count):
        publish(EditionFactory(title=f"Landmine report {n}"))

    # 7 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(8):
        response = client.get("/en/statements/", {"q": "landmine"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path,params",
    [
        ("/en/statements/", {}),
        ("/en/statements/", {"kind": "statement"}),
        ("/en/statements/", {"q": "landmine"}),
        ("/en/statements/", {"q": "nothing matches this"}),
        ("/ru/statements/", {"q": "landmine"}),
        ("/en/statements/", {"year": "not a year"}),  # the 400 page of a bad filter
    ],
)
def test_list_and_search_pages_never_skip_a_heading_level(client, corpus, path, params):
    response = client.get(path, params)

    assert heading_levels(response.text)[:1] == [1]
    assert skipped_heading_levels(response.text) == []


def test_a_search_result_page_is_not_indexed_and_has_no_language_alternates(client, corpus):
    head = client.get("/en/statements/", {"q": "landmine"}).text.split("</head>")[0]
    page_two = client.get("/en/statements/", {"q": "landmine", "page": 2}).text
    listing = client.get("/en/statements/").text.split("</head>")[0]

    assert '<meta name="robots" content="noindex">' in head
    assert "hreflang" not in head
    assert "q=landmine" not in head
    assert '<meta name="robots" content="noindex">' in page_two.split("</head>")[0]
    # the list itself, without a query (also as the filter form sends it, with an empty
    # one), is indexed and names its language versions
    filtered = client.get("/az/statements/", {"kind": "speech", "q": ""}).text
    assert "noindex" not in listing
    assert "noindex" not in filtered.split("</head>")[0]
    assert 'hreflang="ru" href="http://testserver/ru/statements/?kind=speech&amp;q="' in filtered
    assert '<link rel="alternate" hreflang="az" href="http://testserver/az/statements/">' in (
        listing
    )
