import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import timezone
from django.utils.timezone import localdate

from statements import actions
from statements.models import Observance
from tests.factories import EditionFactory, StatementFactory, TopicFactory
from tests.sitemaps import every_sitemap

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def atom_entries(client, query=""):
    response = client.get(f"/en/statements/feed.atom{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def rss_items(client, query=""):
    response = client.get(f"/en/statements/feed.rss{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def test_atom_feed_lists_published_statements_with_their_update_times(
    client, publish, editor, publisher
):
    first_time = timezone.now() - datetime.timedelta(days=10)
    with time_machine.travel(first_time, tick=False):
        statement = publish(EditionFactory(title="Updated statement"))
    second = actions.create_new_edition(statement, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="New figures.")

    (entry,) = atom_entries(client)

    assert entry.find(f"{ATOM}title").text == "Updated statement"
    updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    published = datetime.datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    second.refresh_from_db()
    assert abs(updated - second.public_updated_at) < datetime.timedelta(seconds=1)
    assert abs(published - first_time) < datetime.timedelta(seconds=1)
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{second.get_absolute_url()}"


def test_rss_feed_lists_the_same_statements(client, publish):
    publish(EditionFactory(title="One"))
    publish(EditionFactory(title="Two"))

    assert sorted(item.find("title").text for item in rss_items(client)) == ["One", "Two"]
    assert sorted(e.find(f"{ATOM}title").text for e in atom_entries(client)) == ["One", "Two"]


def test_summaries_are_text_in_both_feeds_never_markup(client, publish):
    publish(EditionFactory(summary="Figures <script>alert(1)</script> & <b>more</b>"))

    entry = atom_entries(client)[0]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "Figures <script>alert(1)</script> & <b>more</b>"
    # RSS readers render <description> as HTML: the text arrives escaped for it
    description = rss_items(client)[0].find("description").text
    assert (
        description == "Figures &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;"
    )


def test_withdrawn_statements_stay_in_the_feeds_marked(client, publish, publisher):
    statement = publish(EditionFactory(title="Old figures"))
    actions.withdraw(statement, by=publisher, explanation="Replaced by the verified figures.")

    (entry,) = atom_entries(client)
    (item,) = rss_items(client)

    assert entry.find(f"{ATOM}title").text == "[Withdrawn] Old figures"
    assert item.find("title").text == "[Withdrawn] Old figures"
    assert "Replaced by the verified figures." in item.find("description").text


def test_feeds_narrow_by_topic_and_kind(client, publish):
    topic = TopicFactory(slug="mine-action")
    tagged = publish(EditionFactory(title="Tagged", kind="speech"))
    tagged.topics.add(topic)
    publish(EditionFactory(title="Untagged"))

    assert [e.find(f"{ATOM}title").text for e in atom_entries(client, "?topic=mine-action")] == [
        "Tagged"
    ]
    assert [i.find("title").text for i in rss_items(client, "?kind=speech")] == ["Tagged"]


@pytest.mark.parametrize("query", ["?topic=nope", "?kind=tweet"])  # NUL: test_nul_bytes.py
def test_feeds_answer_bad_filters_with_400(client, query):
    response = client.get(f"/en/statements/feed.atom{query}")

    assert response.status_code == 400
    assert "Unknown" in response.content.decode()


def test_feed_holds_the_latest_50(client, publish):
    for n in range(52):
        publish(EditionFactory(title=f"S{n}"))

    assert len(atom_entries(client)) == 50


def test_feeds_are_per_language(client, publish):
    publish(EditionFactory(title="Русское", document=StatementFactory(language="ru")))

    assert atom_entries(client) == []
    russian = ET.fromstring(client.get("/ru/statements/feed.atom").content)
    assert [e.find(f"{ATOM}title").text for e in russian.findall(f"{ATOM}entry")] == ["Русское"]


def test_pages_advertise_their_feeds(client):
    page = client.get("/en/statements/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Statements (Atom)" '
        'href="/en/statements/feed.atom">' in page
    )
    assert 'type="application/rss+xml"' in page


@pytest.mark.parametrize("count", [1, 50])
def test_feed_queries_do_not_grow(client, publish, count, django_assert_max_num_queries):
    for _ in range(count):
        statement = publish(EditionFactory())
        statement.topics.add(TopicFactory())

    # 3 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(4):
        client.get("/en/statements/feed.atom")
    # 3 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(4):
        client.get("/en/statements/feed.rss")


def sitemap(client):
    """Every URL of every sitemap the index names."""
    found = {}
    for content in every_sitemap(client):
        root = ET.fromstring(content)
        for url in root.findall(f"{SITEMAP}url"):
            found[url.find(f"{SITEMAP}loc").text] = {
                "lastmod": getattr(url.find(f"{SITEMAP}lastmod"), "text", None),
                "alternates": {
                    link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
                },
            }
    return found


def test_sitemap_lists_statements_with_lastmod_and_language_alternates(
    client, publish, editor, publisher
):
    original = publish(EditionFactory(slug="original"))
    russian = actions.create_translation(original, by=editor, language="ru")
    actions.submit(russian, by=editor)
    actions.publish(russian, by=publisher)

    urls = sitemap(client)

    en_url = f"http://testserver{original.get_absolute_url()}"
    ru_url = f"http://testserver{russian.get_absolute_url()}"
    original.refresh_from_db()
    # the date where the site is (TIME_ZONE), as Django's sitemap template writes it
    assert urls[en_url]["lastmod"] == localdate(original.public_updated_at).isoformat()
    assert urls[en_url]["alternates"] == {"en": en_url, "ru": ru_url, "x-default": en_url}
    assert urls[ru_url]["alternates"] == {"en": en_url, "ru": ru_url, "x-default": en_url}


def test_sitemap_lists_list_and_observance_pages_in_every_language(client):
    Observance.objects.create(slug="mine-day", month=4, day=4, name_en="Mine day")

    urls = sitemap(client)

    for language in ("en", "az", "ru"):
        assert f"http://testserver/{language}/statements/" in urls
        assert f"http://testserver/{language}/observances/mine-day/" in urls
        assert f"http://testserver/{language}/observances/" in urls
    assert (
        urls["http://testserver/en/statements/"]["alternates"]["ru"]
        == "http://testserver/ru/statements/"
    )


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_queries_do_not_grow(client, publish, count, django_assert_max_num_queries):
    for n in range(count):  # a month each, and April 2024 as well
        publish(EditionFactory(issued_on=datetime.date(2020 + n // 12, 1 + n % 12, 4)))
        publish(EditionFactory())

    # A constant number, whatever the number of statements or months (the register
    # snapshots, listed in the sitemap too, are one query).
    # 5 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(6):
        assert client.get("/sitemap.xml").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/sitemap-statements-2024-04.xml").status_code == 200


def test_the_sitemap_is_an_index_of_small_sitemaps_one_per_month_of_statements(client, publish):
    """/sitemap.xml names the pages' sitemaps and one sitemap per month with a published
    statement, newest first, each with its latest change; a month's sitemap lists that
    month's statements only, and a month without any is not found."""
    april = publish(EditionFactory(issued_on=datetime.date(2024, 4, 4)))
    march = publish(EditionFactory(issued_on=datetime.date(2024, 3, 1)))
    EditionFactory(issued_on=datetime.date(2024, 5, 9))  # a draft: no sitemap for May

    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {
        entry.find(f"{SITEMAP}loc").text: getattr(entry.find(f"{SITEMAP}lastmod"), "text", None)
        for entry in index.findall(f"{SITEMAP}sitemap")
    }
    assert list(entries) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-observances.xml",
        "http://testserver/sitemap-casualties.xml",
        "http://testserver/sitemap-statements-2024-04.xml",
        "http://testserver/sitemap-statements-2024-03.xml",
    ]
    april.refresh_from_db()
    assert entries["http://testserver/sitemap-statements-2024-04.xml"].startswith(
        localdate(april.public_updated_at).isoformat()
    )
    april_sitemap = client.get("/sitemap-statements-2024-04.xml").text
    assert april.get_absolute_url() in april_sitemap
    assert march.get_absolute_url() not in april_sitemap
    assert client.get("/sitemap-statements-2024-05.xml").status_code == 404
    assert client.get("/sitemap-anything.xml").status_code == 404
