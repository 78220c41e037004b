"""Public figures and the disclosure rule (victims/figures.py, victims/api/tables.py and
victims/disclosure.py)."""

import datetime
import random

import pytest

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory
from victims import counting, disclosure
from victims import figures as page_figures
from victims.api import tables as api_tables
from victims.disclosure import build_table
from victims.models import Casualty

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


def values(figures, keys):
    return {key: figures[key].value for key in keys}


def test_headline_figures_for_all_time_match_the_hand_count(fixture_register, settings):
    settings.CASUALTY_MIN_CELL = 5
    figures = page_figures.headline(page_figures.Period())

    exact = ("total", "killed", "injured", "civilians", "military", "deminers")
    assert values(figures, exact) == {
        "total": 6,
        "killed": 2,
        "injured": 4,
        "civilians": 4,
        "military": 1,
        "deminers": 1,
    }
    assert all(figures[key].exact for key in exact)
    # 2 children and 2 women and girls: below 5, hidden
    assert figures["children"].hidden and figures["women_and_girls"].hidden
    # sex known for 5 of 6: a protected count, so the share is of its published figure
    sex_known = figures["quality"]["sex"]
    assert sex_known is None or sex_known in {round(100 * n / 6) for n in range(5, 10)} | {100}
    assert figures["quality"]["status"] == 100  # status is exact


def test_headline_protected_figures_with_a_threshold_of_one(fixture_register, settings):
    """With K = 1 only zeros are hidden, and protected counts are still perturbed."""
    settings.CASUALTY_MIN_CELL = 1
    figures = page_figures.headline(page_figures.Period())

    children = disclosure.canonical_cell(
        {"years": "all", "age_group": "0-17"}, counting.slice_years()
    )
    expected = 2 + disclosure.PTABLE[disclosure.cell_salt(children)]  # record keys are 0
    assert figures["children"] == (disclosure.Figure(expected) if expected else disclosure.HIDDEN)
    assert not figures["children"].exact


def test_headline_figures_are_exact_for_the_whole_register_and_protected_for_a_period(
    fixture_register,
):
    whole = page_figures.headline(page_figures.Period())
    year = page_figures.headline(page_figures.Period(2024, 2024))
    both = page_figures.headline(page_figures.Period(2023, 2024))
    everything = page_figures.headline(
        page_figures.Period(2020, 2030)
    )  # provably the whole register

    assert values(whole, ("total", "killed", "injured")) == {"total": 6, "killed": 2, "injured": 4}
    assert all(whole[name].exact for name in ("total", "killed", "injured"))
    # 2023-2024 and 2020-2030 hold every year the register has casualties in: the same cells
    assert values(both, ("total", "killed")) == values(everything, ("total", "killed"))
    assert both["total"] == disclosure.exact(6)
    # A year's national counts (2024: 2 casualties, none killed) are protected like any
    # other: an exact 1 or 0 in a year pinned where that person was (see disclosure.py).
    assert not year["total"].exact and not year["killed"].exact
    assert year["total"].hidden and year["killed"].hidden  # 2 and 0 people
    assert year["children"].hidden  # 1 child in 2024


def test_incident_shares_are_hidden_when_their_counts_are_small(fixture_register, settings):
    settings.CASUALTY_MIN_CELL = 5
    shares = page_figures.incident_shares(page_figures.Period())

    assert shares["incidents"].hidden  # 3 incidents (key 0: no perturbation)
    assert shares["outside_contact_line"] is None
    assert shares["outside_mapped_areas"] is None


def test_incident_shares_from_published_counts(settings):
    settings.CASUALTY_MIN_CELL = 5
    area = AreaFactory()
    for n in range(40):
        IncidentFactory(
            area=area,
            occurred_on=datetime.date(2023, 1 + n % 12, 1),
            outside_contact_line="yes" if n < 30 else "no",
            inside_mapped_area="unknown",
        )

    shares = page_figures.incident_shares(page_figures.Period())

    assert abs(shares["incidents"].value - 40) <= 4
    assert abs(shares["contact_line_known"].value - 40) <= 4
    assert 65 <= shares["outside_contact_line"] <= 85  # 75 % with at most 4 moved each way
    assert shares["outside_mapped_areas"] is None  # nothing known


