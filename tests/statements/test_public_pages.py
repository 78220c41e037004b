import datetime
import json
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from statements import actions
from statements.models import Attachment, Edition, Kind
from tests.factories import EditionFactory, StatementFactory, TopicFactory
from tests.sitemaps import every_sitemap

pytestmark = pytest.mark.django_db


def full_statement(publish, n: int = 0, **fields) -> Edition:
    """A published statement with topics, an image and attachments, as pages show them."""
    statement = EditionFactory(
        image=f"statements/2024/04/photo{n}.jpg",
        image_alt="Deminers at work",
        image_renditions=[
            {"width": 480, "name": f"statements/2024/04/renditions/photo{n}-480w.jpg"},
            {"width": 1200, "name": f"statements/2024/04/photo{n}.jpg"},
        ],
        **fields,
    )
    statement.topics.set([TopicFactory(), TopicFactory()])
    for position in range(2):
        Attachment.objects.create(
            edition=statement,
            title=f"Annex {position}",
            file=f"attachments/annex{n}-{position}.pdf",
            media_type="application/pdf",
            size=123_456,
            position=position,
        )
    return publish(statement)


@pytest.fixture
def every_state(editor, publisher, publish):
    """One statement in each state the public must or must not see."""
    made = {
        "draft": EditionFactory(title="Draft statement"),
        "in_review": EditionFactory(title="In-review statement"),
        "scheduled": EditionFactory(title="Scheduled statement"),
        "unpublished": EditionFactory(title="Unpublished statement"),
        "published": EditionFactory(title="Published statement"),
        "withdrawn": EditionFactory(title="Withdrawn statement"),
    }
    actions.submit(made["in_review"], by=editor)
    actions.submit(made["scheduled"], by=editor)
    actions.schedule(
        made["scheduled"], by=publisher, at=timezone.now() + datetime.timedelta(hours=1)
    )
    publish(made["unpublished"])
    actions.unpublish(made["unpublished"], by=publisher, explanation="Published in error.")
    publish(made["published"])
    publish(made["withdrawn"])
    actions.withdraw(made["withdrawn"], by=publisher, explanation="Replaced.")
    return made


HIDDEN = ["Draft statement", "In-review statement", "Scheduled statement", "Unpublished statement"]


def test_home_and_list_show_only_published_statements(client, every_state):
    for url in ["/en/", "/en/statements/"]:
        page = client.get(url).text
        assert "Published statement" in page
        assert "Withdrawn statement" not in page  # withdrawn: readable, but not listed
        for title in HIDDEN:
            assert title not in page, (url, title)


def test_detail_pages_of_hidden_statements_are_not_found_or_gone(client, every_state):
    for state in ["draft", "in_review", "scheduled"]:
        assert client.get(every_state[state].get_absolute_url()).status_code == 404
    assert client.get(every_state["unpublished"].get_absolute_url()).status_code == 410


def test_scheduled_statement_appears_on_the_pages_at_its_time(client, editor, publisher):
    statement = EditionFactory(title="Embargoed statement")
    actions.submit(statement, by=editor)
    ten = timezone.now() + datetime.timedelta(hours=2)
    actions.schedule(statement, by=publisher, at=ten)

    with time_machine.travel(ten - datetime.timedelta(seconds=1)):
        assert "Embargoed statement" not in client.get("/en/statements/").text
        assert client.get(statement.get_absolute_url()).status_code == 404
    with time_machine.travel(ten):
        assert "Embargoed statement" in client.get("/en/statements/").text
        assert client.get(statement.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("scheduled_in", [None, 90, 3600, 7 * 24 * 3600])
def test_the_cache_lifetime_of_public_pages_never_reveals_an_embargo(
    client, editor, publisher, settings, publish, scheduled_in
):
    settings.PUBLIC_CACHE_SECONDS = 60
    live = publish(EditionFactory(title="Already public"))
    if scheduled_in is not None:
        statement = EditionFactory()
        actions.submit(statement, by=editor)
        actions.schedule(
            statement, by=publisher, at=timezone.now() + datetime.timedelta(seconds=scheduled_in)
        )

    headers = {
        path: client.get(path)["Cache-Control"]
        for path in ("/en/", "/en/statements/", live.get_absolute_url())
    }

    assert set(headers.values()) == {
        "public, max-age=60, s-maxage=60, stale-while-revalidate=60"
    }, headers


def test_detail_page_shows_the_statement_with_its_metadata(client, publish):
    statement = full_statement(publish, place="Baku", reference_number="45/2024")

    response = client.get(statement.get_absolute_url())
    page = response.text

    assert response.status_code == 200
    assert "<h1>Statement number" in page
    assert "4 April 2024</time>, Baku" in page
    assert "Ref. 45/2024" in page
    assert "<p>The text of the statement.</p>" in page
    assert 'alt="Deminers at work"' in page
    assert "/media/statements/2024/04/renditions/photo0-480w.jpg 480w" in page
    assert 'Annex 0</a> <span class="muted">(PDF, 120.6\xa0KB)' in page
    assert f'<link rel="canonical" href="http://testserver{statement.get_absolute_url()}">' in page
    assert '<meta property="og:title"' in page and 'name="twitter:card"' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == statement.title
    assert ld["inLanguage"] == "en"
    # A first edition: published, never updated (GOV.UK shows "Last updated" only after one).
    assert re.search(r"<p>Published \d+ \w+ \d{4}</p>", page) and "Last updated" not in page


def test_withdrawn_statement_stays_readable_with_a_dated_notice(client, publish, publisher):
    statement = publish(EditionFactory(title="Old figures"))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)) as traveller:
        traveller.move_to(datetime.datetime(2028, 1, 5, 9, 0, tzinfo=datetime.UTC))
        actions.withdraw(statement, by=publisher, explanation="The figures were provisional.")
        page = client.get(statement.get_absolute_url()).text

    assert "Withdrawn on 5 January 2028" in page
    assert "The figures were provisional." in page
    assert "<title>[Withdrawn] Old figures" in page


