"""Public figures and the disclosure rule (victims/stats.py)."""

import csv
import datetime
import io
import re

import pytest

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory
from victims import stats
from victims.stats import build_table

pytestmark = pytest.mark.django_db


def casualties(incident, *specs):
    for outcome, status, sex, age_group in specs:
        CasualtyFactory(
            incident=incident, outcome=outcome, status=status, sex=sex, age_group=age_group
        )


@pytest.fixture
def fixture_register():
    """A hand-counted register.

    2023: incident A (Laçın): killed civilian male 30-44; injured civilian female 12-17;
          injured deminer male 18-29.  incident B (Kəlbəcər): killed military male 18-29.
    2024: incident C (Laçın): injured civilian female 60+; injured civilian unknown-sex 5-11.
    Contested D (2024) and discounted E (2023) must not count: 3 casualties between them.
    """
    lachin = AreaFactory(code="AZ-LAC", name="Laçın")
    kalbajar = AreaFactory(code="AZ-KAL", name="Kəlbəcər")
    a = IncidentFactory(
        area=lachin,
        occurred_on=datetime.date(2023, 3, 1),
        outside_contact_line="yes",
        inside_mapped_area="no",
    )
    b = IncidentFactory(
        area=kalbajar,
        occurred_on=datetime.date(2023, 7, 9),
        outside_contact_line="no",
        inside_mapped_area="unknown",
        verification="reported",
    )
    c = IncidentFactory(
        area=lachin,
        occurred_on=datetime.date(2024, 4, 4),
        outside_contact_line="unknown",
        inside_mapped_area="no",
    )
    d = IncidentFactory(
        area=lachin, occurred_on=datetime.date(2024, 5, 5), verification="contested"
    )
    e = IncidentFactory(
        area=kalbajar, occurred_on=datetime.date(2023, 1, 1), verification="discounted"
    )
    casualties(
        a,
        ("killed", "civilian", "male", "30-44"),
        ("injured", "civilian", "female", "12-17"),
        ("injured", "deminer", "male", "18-29"),
    )
    casualties(b, ("killed", "military", "male", "18-29"))
    casualties(
        c, ("injured", "civilian", "female", "60+"), ("injured", "civilian", "unknown", "5-11")
    )
    casualties(d, ("killed", "civilian", "male", "30-44"), ("killed", "civilian", "male", "30-44"))
    casualties(e, ("injured", "civilian", "female", "0-4"))


def test_headline_figures_for_all_time_match_the_hand_count(fixture_register):
    figures = stats.headline(stats.Period())

    assert {
        key: figures[key]
        for key in (
            "total",
            "killed",
            "injured",
            "civilians",
            "military",
            "deminers",
            "children",
            "women_and_girls",
        )
    } == {
        "total": 6,
        "killed": 2,
        "injured": 4,
        "civilians": 4,
        "military": 1,
        "deminers": 1,
        "children": 2,
        "women_and_girls": 2,
    }
    assert figures["quality"]["sex"] == 83  # 5 of 6 known


def test_headline_figures_for_a_year_and_a_period(fixture_register):
    year = stats.headline(stats.Period(2024, 2024))
    both = stats.headline(stats.Period(2023, 2024))

    assert (year["total"], year["killed"], year["injured"], year["children"]) == (2, 0, 2, 1)
    assert both["total"] == 6


def test_incident_shares_count_only_where_known(fixture_register):
    shares = stats.incident_shares(stats.Period())

    assert shares["incidents"] == 3
    assert (shares["outside_contact_line"], shares["contact_line_known"]) == (50, 2)
    assert (shares["outside_mapped_areas"], shares["mapped_area_known"]) == (100, 2)


def test_contested_and_discounted_incidents_never_count(fixture_register, settings):
    assert stats.headline(stats.Period())["total"] == 6

    settings.CASUALTY_PUBLIC_VERIFICATION = ["verified"]

    assert stats.headline(stats.Period())["total"] == 5  # B was only reported


def grid(table):
    return {
        row: [table.cells[(row, column)].display() for column, _l in table.columns]
        + [table.row_totals[row].display()]
        for row, _label in table.rows
    }


