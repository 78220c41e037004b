"""/<lang>/observances/: every observance, its next date and its statements; the way to it
from every page, and from a statement to its observance."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from statements import actions
from statements.models import Observance
from tests.factories import EditionFactory, StatementFactory
from tests.html_checks import heading_levels, skipped_heading_levels

pytestmark = pytest.mark.django_db

# After every statement a test publishes (now), so they are all public by then.
SPRING_2030 = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mine_day():
    return Observance.objects.create(
        slug="mine-awareness-day",
        month=4,
        day=4,
        name_en="International Day for Mine Awareness",
        name_az="Beynəlxalq Mina Maarifləndirmə Günü",
        name_ru="Международный день просвещения по вопросам минной опасности",
        description_en="Observed every year on 4 April.",
        description_az="Hər il 4 aprel tarixində qeyd olunur.",
        description_ru="Отмечается ежегодно 4 апреля.",
    )


@pytest.fixture
def new_year():
    return Observance.objects.create(slug="new-year", month=1, day=1, name_en="New Year")


def entries(html: str) -> dict[str, str]:
    """Each observance's name on the index, with the text of its line."""
    cards = re.findall(r'<article class="card">(.*?)</article>', html, re.S)
    found = {}
    for card in cards:
        name = re.search(r'<a href="[^"]+">([^<]+)</a>', card).group(1)
        found[name] = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    return found


def test_index_lists_every_observance_with_its_next_date_and_public_statements(
    client, editor, publisher, publish, mine_day, new_year
):
    for year in (2023, 2024):
        publish(EditionFactory(observance=mine_day, issued_on=datetime.date(year, 4, 4)))
    russian = EditionFactory(observance=mine_day, document=StatementFactory(language="ru"))
    publish(russian)
    EditionFactory(observance=mine_day, title="A draft")  # never counted
    in_review = EditionFactory(observance=mine_day)
    actions.submit(in_review, by=editor)
    scheduled = EditionFactory(observance=mine_day)
    publish(scheduled, at=timezone.now() + datetime.timedelta(days=365 * 20))
    withdrawn = publish(EditionFactory(observance=mine_day))
    actions.withdraw(withdrawn, by=publisher, explanation="Replaced.")

    with time_machine.travel(SPRING_2030):
        english = client.get("/en/observances/")
        russian_page = client.get("/ru/observances/").text

    assert english.status_code == 200
    listed = entries(english.text)
    # soonest first, each linked to its page
    assert list(listed) == ["International Day for Mine Awareness", "New Year"]
    assert listed["International Day for Mine Awareness"] == (
        "International Day for Mine Awareness Next observed: 4 April 2030 · 2 statements"
    )
    assert listed["New Year"] == "New Year Next observed: 1 January 2031 · 0 statements"
    assert '<a href="/en/observances/mine-awareness-day/">' in english.text
    assert '<time datetime="2030-04-04">' in english.text
    assert entries(russian_page)[
        "Международный день просвещения по вопросам минной опасности"
    ].endswith("4 апреля 2030 · 1 заявление")
    assert '<a href="/ru/observances/mine-awareness-day/">' in russian_page


def test_index_reads_in_azerbaijani(client, mine_day):
    with time_machine.travel(SPRING_2030):
        page = client.get("/az/observances/").text

    line = entries(page)["Beynəlxalq Mina Maarifləndirmə Günü"]
    assert "4 Aprel 2030" in line
    assert line.endswith("0 bəyanat")
    assert "<h1>Əlamətdar günlər</h1>" in page


def test_index_without_observances_says_so(client):
    assert "No observances yet." in client.get("/en/observances/").text


@pytest.mark.parametrize("count", [1, 30])
def test_index_queries_do_not_grow(client, count, django_assert_max_num_queries):
    for n in range(count):
        Observance.objects.create(slug=f"day-{n}", month=1 + n % 12, day=1, name_en=f"Day {n}")

    # 3 + 1: the versions of what the public sees, read once a request (pagecache)
    with django_assert_max_num_queries(4):
        assert client.get("/en/observances/").status_code == 200


@pytest.mark.parametrize(
    "language,label", [("en", "Observances"), ("az", "Əlamətdar günlər"), ("ru", "Памятные даты")]
)
def test_every_page_links_to_the_observances_in_its_main_navigation(
    client, publish, mine_day, language, label
):
    statement = publish(EditionFactory(document=StatementFactory(language=language)))
    link = f'<li><a href="/{language}/observances/">{label}</a></li>'

    for path in (
        f"/{language}/",
        f"/{language}/statements/",
        f"/{language}/statements/?q=mine",
        statement.get_absolute_url(),
        f"/{language}/observances/",
        f"/{language}/observances/mine-awareness-day/",
        f"/{language}/casualties/",
        f"/{language}/no-such-page/",
    ):
        page = client.get(path).text
        nav = page.split('<nav class="site-nav"')[1].split("</nav>")[0]
        assert link in nav, path


def test_a_statement_page_names_its_observance(client, publish, mine_day):
    english = publish(EditionFactory(observance=mine_day))
    azerbaijani = publish(
        EditionFactory(observance=mine_day, document=StatementFactory(language="az"))
    )
    other = publish(EditionFactory(title="Not on a day"))

    assert (
        'Part of: <a href="/en/observances/mine-awareness-day/">'
        "International Day for Mine Awareness</a>"
    ) in client.get(english.get_absolute_url()).text
    assert (
        'Əlamətdar gün: <a href="/az/observances/mine-awareness-day/">'
        "Beynəlxalq Mina Maarifləndirmə Günü</a>"
    ) in client.get(azerbaijani.get_absolute_url()).text
    assert "Part of:" not in client.get(other.get_absolute_url()).text


DESCRIPTIONS = {
    "en": "Observed every year on 4 April.",
    "az": "Hər il 4 aprel tarixində qeyd olunur.",
    "ru": "Отмечается ежегодно 4 апреля.",
}


@pytest.mark.parametrize("language", DESCRIPTIONS)
def test_observance_description_is_in_the_readers_language(client, mine_day, language):
    page = client.get(f"/{language}/observances/mine-awareness-day/").text

    assert f"<p>{DESCRIPTIONS[language]}</p>" in page
    assert [text for text in DESCRIPTIONS.values() if text in page] == [DESCRIPTIONS[language]]


def test_observance_pages_never_skip_a_heading_level(client, publish, mine_day):
    publish(EditionFactory(observance=mine_day, title="Mine day statement"))

    with time_machine.travel(SPRING_2030):  # the home page shows the coming observance too
        pages = [
            client.get(path).text
            for path in ("/en/", "/en/observances/", "/en/observances/mine-awareness-day/")
        ]

    for page in pages:
        assert heading_levels(page)[:1] == [1]
        assert skipped_heading_levels(page) == []
    assert heading_levels(pages[1]) == [1, 2]  # the title, then the one observance