def test_unpublished_statement_answers_410_with_the_explanation(client, publish, publisher):
    statement = publish(EditionFactory())
    actions.unpublish(statement, by=publisher, explanation="Published in error: it was a draft.")

    response = client.get(statement.get_absolute_url())

    assert response.status_code == 410
    assert "Published in error: it was a draft." in response.text


def test_unpublished_statement_with_a_replacement_redirects_there(client, publish, publisher):
    statement = publish(EditionFactory())
    replacement = publish(EditionFactory(title="The right one"))
    actions.unpublish(
        statement, by=publisher, explanation="Duplicate.", replacement=replacement.document
    )

    response = client.get(statement.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == replacement.get_absolute_url()


def test_changing_slug_and_date_keeps_old_urls_working(client, publish, editor, publisher):
    first = publish(EditionFactory(slug="old-slug", issued_on=datetime.date(2024, 4, 3)))
    old_url = first.get_absolute_url()
    second = actions.create_new_edition(first, by=editor)
    second.slug = "new-slug"
    second.issued_on = datetime.date(2024, 4, 4)
    second.save()
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, minor_change=True)

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == "/en/statements/2024/04/04/new-slug/"
    assert client.get(response["Location"]).status_code == 200


def test_short_link_redirects_to_the_current_address(client, publish):
    statement = publish(EditionFactory(slug="short"))

    response = client.get(f"/s/{statement.document_id}/")

    assert response.status_code == 301
    assert response["Location"] == "/en/statements/2024/04/04/short/"


def test_short_link_of_a_draft_is_not_found(client):
    statement = EditionFactory()

    assert client.get(f"/s/{statement.document_id}/").status_code == 404


def test_change_notes_are_listed_on_the_page(client, publish, editor, publisher):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="Added the figures for March.")

    page = client.get(second.get_absolute_url()).text

    assert "Added the figures for March." in page
    assert "First published." in page


def test_list_filters_by_kind_topic_and_year(client, publish):
    topic = TopicFactory(slug="mine-action")
    speech = publish(EditionFactory(title="A speech", kind=Kind.SPEECH))
    speech.topics.add(topic)
    publish(EditionFactory(title="A press release", kind=Kind.PRESS_RELEASE))
    publish(EditionFactory(title="An older one", issued_on=datetime.date(2022, 8, 30)))

    by_kind = client.get("/en/statements/?kind=speech").text
    by_topic = client.get("/en/statements/?topic=mine-action").text
    by_year = client.get("/en/statements/?year=2022").text

    assert "A speech" in by_kind and "A press release" not in by_kind
    assert "A speech" in by_topic and "An older one" not in by_topic
    assert "An older one" in by_year and "A speech" not in by_year


@pytest.mark.parametrize(
    "query", ["kind=nonsense", "topic=no-such-topic", "year=abc", "year=1800"]
)  # a NUL byte in any parameter: tests/test_nul_bytes.py
def test_bad_filter_values_get_a_clear_error_not_a_500(client, query):
    response = client.get(f"/en/statements/?{query}")

    assert response.status_code == 400
    assert "Select a valid choice" in response.text


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1"])
def test_any_page_number_gives_a_page(client, publish, page):
    publish(EditionFactory())

    assert client.get(f"/en/statements/?page={page}").status_code == 200


def test_list_is_newest_first_by_issue_date(client, publish):
    publish(EditionFactory(title="Issued in 2022", issued_on=datetime.date(2022, 1, 1)))
    publish(EditionFactory(title="Issued in 2025", issued_on=datetime.date(2025, 1, 1)))

    page = client.get("/en/statements/").text

    assert page.index("Issued in 2025") < page.index("Issued in 2022")


def test_statements_appear_only_in_their_own_language(client, publish):
    publish(EditionFactory(title="Русское заявление", document=StatementFactory(language="ru")))

    assert "Русское заявление" in client.get("/ru/statements/").text
    assert "Русское заявление" not in client.get("/en/statements/").text