def make(counts, rows, columns, dims=("area", "outcome")):
    return build_table(
        "t",
        "t",
        dims[0],
        dims[1],
        [(r, r) for r in rows],
        [(c, c) for c in columns],
        {(r, c): n for (r, c), n in counts.items()},
    )


def test_small_cells_are_shown_as_less_than_k(settings):
    settings.CASUALTY_MIN_CELL = 5
    table = make({("A", "k"): 3, ("A", "i"): 10, ("B", "k"): 12, ("B", "i"): 20}, "AB", "ki")

    assert table.cells[("A", "k")].display() == "<5"
    assert table.cells[("A", "k")].value is None


def test_secondary_suppression_hides_another_cell_in_the_same_row_and_column(settings):
    settings.CASUALTY_MIN_CELL = 5
    table = make(
        {
            ("A", "k"): 3,
            ("A", "i"): 10,
            ("A", "u"): 20,
            ("B", "k"): 12,
            ("B", "i"): 20,
            ("B", "u"): 30,
            ("C", "k"): 15,
            ("C", "i"): 25,
            ("C", "u"): 35,
        },
        "ABC",
        "kiu",
    )

    hidden = {key for key, cell in table.cells.items() if cell.suppressed}
    assert ("A", "k") in hidden
    assert ("A", "i") in hidden  # the smallest other cell of row A
    assert ("B", "k") in hidden  # the smallest other cell of column k
    assert_no_hidden_value_is_alone(table)


def assert_no_hidden_value_is_alone(table):
    """No row or column equation has exactly one unknown: nothing can be subtracted out."""
    lines = (
        [
            [table.cells[(r, c)] for c, _l in table.columns] + [table.row_totals[r]]
            for r, _l in table.rows
        ]
        + [
            [table.cells[(r, c)] for r, _l in table.rows] + [table.column_totals[c]]
            for c, _l in table.columns
        ]
        + [[*table.row_totals.values(), table.total], [*table.column_totals.values(), table.total]]
    )
    for line in lines:
        assert sum(cell.suppressed for cell in line) != 1


@pytest.mark.parametrize("seed", range(20))
def test_secondary_suppression_holds_on_random_tables(seed, settings):
    import random

    settings.CASUALTY_MIN_CELL = 5
    rng = random.Random(seed)
    rows, columns = "ABCDEF"[: rng.randint(2, 6)], "klmn"[: rng.randint(2, 4)]
    counts = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40]) for r in rows for c in columns}

    table = make(counts, rows, columns)

    assert_no_hidden_value_is_alone(table)
    for (row, column), cell in table.cells.items():
        assert not (0 < counts[(row, column)] < 5 and not cell.suppressed)


def test_national_tables_by_year_outcome_and_status_are_published_as_they_are(settings):
    settings.CASUALTY_MIN_CELL = 5
    table = make(
        {("2023", "k"): 1, ("2023", "i"): 2, ("2024", "k"): 0, ("2024", "i"): 3},
        ["2023", "2024"],
        "ki",
        dims=("year", "outcome"),
    )

    assert not table.any_suppressed
    assert grid(table) == {"2023": ["1", "2", "3"], "2024": ["0", "3", "3"]}


def test_tables_by_district_are_protected_even_with_one_dimension(fixture_register, settings):
    settings.CASUALTY_MIN_CELL = 5
    table = stats.by_district()

    assert table.protected
    assert table.row_totals["AZ-KAL"].display() == "<5"  # 1 casualty
    assert table.row_totals["AZ-LAC"].display() == "…"  # 5, hidden: else 6 - 5 reveals the 1
    assert table.total.display() == "6"  # the national total stays published


