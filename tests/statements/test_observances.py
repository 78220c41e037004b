import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from statements.models import Observance
from tests.factories import EditionFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine_day():
    return Observance.objects.create(
        slug="mine-awareness-day",
        month=4,
        day=4,
        name_en="International Day for Mine Awareness",
        name_ru="Международный день просвещения по вопросам минной опасности",
    )


def test_observance_page_lists_its_statements_across_the_years_newest_first(
    client, publish, mine_day
):
    for year in (2023, 2025, 2024):
        publish(
            EditionFactory(
                title=f"Mine day {year}", issued_on=datetime.date(year, 4, 4), observance=mine_day
            )
        )
    publish(EditionFactory(title="Unrelated"))
    publish(
        EditionFactory(
            title="Russian one", observance=mine_day, document=StatementFactory(language="ru")
        )
    )

    page = client.get("/en/observances/mine-awareness-day/").text

    assert "<h1>International Day for Mine Awareness</h1>" in page
    assert page.index("Mine day 2025") < page.index("Mine day 2024") < page.index("Mine day 2023")
    assert "Unrelated" not in page and "Russian one" not in page
    assert "Russian one" in client.get("/ru/observances/mine-awareness-day/").text
    assert (
        "Международный день просвещения" in (client.get("/ru/observances/mine-awareness-day/")).text
    )


def test_unknown_observance_is_not_found(client):
    assert client.get("/en/observances/nothing/").status_code == 404


def test_home_page_shows_observances_of_the_coming_60_days(client, mine_day):
    Observance.objects.create(slug="far", month=9, day=1, name_en="Far away day")

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        page = client.get("/en/").text
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)):
        too_early = client.get("/en/").text

    assert '4 April</time> — <a href="/en/observances/mine-awareness-day/">' in page
    assert "Far away day" not in page
    assert "International Day for Mine Awareness" not in too_early


def test_next_date_wraps_to_next_year_and_handles_29_february():
    leap = Observance(month=2, day=29)
    april = Observance(month=4, day=4)

    assert april.next_date(datetime.date(2026, 4, 4)) == datetime.date(2026, 4, 4)
    assert april.next_date(datetime.date(2026, 4, 5)) == datetime.date(2027, 4, 4)
    assert leap.next_date(datetime.date(2027, 1, 1)) == datetime.date(2027, 2, 28)
    assert leap.next_date(datetime.date(2028, 1, 1)) == datetime.date(2028, 2, 29)


def test_an_impossible_day_is_refused():
    with pytest.raises(ValidationError, match="no such day"):
        Observance(slug="x", name_en="x", month=2, day=30).full_clean()


@pytest.mark.parametrize("count", [1, 50])
def test_observance_page_queries_do_not_grow(
    client, publish, mine_day, count, django_assert_max_num_queries
):
    for n in range(count):
        publish(EditionFactory(observance=mine_day, issued_on=datetime.date(2000 + n, 4, 4)))

    with django_assert_max_num_queries(6):
        assert client.get("/en/observances/mine-awareness-day/").status_code == 200