@pytest.mark.parametrize("count", [1, 50])
def test_list_page_queries_do_not_grow_with_statements(
    client, publish, count, django_assert_max_num_queries
):
    for n in range(count):
        full_statement(publish, n)

    # The statements of each year (the year filter's choices and the count), the versions
    # of what the public sees (pagecache), the site's identity, the topics, the page.
    with django_assert_max_num_queries(5):
        response = client.get("/en/statements/?page=1")
    assert response.status_code == 200


def test_the_count_and_pages_of_the_list_are_those_of_the_statements_it_lists(client, publish):
    """The count of an unfiltered or year-filtered list comes from the year filter's own
    query: it must say what the list holds, through every filter and page."""
    speech = Kind.SPEECH
    for n in range(23):
        publish(
            EditionFactory(
                issued_on=datetime.date(2023 if n < 21 else 2022, 1 + n % 12, 1),
                kind=speech if n % 4 == 0 else Kind.STATEMENT,
            )
        )
    publish(EditionFactory(document=StatementFactory(language="ru")))
    withdrawn = publish(EditionFactory(issued_on=datetime.date(2023, 6, 6)))
    actions.withdraw(withdrawn, by=withdrawn.created_by, explanation="Wrong figures.")
    EditionFactory(issued_on=datetime.date(2023, 6, 7))  # a draft

    def shown(query: str) -> tuple[str, int, str]:
        html = client.get(f"/en/statements/{query}").text
        count = re.search(r'<p class="count"[^>]*>([^<]*)</p>', html).group(1)
        pages = re.search(r"Page \d+ of \d+", html)
        return count, html.count('<article class="card">'), pages.group(0) if pages else ""

    assert shown("") == ("23 statements", 20, "Page 1 of 2")
    assert shown("?page=2") == ("23 statements", 3, "Page 2 of 2")
    assert shown("?year=2023") == ("21 statements", 20, "Page 1 of 2")
    assert shown("?year=2022") == ("2 statements", 2, "")
    assert shown("?year=2023&kind=speech") == ("6 statements", 6, "")
    assert shown("?year=2022&kind=speech") == ("0 statements", 0, "")
    assert shown("?kind=speech") == ("6 statements", 6, "")
    assert shown("?year=1999") == ("0 statements", 0, "")


@pytest.mark.parametrize("count", [1, 50])
def test_home_page_queries_do_not_grow_with_statements(
    client, publish, count, django_assert_max_num_queries
):
    for n in range(count):
        full_statement(publish, n)

    # 5 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(6):
        assert client.get("/en/").status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_detail_page_queries_do_not_grow_with_statements(
    client, publish, editor, publisher, count, django_assert_max_num_queries
):
    statements = [full_statement(publish, n) for n in range(count)]
    target = statements[-1]
    for _ in range(3):  # a history of change notes
        target = actions.create_new_edition(target, by=editor)
        actions.submit(target, by=editor)
        actions.publish(target, by=publisher, change_note="Another update.")

    url = target.get_absolute_url()
    connection.features.supports_json_field  # noqa: B018 (SQLite checks it once per connection)
    # The statement with its language versions; its topics; its documents and history; the
    # versions of what the public sees (pagecache); the site's identity.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('<span class="tag">') == 2
    assert response.text.count("Another update.") == 3
    assert "Annex 1" in response.text


@pytest.mark.parametrize(
    ("language", "heading", "count_text"),
    [("ru", "<h1>Заявления</h1>", "2 заявления"), ("az", "<h1>Bəyanatlar</h1>", "2 bəyanat")],
)
def test_list_page_speaks_the_visitors_language(client, publish, language, heading, count_text):
    for _ in range(2):
        publish(EditionFactory(document=StatementFactory(language=language)))

    page = client.get(f"/{language}/statements/").text

    assert heading in page
    assert count_text in page


def test_every_public_surface_shows_the_same_statements_and_nothing_hidden(client, every_state):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    sitemap_ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    by_url = {f"http://testserver{s.get_absolute_url()}": s.title for s in every_state.values()}

    def card_titles(response):
        return set(
            re.findall(r'<h[23] class="card__title"><a href="[^"]+">([^<]+)</a>', response.text)
        )

    listed = card_titles(client.get("/en/statements/"))
    searched = card_titles(client.get("/en/statements/", {"q": "statement"}))
    feed = ET.fromstring(client.get("/en/statements/feed.atom").content)
    feed_titles = {e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")}
    rss = ET.fromstring(client.get("/en/statements/feed.rss").content)
    rss_titles = {item.find("title").text for item in rss.find("channel").findall("item")}
    sitemaps = [ET.fromstring(content) for content in every_sitemap(client)]
    sitemap_titles = {
        by_url[loc.text]
        for sitemap in sitemaps
        for loc in sitemap.iter(f"{sitemap_ns}loc")
        if loc.text in by_url
    }

    assert listed == searched == {"Published statement"}
    assert feed_titles == rss_titles == {"Published statement", "[Withdrawn] Withdrawn statement"}
    assert sitemap_titles == {"Published statement", "Withdrawn statement"}
    everything = client.get("/en/statements/feed.atom").text + "".join(
        content.decode() for content in every_sitemap(client)
    )
    for title in HIDDEN:
        assert title not in everything