def test_contested_and_discounted_incidents_never_count(fixture_register, settings):
    assert page_figures.headline(page_figures.Period())["total"].value == 6

    settings.CASUALTY_MIN_CELL = 5
    settings.CASUALTY_PUBLIC_VERIFICATION = ["verified"]

    assert page_figures.headline(page_figures.Period())["total"].value == 5  # B was only reported


def grid(table):
    return {
        row: [table.cells[(row, column)].display() for column, _l in table.columns]
        + [table.row_totals[row].display()]
        for row, _label in table.rows
    }


def make(counts, rows, columns, dims=("area", "outcome"), keys=None):
    """A table from true counts; record keys summed per cell as `keys` gives (default: a
    key sum that is the cell's position, so that neighbouring cells differ)."""
    keys = keys or {}
    return build_table(
        "t",
        "t",
        dims[0],
        dims[1],
        [(r, r) for r in rows],
        [(c, c) for c in columns],
        {
            (r, c): (n, keys.get((r, c), 7 * index))
            for index, ((r, c), n) in enumerate(counts.items())
        },
    )


def key_sum_for(perturbation: int, cell: dict) -> int:
    """The sum of record keys that gives `cell` (as make() names it) this perturbation."""
    name = disclosure.canonical_cell({"years": "all", **cell}, counting.slice_years())
    return (disclosure.PTABLE.index(perturbation) - disclosure.cell_salt(name)) % 256


def test_small_counts_are_hidden(settings):
    settings.CASUALTY_MIN_CELL = 5
    table = make(
        {("A", "k"): 3, ("A", "i"): 10, ("B", "k"): 12, ("B", "i"): 20},
        "AB",
        "ki",
        keys={("A", "k"): key_sum_for(0, {"area": "A", "outcome": "k"})},
    )

    assert table.cells[("A", "k")].hidden
    assert table.cells[("A", "k")].value is None
    assert table.cells[("A", "k")].display() == "hidden"


def test_a_small_count_is_shown_only_when_perturbed_to_k_or_more(settings):
    settings.CASUALTY_MIN_CELL = 5

    salt = disclosure.cell_salt("c")

    assert disclosure.protect(1, disclosure.PTABLE.index(4) - salt, "c") == disclosure.Figure(5)
    assert disclosure.protect(1, disclosure.PTABLE.index(3) - salt, "c").hidden
    shown_fours = sum(not disclosure.protect(4, key, "c").hidden for key in range(256)) / 256
    assert shown_fours == 64 / 256  # +1 to +4: a quarter of cell keys


def test_a_count_pushed_below_k_is_hidden_and_looks_the_same(settings):
    settings.CASUALTY_MIN_CELL = 5
    down = disclosure.PTABLE.index(-1) - disclosure.cell_salt("c")

    pushed = disclosure.protect(5, down, "c")
    small = disclosure.protect(3, down, "c")
    zero = disclosure.protect(0, 0, "c")

    assert pushed == small == zero == disclosure.HIDDEN
    assert pushed.display() == small.display() == zero.display() == "hidden"


def test_the_p_table_is_the_documented_spread():
    spread = {d: disclosure.PTABLE.count(d) for d in set(disclosure.PTABLE)}

    assert spread == {0: 128, 1: 40, -1: 40, 2: 20, -2: 20, 3: 3, -3: 3, 4: 1, -4: 1}
    assert sum(disclosure.PTABLE) == 0  # no bias
    assert max(abs(d) for d in disclosure.PTABLE) == disclosure.MAX_PERTURBATION


@pytest.mark.parametrize("seed", range(20))
def test_protected_cells_move_by_the_p_table_only(seed, settings):
    settings.CASUALTY_MIN_CELL = 5
    rng = random.Random(seed)
    rows, columns = "ABCDEF"[: rng.randint(2, 6)], "klmn"[: rng.randint(2, 4)]
    counts = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40]) for r in rows for c in columns}
    keys = {cell: rng.randrange(256 * 40) for cell in counts}

    table = make(counts, rows, columns, keys=keys)

    for cell, figure in table.cells.items():
        true = counts[cell]
        name = disclosure.canonical_cell(
            {"years": "all", "area": cell[0], "outcome": cell[1]}, counting.slice_years()
        )
        offset = disclosure.cell_salt(name)
        published = true + disclosure.PTABLE[(keys[cell] + offset) % 256] if true else 0
        if published < 5:
            assert figure.hidden  # zero, small, or pushed below 5
        else:
            assert figure.value == published and not figure.exact


