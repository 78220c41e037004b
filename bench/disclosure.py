"""How far the published casualty figures move from the truth (victims/disclosure.py).

Builds the demo register (400 synthetic casualties, seed 2026, as `make run` does) in a
database of its own — a throwaway SQLite file unless DATABASE_URL is set — and prints, for
each table of the statistics page and for the API's tables of all time, how many cells are
exact, shown perturbed and hidden, and the mean and largest absolute change of the shown
perturbed cells. Record keys are random, so figures vary a little from run to run.

    .venv/bin/python bench/disclosure.py        # last output in bench/disclosure.out
"""

import itertools
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_scratch = tempfile.mkdtemp(prefix="disclosure-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count, F  # noqa: E402

from victims import counting, disclosure  # noqa: E402
from victims import figures as page_figures  # noqa: E402
from victims.api import tables as api_tables  # noqa: E402
from victims.models import Casualty  # noqa: E402


def summarise(name: str, pairs: list[tuple[int, object]]) -> None:
    """pairs: (true count, published Figure)."""
    exact = [p for p in pairs if p[1].exact]
    hidden = [p for p in pairs if p[1].hidden]
    shown = [p for p in pairs if not p[1].exact and not p[1].hidden]
    changes = [abs(figure.value - true) for true, figure in shown]
    mean = f"{statistics.mean(changes):.2f}" if changes else "-"
    largest = max(changes) if changes else "-"
    print(
        f"{name:<34} {len(pairs):>5} cells: {len(exact):>4} exact, {len(shown):>4} perturbed "
        f"(mean |change| {mean}, largest {largest}), {len(hidden):>4} hidden "
        f"({sum(1 for true, _f in hidden if true == 0)} of them zeros)"
    )


def truth_of(dimensions: list[str], fixed: dict) -> dict:
    casualties = counting.public_casualties()
    if fixed.get("year"):
        casualties = casualties.filter(incident__occurred_on__year=fixed["year"])
    expressions = {}
    for index, dimension in enumerate(dimensions):
        expression = counting.DIMENSIONS[dimension]
        expressions[f"d{index}"] = F(expression) if isinstance(expression, str) else expression
    return {
        tuple(str(row[f"d{i}"]) for i in range(len(dimensions))): row["n"]
        for row in casualties.values(**expressions).annotate(n=Count("id")).order_by()
    }


def page_table(table: disclosure.Table, truth: dict, name: str) -> None:
    pairs = []
    for (row, column), figure in table.cells.items():
        key = (row,) if table.column_dimension is None else (row, column)
        pairs.append((truth.get(key, 0), figure))
    summarise(name, pairs)


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Casualty.objects.exists():
        call_command("load_areas", "AZ", verbosity=0)
        call_command("generate_casualties", count=400, seed=2026, verbosity=0)
    print(f"demo register: {counting.public_casualties().count()} public casualties\n")
    print("page tables (cells, without totals)")
    page_table(page_figures.by_year(), truth_of(["year", "outcome"], {}), "by year and outcome")
    page_table(
        page_figures.by_district(), truth_of(["area", "outcome"], {}), "by district and outcome"
    )
    page_table(
        page_figures.by_device_category(), truth_of(["device_category"], {}), "by device category"
    )
    page_table(page_figures.by_activity(), truth_of(["activity"], {}), "by activity")
    page_table(
        page_figures.by_status_and_age(), truth_of(["status", "age_group"], {}), "by status and age"
    )
    years = sorted(page_figures.available_years())
    for year in years:
        month = {
            (key[0], key[1]): n for key, n in truth_of(["month", "outcome"], {"year": year}).items()
        }
        page_table(page_figures.by_month(year), month, f"by month and outcome, {year}")
    print("\nheadline figures by year: children, women and girls")
    pairs = []
    for year in years:
        period = page_figures.Period(year, year)
        figures = page_figures.headline(period)
        casualties = counting.public_casualties().filter(incident__occurred_on__year=year)
        pairs.append(
            (casualties.filter(age_group__in=["0-4", "5-11", "12-17"]).count(), figures["children"])
        )
        pairs.append((casualties.filter(sex="female").count(), figures["women_and_girls"]))
    summarise("headline, every year", pairs)
    print("\nAPI tables of all time, by pair of dimensions")
    dimensions = [d for d in counting.DIMENSIONS if d != "month"]
    everything = []
    for group_by in itertools.combinations(dimensions, 2):
        truth = truth_of(list(group_by), {})
        for row in api_tables.requested_table(list(group_by)):
            key = tuple(str(row[d]) for d in group_by)
            figure = disclosure.Figure(
                row["count"], exact=set(group_by) <= {"year", "outcome", "status"}
            )
            everything.append((truth.get(key, 0), figure))
    summarise("all pairs of dimensions", everything)


if __name__ == "__main__":
    main()