def test_differencing_attack_cannot_isolate_one_person(settings):
    """Two public tables whose filters differ by one person must not reveal that person.

    District X has 5 casualties in all, one of them in 2023. Publishing X for all time (5)
    and for 2024 only (4) would reveal the 2023 person; the page offers protected tables
    only as fixed tables, so asking for 2024 changes the headline but not the district table,
    and the month tables of 2023 hide the single case."""
    settings.CASUALTY_MIN_CELL = 5
    district = AreaFactory(code="AZ-XCI", name="Xocalı")
    other = AreaFactory(code="AZ-LAC", name="Laçın")
    lone = IncidentFactory(area=district, occurred_on=datetime.date(2023, 6, 1))
    CasualtyFactory(incident=lone, outcome="killed", sex="female", age_group="12-17")
    for day in range(1, 5):
        CasualtyFactory(
            incident=IncidentFactory(area=district, occurred_on=datetime.date(2024, 6, day))
        )
    for day in range(1, 21):
        CasualtyFactory(
            incident=IncidentFactory(area=other, occurred_on=datetime.date(2024, 7, day))
        )

    from django.test import Client

    client = Client()

    def district_block(page: str) -> str:
        return re.search(
            r'<figure class="chart-figure" id="by_district">.*?</figure>', page, re.S
        ).group(0)

    all_time = client.get("/en/casualties/").content.decode()
    in_2024 = client.get("/en/casualties/", {"year": "2024"}).content.decode()
    month_csv = client.get("/en/casualties/by_month.csv", {"year": "2023"}).content.decode()
    month_2023 = list(csv.reader(io.StringIO(month_csv)))

    assert "Headline figures, 2024" in in_2024
    assert district_block(in_2024) == district_block(all_time)  # no per-year district table
    assert client.get("/en/casualties/by_district.csv", {"year": "2024"}).content == (
        client.get("/en/casualties/by_district.csv").content
    )
    killed = month_2023[0].index("Killed")
    june = next(row for row in month_2023 if row[0].lower() == "jun")
    assert june[killed] == "<5"
    assert "1" not in june[1:]  # neither the cell nor the row total reveals the single case


def test_no_public_output_contains_internal_text(client, settings):
    settings.CASUALTY_MIN_CELL = 1
    incident = IncidentFactory(
        source_reference="SECRET-SOURCE-REF", internal_note="SECRET NOTE TEXT"
    )
    CasualtyFactory(incident=incident)

    outputs = [client.get("/en/casualties/").content.decode()]
    for key in stats.CHARTS:
        outputs.append(client.get(f"/en/casualties/{key}.csv").content.decode())
    outputs.append(client.get("/en/casualties/by_month.csv", {"year": "2023"}).content.decode())

    for output in outputs:
        assert "SECRET" not in output


def test_the_page_carries_a_banner_while_synthetic_records_exist(client):
    CasualtyFactory()
    assert "Demonstration data." not in client.get("/en/casualties/").content.decode()

    CasualtyFactory(incident=IncidentFactory(source_type="synthetic"))

    assert "Demonstration data." in client.get("/en/casualties/").content.decode()


def test_the_page_says_which_verification_counts(client):
    page = client.get("/en/casualties/").content.decode()

    assert "counting incidents that are reported, verified; contested and discounted" in page


def test_figures_are_cached_until_register_data_changes(client, django_assert_max_num_queries):
    CasualtyFactory()
    client.get("/en/casualties/")
    with django_assert_max_num_queries(2):
        assert client.get("/en/casualties/").status_code == 200

    CasualtyFactory(outcome="killed")

    assert "<dt>Killed</dt><dd>1</dd>" in client.get("/en/casualties/").content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_uncached_page_queries_do_not_grow_with_the_register(
    client, count, django_assert_max_num_queries
):
    from django.core.cache import cache

    for n in range(count):
        CasualtyFactory(incident=IncidentFactory(occurred_on=datetime.date(2023, 1 + n % 12, 1)))
    cache.clear()

    with django_assert_max_num_queries(20):
        assert client.get("/en/casualties/").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?year=abc", "?year=0", "?year=99999", "?from=2025&to=2020", "?from=20x4", "?year=%00"],
)
def test_bad_period_parameters_get_a_clear_error(client, query):
    response = client.get(f"/en/casualties/{query}")

    assert response.status_code == 400
    assert 'class="error" role="alert"' in response.content.decode()


def test_chart_csv_needs_a_valid_year_for_months(client):
    assert client.get("/en/casualties/by_month.csv").status_code == 400
    assert client.get("/en/casualties/by_month.csv", {"year": "20x4"}).status_code == 400
    assert client.get("/en/casualties/unknown-chart.csv").status_code == 404