def test_national_tables_by_year_are_protected_and_whole_register_totals_exact(settings):
    settings.CASUALTY_MIN_CELL = 5
    # The register the table counts: its years name the cells (counting.slice_years), and a
    # year is protected unless it holds the whole register.
    in_2023 = IncidentFactory(occurred_on=datetime.date(2023, 5, 10))
    CasualtyFactory(incident=in_2023, outcome="killed")
    CasualtyFactory.create_batch(2, incident=in_2023, outcome="injured")
    CasualtyFactory(incident=IncidentFactory(occurred_on=datetime.date(2024, 3, 1)))
    table = make(
        {
            ("2023", "killed"): 1,
            ("2023", "injured"): 2,
            ("2024", "killed"): 0,
            ("2024", "injured"): 1,
        },
        ["2023", "2024"],
        ["killed", "injured"],
        dims=("year", "outcome"),
    )

    assert not any(cell.exact for cell in table.cells.values())
    assert all(cell.hidden for cell in table.cells.values())  # 1, 2 and zeros
    assert all(total.hidden for total in table.row_totals.values())  # a year: 3 and 1
    assert table.column_totals["killed"] == disclosure.exact(1)  # all years: exact
    assert table.column_totals["injured"] == disclosure.exact(3)
    assert table.total == disclosure.exact(4)


def test_district_tables_are_protected_but_the_national_total_is_exact(fixture_register, settings):
    settings.CASUALTY_MIN_CELL = 5
    table = page_figures.by_district()

    assert table.any_protected
    assert table.row_totals["AZ-KAL"].hidden  # 1 casualty
    assert table.row_totals["AZ-LAC"].hidden or abs(table.row_totals["AZ-LAC"].value - 5) <= 4
    assert table.column_totals["killed"].value == 2  # national killed: exact
    assert table.total.value == 6  # the national total stays exact


def test_zeros_in_protected_tables_are_hidden_like_small_counts(settings):
    settings.CASUALTY_MIN_CELL = 5
    table = make({("A", "k"): 0, ("A", "i"): 40, ("B", "k"): 3, ("B", "i"): 0}, "AB", "ki")

    assert table.cells[("A", "k")] == table.cells[("B", "k")] == disclosure.HIDDEN
    assert table.cells[("B", "i")].hidden


def test_the_same_people_get_the_same_figure_through_every_table(settings, client):
    """District X in 2024 asked through the API's tables by sex, by area and by year, and
    through a period that covers only 2024's casualties: one figure."""
    settings.CASUALTY_MIN_CELL = 5
    area = AreaFactory(code="AZ-XCI", name="Xocalı")
    for day in range(1, 10):
        CasualtyFactory(
            incident=IncidentFactory(area=area, occurred_on=datetime.date(2024, 6, day)),
            sex="female",
        )

    for casualty in Casualty.objects.all():
        casualty.record_key = random.Random(casualty.pk).randrange(256)
        casualty.save()

    by_sex = api_tables.requested_table(["sex"], year=2024, area="AZ-XCI")
    by_sex_period = api_tables.requested_table(["sex"], period=(2024, 2024), area="AZ-XCI")
    by_area_and_sex = api_tables.requested_table(["area", "sex"], year=2024)
    by_year_and_sex = api_tables.requested_table(["year", "sex"], area="AZ-XCI")

    def female(rows):
        return next(
            row["count"]
            for row in rows
            if row["sex"] == "female"
            and row.get("area", "AZ-XCI") == "AZ-XCI"
            and row.get("year", 2024) == 2024
        )

    figures = {
        female(by_sex),
        female(by_sex_period),
        female(by_area_and_sex),
        female(by_year_and_sex),
    }
    assert len(figures) == 1
    assert abs(figures.pop() - 9) <= 4


