"""What readers of the casualty page see (issue 13): districts in their language, tables
headed in it, charts with unique ids and sensible order, the current year marked partial,
CSV files in one convention, and a versioned methodology with its licence."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory
from victims import figures
from victims.methodology import METHODOLOGY_VERSION
from victims.models import Area, Incident

pytestmark = pytest.mark.django_db


def test_load_areas_names_districts_in_every_site_language():
    call_command("load_areas", "AZ", verbosity=0)
    lachin = Area.objects.get(code="AZ-LAC")

    assert (lachin.name, lachin.name_en, lachin.name_az, lachin.name_ru) == (
        "Laçın",
        "Lachin",
        "Laçın",
        "Лачинский район",
    )
    for language, expected in (
        ("en", "Kalbajar"),
        ("az", "Kəlbəcər"),
        ("ru", "Кельбаджарский район"),
    ):
        with translation.override(language):
            assert Area.objects.get(code="AZ-KAL").display_name == expected


def test_names_edited_in_the_admin_survive_a_rerun_of_load_areas():
    call_command("load_areas", "AZ", verbosity=0)
    Area.objects.filter(code="AZ-LAC").update(name_ru="Лачин")

    call_command("load_areas", "AZ", verbosity=0)

    assert Area.objects.get(code="AZ-LAC").name_ru == "Лачин"


def test_a_district_without_a_name_in_a_language_shows_its_iso_name():
    area = AreaFactory(code="AZ-T99", name="Tərtər")
    with translation.override("ru"):
        assert area.display_name == "Tərtər"


@pytest.mark.parametrize("query", ["Lachin", "Laçın", "Лачин", "AZ-LAC"])
def test_admin_search_finds_a_district_by_any_of_its_names(admin_client, query):
    call_command("load_areas", "AZ", verbosity=0)
    IncidentFactory(area=Area.objects.get(code="AZ-LAC"))
    IncidentFactory(area=Area.objects.get(code="AZ-KAL"))

    areas = admin_client.get("/admin/victims/area/", {"q": query})
    incidents = admin_client.get("/admin/victims/incident/", {"q": query})

    assert [area.code for area in areas.context["cl"].result_list] == ["AZ-LAC"]
    assert [i.area.code for i in incidents.context["cl"].result_list] == ["AZ-LAC"]


@pytest.fixture
def register(settings):
    settings.CASUALTY_MIN_CELL = 1
    call_command("load_areas", "AZ", verbosity=0)
    lachin, kalbajar = Area.objects.get(code="AZ-LAC"), Area.objects.get(code="AZ-KAL")
    for n in range(12):
        area = lachin if n < 8 else kalbajar
        incident = IncidentFactory(
            area=area,
            occurred_on=datetime.date(2023, 1 + n % 12, 3),
            device_category=["unknown", "antipersonnel", "other_erw"][n % 3],
            activity=["other", "farming", "herding", "unknown"][n % 4],
        )
        CasualtyFactory(incident=incident, outcome="killed" if n % 3 else "injured")


@pytest.mark.parametrize(
    ("language", "district", "header", "total"),
    [
        ("en", "Lachin", "District", "Total"),
        ("az", "Laçın", "Rayon", "Cəmi"),
        ("ru", "Лачинский район", "Район", "Итого"),
    ],
)
def test_the_page_names_districts_and_heads_tables_in_the_readers_language(
    client, register, language, district, header, total
):
    page = client.get(f"/{language}/casualties/").content.decode()

    assert f'<span class="bars__label">{district}</span>' in page
    assert f'<th scope="col">{header}</th>' in page
    assert f'<tr class="data-table__total"><th scope="row">{total}</th>' in page
    for code in ("device_category", "year", "activity"):
        assert f'<th scope="col">{code}</th>' not in page
    if language != "en":
        assert '<th scope="row">Total</th>' not in page


def test_every_id_on_the_page_is_unique(client, register):
    page = client.get("/en/casualties/").content.decode()

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count('<pattern id="') == 6


def test_category_charts_are_sorted_by_size_with_other_and_unknown_last(register):
    for table in (figures.by_device_category(), figures.by_activity(), figures.by_district()):
        codes = [row for row, _label in table.rows]
        last = [code for code in codes if code in ("other", "unknown")]
        assert codes[len(codes) - len(last) :] == last, table.key
        assert last == sorted(last, key=["other", "unknown"].index)
        sizes = [table.row_totals[code].value or 0 for code in codes[: len(codes) - len(last)]]
        assert sizes == sorted(sizes, reverse=True), table.key
    assert [row for row, _l in figures.by_district().rows] == ["AZ-LAC", "AZ-KAL"]


def test_the_current_year_is_marked_partial_and_future_months_are_left_out(settings):
    settings.CASUALTY_MIN_CELL = 1
    today = timezone.localdate()
    CasualtyFactory(incident=IncidentFactory(occurred_on=today.replace(day=1)))
    CasualtyFactory(incident=IncidentFactory(occurred_on=datetime.date(today.year - 1, 6, 1)))
    until = figures.data_until(figures.as_of())

    with translation.override("en"):
        years = figures.as_shown(figures.by_year(), until)
        months = figures.as_shown(figures.by_month(today.year), until, today.year)
        last_year = figures.as_shown(figures.by_month(today.year - 1), until, today.year - 1)
    labels = dict(years.rows)

    assert labels[str(today.year)] == f"{today.year}, to {today.day} {today:%B}"
    assert labels[str(today.year - 1)] == str(today.year - 1)
    assert [row for row, _l in months.rows] == [
        *(str(month) for month in range(1, today.month + 1)),
        "unknown",
    ]
    assert f"to {today.day} {today:%B}" in str(months.title)
    assert len(last_year.rows) == 13


def csv_of(client, path, **query):
    response = client.get(path, query)
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("key", "header"),
    [
        ("by_year", ["year", "outcome", "count", "suppressed"]),
        ("by_district", ["area", "area_name", "outcome", "count", "suppressed"]),
        ("by_device_category", ["device_category", "count", "suppressed"]),
        ("by_status_and_age", ["status", "age_group", "count", "suppressed"]),
    ],
)
def test_csv_files_have_one_header_of_codes_in_every_language(client, register, key, header):
    files = {lang: csv_of(client, f"/{lang}/casualties/{key}.csv") for lang in ("en", "az", "ru")}

    assert files["en"][0] == files["az"][0] == files["ru"][0] == header
    if key == "by_district":
        strip = [[*line[:1], *line[2:]] for line in files["en"]]
        assert strip == [[*line[:1], *line[2:]] for line in files["ru"]]
    else:
        assert files["en"] == files["az"] == files["ru"]


def test_csv_values_are_codes_and_totals_say_total(client, register):
    lines = list(
        csv.DictReader(io.StringIO(client.get("/ru/casualties/by_district.csv").content.decode()))
    )

    assert {line["outcome"] for line in lines} == {"killed", "injured", "unknown", "total"}
    lachin = next(line for line in lines if line["area"] == "AZ-LAC" and line["outcome"] == "total")
    assert lachin["area_name"] == "Лачинский район"
    assert lachin["count"].isdigit() and lachin["suppressed"] == "False"
    grand = [line for line in lines if line["area"] == "total" and line["outcome"] == "total"]
    assert grand == [
        {"area": "total", "area_name": "", "outcome": "total", "count": "12", "suppressed": "False"}
    ]
    months = csv_of(client, "/az/casualties/by_month.csv", year="2023")
    assert months[0] == ["month", "outcome", "count", "suppressed"]
    assert {line[0] for line in months[1:]} == {*(str(m) for m in range(1, 13)), "unknown", "total"}


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_the_methodology_is_there_versioned_and_licensed(client, register, language):
    page = client.get(f"/{language}/casualties/").content.decode()

    assert '<h2 id="methodology">' in page
    assert page.count(METHODOLOGY_VERSION) >= 3  # beside the figures, in the section, citation
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "CC BY 4.0." in page  # the end of the suggested citation
    for code in ("killed", "deminer", "antipersonnel", "clearance"):
        assert f"<code>{code}</code>" in page  # every vocabulary value, defined


def test_the_methodology_sections_read_in_the_readers_language(client, register):
    russian = client.get("/ru/casualties/").content.decode()
    azerbaijani = client.get("/az/casualties/").content.decode()

    assert "Лицензия и цитирование" in russian and "Версия методологии 1.0" in russian
    assert "Lisenziya və istinad" in azerbaijani and "Reyestr əməkdaşları" in azerbaijani
    assert "Who the person was" not in russian + azerbaijani


def test_the_stats_api_names_the_methodology_version(client, register):
    body = client.get("/api/v1/casualties/stats/", {"group_by": "year"}).json()

    assert body["methodology_version"] == METHODOLOGY_VERSION
    assert body["methodology"].endswith("/casualties/#methodology")


def test_a_one_column_table_ends_with_the_tables_total(register):
    for table in (figures.by_device_category(), figures.by_activity()):
        total_row = figures.display_rows(table)[-1]
        assert total_row == ["Total", table.total.display()]
        assert table.total.value == 12


@pytest.mark.parametrize(
    ("language", "june", "july"),
    [("en", "June", "July"), ("az", "İyun", "İyul"), ("ru", "Июнь", "Июль")],
)
def test_months_are_named_in_full_in_the_readers_language(register, language, june, july):
    with translation.override(language):
        labels = [str(label) for _value, label in figures.by_month(2023).rows]
    assert labels[5:7] == [june, july]
    assert "Iyn" not in labels


def test_a_chosen_year_is_named_partial_and_the_whole_register_charts_say_all_time(
    client, settings
):
    settings.CASUALTY_MIN_CELL = 1
    today = timezone.localdate()
    CasualtyFactory(incident=IncidentFactory(occurred_on=today.replace(day=1)))
    CasualtyFactory(incident=IncidentFactory(occurred_on=datetime.date(today.year - 1, 6, 1)))

    this_year = client.get("/en/casualties/", {"year": today.year}).text
    last_year = client.get("/en/casualties/", {"year": today.year - 1}).text
    whole = client.get("/en/casualties/").text

    assert f"Headline figures, {today.year}, to {today.day} {today:%B}<" in this_year
    assert f"Headline figures, {today.year - 1}<" in last_year
    assert "Casualties by district, all time<" in last_year
    assert "Casualties by district<" in whole
    assert ", all time<" not in whole.replace("Headline figures, all time<", "")


def test_drawn_charts_are_kept_per_language_and_drawn_anew_after_a_change(
    client, register, settings
):
    """The page's charts are drawn once and kept (views.drawn_charts): each language gets
    its own, a change to the register is on the next page, and so is the next day's
    "to <date>" when the figures run to today."""
    settings.PAGE_CACHE = False  # the charts' own memory, not the whole page's
    for _ in range(2):
        for language, header in (("en", "District"), ("ru", "Район"), ("az", "Rayon")):
            page = client.get(f"/{language}/casualties/").content.decode()
            assert f'<th scope="col">{header}</th>' in page
            assert page.count('<figure class="chart-figure"') == 6  # 5 and the months

    quba = Area.objects.get(code="AZ-QBA")
    CasualtyFactory(incident=IncidentFactory(area=quba, occurred_on=datetime.date(2023, 5, 5)))
    page = client.get("/en/casualties/").content.decode()
    assert f'<span class="bars__label">{quba.name_en}</span>' in page

    # Figures that last changed in an earlier year run to today: the current year's row is
    # named after today, and the next day after the next day (the register's version
    # advances at midnight). Changes and requests all in the travelled time: a version
    # changed later than the clock shows is taken for a clock set back, and raised.
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=datetime.UTC)):
        CasualtyFactory(incident=IncidentFactory(occurred_on=datetime.date(2026, 6, 1)))
        Incident.objects.update(updated_at=datetime.datetime(2025, 3, 3, tzinfo=datetime.UTC))
        page = client.get("/en/casualties/").content.decode()
    assert "2026, to 10 June" in page
    with time_machine.travel(datetime.datetime(2026, 6, 11, 6, tzinfo=datetime.UTC)):
        page = client.get("/en/casualties/").content.decode()
    assert "2026, to 11 June" in page
    assert "2026, to 10 June" not in page
