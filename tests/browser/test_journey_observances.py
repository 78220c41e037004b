"""Journey 12: on a 360 px phone, a reader finds the 4 April observance from the main
navigation, opens one of its statements and sees which observance it belongs to; in English,
then in Azerbaijani.
"""

import datetime

import pytest

from statements import actions
from statements.models import Observance
from tests.factories import EditionFactory, OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def mine_day_statements(editor, publish):
    OrganisationFactory(is_default=True)
    mine_day = Observance.objects.create(
        slug="mine-awareness-day",
        month=4,
        day=4,
        name_en="International Day for Mine Awareness and Assistance in Mine Action",
        name_az="Beynəlxalq Mina Maarifləndirmə və Mina Əməliyyatlarında Yardım Günü",
        name_ru="Международный день просвещения по вопросам минной опасности",
        description_en="Observed every year on 4 April since 2006.",
        description_az="2006-cı ildən bəri hər il 4 aprel tarixində qeyd olunur.",
    )
    Observance.objects.create(slug="new-year", month=1, day=1, name_en="New Year's Day")
    english = publish(
        EditionFactory(
            title="Statement on mine awareness day",
            issued_on=datetime.date(2024, 4, 4),
            observance=mine_day,
        )
    )
    azerbaijani = actions.create_translation(english, by=editor, language="az")
    azerbaijani.title = "Mina təhlükəsi günü ilə bağlı bəyanat"
    azerbaijani.save()
    publish(azerbaijani)
    return english, azerbaijani


def fits_the_screen(person) -> None:
    widths = person.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{person.page.url} is {widths[0]} px wide on 360 px"


@pytest.mark.parametrize(
    "language,observances,part_of,observance,title,description",
    [
        (
            "en",
            "Observances",
            "Part of:",
            "International Day for Mine Awareness and Assistance in Mine Action",
            "Statement on mine awareness day",
            "Observed every year on 4 April since 2006.",
        ),
        (
            "az",
            "Əlamətdar günlər",
            "Əlamətdar gün:",
            "Beynəlxalq Mina Maarifləndirmə və Mina Əməliyyatlarında Yardım Günü",
            "Mina təhlükəsi günü ilə bağlı bəyanat",
            "2006-cı ildən bəri hər il 4 aprel tarixində qeyd olunur.",
        ),
    ],
)
def test_reader_on_a_phone_goes_from_home_to_a_statement_of_the_observance(
    people, mine_day_statements, language, observances, part_of, observance, title, description
):
    reader = people(f"phone reader ({language})", width=360, height=740)
    page = reader.page

    reader.goto(f"/{language}/")
    fits_the_screen(reader)
    nav_link = page.locator(".site-nav").get_by_role("link", name=observances, exact=True)
    assert nav_link.is_visible()
    reader.click(nav_link)
    assert page.url.endswith(f"/{language}/observances/")
    assert page.locator("h1").inner_text() == observances
    fits_the_screen(reader)
    card = page.locator(".card", has=page.get_by_role("link", name=observance, exact=True))
    assert "1 " in card.locator(".card__meta").inner_text()  # its one statement here

    reader.click(card.get_by_role("link", name=observance, exact=True))
    assert page.url.endswith(f"/{language}/observances/mine-awareness-day/")
    assert page.locator("h1").inner_text() == observance
    assert page.get_by_text(description, exact=True).is_visible()
    fits_the_screen(reader)

    reader.click(page.get_by_role("link", name=title, exact=True))
    assert page.locator("h1").inner_text() == title
    part = page.locator(".statement__observance")
    assert part.inner_text() == f"{part_of} {observance}"
    assert part.is_visible()
    fits_the_screen(reader)
    reader.click(part.get_by_role("link", name=observance))
    assert page.url.endswith(f"/{language}/observances/mine-awareness-day/")