def test_no_public_output_contains_internal_text(client, settings):
    settings.CASUALTY_MIN_CELL = 1
    incident = IncidentFactory(
        source_reference="SECRET-SOURCE-REF", internal_note="SECRET NOTE TEXT"
    )
    CasualtyFactory(incident=incident)

    outputs = [client.get("/en/casualties/").content.decode()]
    for key in page_figures.CHARTS:
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
    ["?year=abc", "?year=0", "?year=99999", "?from=2025&to=2020", "?from=20x4"],
)
def test_bad_period_parameters_get_a_clear_error(client, query):
    response = client.get(f"/en/casualties/{query}")

    assert response.status_code == 400
    assert 'class="error" role="alert"' in response.content.decode()


def test_chart_csv_needs_a_valid_year_for_months(client):
    assert client.get("/en/casualties/by_month.csv").status_code == 400
    assert client.get("/en/casualties/by_month.csv", {"year": "20x4"}).status_code == 400
    assert client.get("/en/casualties/unknown-chart.csv").status_code == 404


def test_charts_draw_only_published_figures(settings):
    from victims.charts import bar_chart

    settings.CASUALTY_MIN_CELL = 5
    table = make(
        {("A", "killed"): 3, ("A", "injured"): 40, ("B", "killed"): 2, ("B", "injured"): 1},
        "AB",
        ["killed", "injured"],
        keys={
            ("A", "killed"): key_sum_for(0, {"area": "A", "outcome": "killed"}),
            ("A", "injured"): key_sum_for(0, {"area": "A", "outcome": "injured"}),
        },
    )

    chart = bar_chart(table, "t")
    bars = chart.split('<ul class="bars__rows"')[1]

    assert "Injured: 40" in bars  # a published figure on its bar
    assert "Killed: 3" not in chart and ">3<" not in chart
    assert bars.count('fill="url(#t-hatch)"') == 2  # one hatched bar for each row with hidden
    assert '<span class="bars__value">hidden</span>' in bars  # row B: its total is hidden too
    legend = chart.split('<ul class="legend"')[1].split("</ul>")[0]
    assert 'fill="url(#t-hatch)"' in legend and "Hidden to protect the people counted" in legend


def test_every_hidden_figure_looks_the_same_on_every_surface(fixture_register, client, settings):
    settings.CASUALTY_MIN_CELL = 5
    page = client.get("/en/casualties/").content.decode()
    csv_body = client.get("/en/casualties/by_district.csv").content.decode()
    api = client.get("/api/v1/casualties/stats/", {"group_by": "area,outcome"}).json()

    import csv
    import io

    lines = list(csv.DictReader(io.StringIO(csv_body)))
    assert "<td>hidden</td>" in page
    # The CSV says it the API's way: no count, suppressed.
    hidden = {
        (line["count"], line["suppressed"]) for line in lines if line["suppressed"] != "False"
    }
    assert hidden == {("", "True")}
    for text in (page, csv_body):
        assert "&lt;5" not in text and "<5" not in text and "…" not in text
    assert {(row["count"], row["suppressed"]) for row in api["rows"] if row["suppressed"]} == {
        (None, True)
    }
    assert "small numbers are hidden" in page and "may not add up exactly" in page


def test_the_page_and_the_api_publish_the_same_month_table(settings):
    """Both go through one grouping (dates known only to the year are "month unknown")
    and one list of months: the same people, the same figures, the same rows."""
    settings.CASUALTY_MIN_CELL = 5
    area = AreaFactory()
    for n in range(30):
        incident = IncidentFactory(
            area=area,
            occurred_on=datetime.date(2024, 1 + n % 4, 1),
            date_precision="year" if n % 3 == 0 else "day",
        )
        CasualtyFactory(incident=incident, outcome="killed" if n % 2 else "injured", record_key=n)

    page = page_figures.by_month(2024)
    api = api_tables.requested_table(["month", "outcome"], year=2024)

    assert [row for row, _label in page.rows] == counting.MONTH_VALUES
    assert [str(row["month"]) for row in api if row["outcome"] == "killed"] == counting.MONTH_VALUES
    for row in api:
        figure = page.cells[(str(row["month"]), row["outcome"])]
        assert (row["count"], row["suppressed"]) == (figure.value, figure.hidden), row
    assert any(not row["suppressed"] for row in api if row["month"] in ("unknown", "1"))


def test_the_page_counts_together_what_each_query_would_count_alone():
    """On PostgreSQL the casualty page's tables, its months of every year and its headline
    are read together from the register's tally; every count and key sum is that of its own
    query, and only public incidents count."""
    from django.db.models import Count, F, Sum

    from victims.counting import (
        DIMENSIONS,
        MONTH_OR_UNKNOWN,
        PAGE_GROUPINGS,
        counts_and_keys,
        grouped_public,
        headline_filters,
        public_condition_counts,
    )

    rng = random.Random(15)
    areas = [AreaFactory(), AreaFactory(), AreaFactory()]
    for n in range(40):
        incident = IncidentFactory(
            occurred_on=datetime.date(2021 + n % 4, 1 + n % 12, 1 + n % 27),
            date_precision=rng.choice(["day", "day", "month", "year"]),
            area=rng.choice(areas),
            device_category=rng.choice(["antipersonnel", "antivehicle", "other_erw"]),
            activity=rng.choice(["farming", "herding", "playing"]),
            verification=rng.choice(["reported", "verified", "verified", "contested"]),
            record_key=rng.randrange(256),
        )
        for _ in range(rng.randrange(1, 4)):
            CasualtyFactory(
                incident=incident,
                outcome=rng.choice(["killed", "injured", "unknown"]),
                status=rng.choice(["civilian", "military", "deminer", "unknown"]),
                age_group=rng.choice(["0-4", "12-17", "30-44", "unknown"]),
                sex=rng.choice(["female", "male", "unknown"]),
                record_key=rng.randrange(256),
            )
    public = counting.public_casualties()
    expressions = {**DIMENSIONS, "month": MONTH_OR_UNKNOWN}

    everyone = public.aggregate(n=Count("id"), keys=Sum("record_key"))
    assert grouped_public("") == {(): (everyone["n"], everyone["keys"])}
    for grouping in [grouping for grouping in PAGE_GROUPINGS if grouping]:
        names = grouping.split(",")
        fields = {
            f"d{index}": F(expression) if isinstance(expression, str) else expression
            for index, expression in enumerate(expressions[name] for name in names)
        }
        rows = public.values(**fields).annotate(n=Count("id"), keys=Sum("record_key")).order_by()
        alone = {}
        for row in rows:
            key = tuple(str(row[f"d{index}"]) for index in range(len(names)))
            alone[key if len(key) != 1 else (key[0], "all")] = (row["n"], row["keys"] or 0)
        assert grouped_public(grouping) == alone, grouping

    total = Casualty.objects.filter(incident__verification__in=["reported", "verified"]).count()
    assert grouped_public("")[()][0] == total
    assert {month for _y, month, _o in grouped_public("year,month,outcome")} >= {"unknown", "4"}
    assert public_condition_counts() == counts_and_keys(public, headline_filters())
    assert public_condition_counts()["women_and_girls"] > 0


def test_the_years_offered_are_those_of_public_incidents_newest_first():
    """On PostgreSQL read from the register's tally (figures.available_years): every
    year with a public incident, from its first to its last day, and no year whose incidents
    are all contested or discounted; the same years as grouping every incident's date."""
    for day, verification in [
        (datetime.date(2016, 12, 31), "verified"),
        (datetime.date(2017, 1, 1), "reported"),
        (datetime.date(2017, 6, 1), "verified"),
        (datetime.date(2018, 3, 3), "contested"),
        (datetime.date(2019, 1, 1), "discounted"),
        (datetime.date(2020, 12, 31), "reported"),
        (datetime.date(2023, 1, 1), "verified"),
        (datetime.date(2023, 12, 31), "verified"),
    ]:
        IncidentFactory(occurred_on=day, verification=verification)
    from victims.models import Incident

    years = page_figures.available_years()

    assert years == [2023, 2020, 2017, 2016]
    assert years == [
        day.year for day in Incident.objects.public().dates("occurred_on", "year", order="DESC")
    ]


def test_no_public_incident_no_years():
    IncidentFactory(occurred_on=datetime.date(2021, 5, 5), verification="contested")
    assert page_figures.available_years() == []
