"""What a snapshot's page, its downloads and the "what changed" page show, read from the
snapshot's frozen content (snapshots.py): its tables as the statistics page draws them, in
the reader's language, and the differences between two snapshots. Nothing here counts: the
figures are the snapshot's, already published through disclosure control."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from victims import figures
from victims.api.tables import VOCABULARIES
from victims.disclosure import Figure, Label, Table
from victims.figures import by_size
from victims.models import Area
from victims.snapshots import PLACEHOLDERS, TOTAL

# The statistics page's charts, in its order, as a snapshot names its tables; a table by
# month is shown for one year of the period.
PAGE_TABLES: list[tuple[str, str, Label]] = [
    ("year,outcome", "by_year", _("Casualties by year")),
    ("month,outcome", "by_month", _("Casualties by month, %(year)s")),
    ("area,outcome", "by_district", _("Casualties by district")),
    ("device_category", "by_device_category", _("Casualties by device category")),
    ("activity", "by_activity", _("Casualties by activity at the time")),
    ("status,age_group", "by_status_and_age", _("Casualties by status and age group")),
]
ORDERED_BY_SIZE = {"by_district", "by_device_category", "by_activity", "by_status_and_age"}


def label(dimension: str, value: str, areas: dict[str, str]) -> Label:
    if dimension in VOCABULARIES:
        try:
            return VOCABULARIES[dimension](value).label
        except ValueError:
            return value
    if dimension == "month":
        return MONTHS[int(value)] if value.isdigit() else _("Month unknown")
    if dimension == "area":
        return areas.get(value, value)
    return value


def to_table(entry: dict[str, Any], key: str, title: Label, areas: dict[str, str]) -> Table:
    """A snapshot's table as a disclosure.Table, labelled in the reader's language."""
    dimensions = entry["dimensions"]
    rows: dict[str, None] = {}
    columns: dict[str, None] = {}
    table = Table(key, title, dimensions[0], dimensions[1] if len(dimensions) > 1 else None, [], [])
    for row, column, value, exact in entry["figures"]:
        figure = Figure(value, exact=exact)
        if row != TOTAL and column not in (TOTAL,):
            rows[row] = None
            columns[column] = None
            if len(dimensions) > 1:
                table.cells[(row, column)] = figure
        if len(dimensions) == 1:
            if row == TOTAL:
                table.total = figure
            else:
                table.cells[(row, "all")] = figure
                table.row_totals[row] = figure
        elif row == TOTAL and column == TOTAL:
            table.total = figure
        elif column == TOTAL:
            table.row_totals[row] = figure
        elif row == TOTAL:
            table.column_totals[column] = figure
    table.rows = [(row, label(dimensions[0], row, areas)) for row in rows]
    if len(dimensions) > 1:
        table.columns = [(column, label(dimensions[1], column, areas)) for column in columns]
    else:
        table.columns = [("all", _("Casualties"))]
        table.column_totals["all"] = table.total
    return table


def tables_by_key(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["key"]: entry for entry in content["tables"]}


def page_tables(content: dict[str, Any], month_year: int, until: date) -> list[Table]:
    """The statistics page's charts, from a snapshot: months for `month_year`. As on the
    statistics page, the year of the day it was taken (`until`) is named partial ("2024,
    to 4 April") and its months after that day are left out."""
    entries = tables_by_key(content)
    areas = Area.display_names()
    shown = []
    for name, key, title in PAGE_TABLES:
        if name == "month,outcome":
            entry = entries.get(f"{name}:{month_year}")
            title = _("Casualties by month, %(year)s") % {"year": month_year}
        else:
            entry = entries.get(name)
        if entry is None:
            continue
        table = to_table(entry, key, title, areas)
        table = by_size(table) if key in ORDERED_BY_SIZE else table
        shown.append(within(table, month_year, until))
    return shown


def within(table: Table, month_year: int, until: date) -> Table:
    """A table of whole years as the register stood on the day the snapshot was taken: that
    day's year is named partial, and its months after that day left out."""
    return figures.as_shown(table, until, month_year)


def headline(content: dict[str, Any]) -> dict[str, Figure]:
    top = content["headline"]
    exact = set(top["exact"])
    return {name: Figure(value, exact=name in exact) for name, value in top["figures"].items()}


def figures_to_cite(figures: dict[str, int | None], language: str) -> list[tuple[str, Label, str]]:
    """Every figure a statement can cite from the snapshot: its placeholder, what it counts
    and its value as a statement in `language` writes it (hidden ones too, marked)."""
    from statements.citations import format_figure

    return [
        (name, description, format_figure(name, figures.get(name), language))
        for name, description in PLACEHOLDERS.items()
    ]


# --- downloads ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "table",
    "dimension_1",
    "value_1",
    "dimension_2",
    "value_2",
    "count",
    "suppressed",
    "exact",
]


def csv_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of the snapshot, one per row: its table, the values it fixes (codes;
    "total" for a total), the count (empty when hidden), suppressed and exact. Shares of
    incidents are in the table "shares", per cent as the count."""
    rows = []
    for top_name, value in content["headline"]["figures"].items():
        rows.append(
            {
                "table": "headline",
                "dimension_1": "figure",
                "value_1": top_name,
                "count": value,
                "suppressed": value is None,
                "exact": top_name in content["headline"]["exact"],
            }
        )
    for window, shares in content["shares"].items():
        first, last = shares["years"]
        for name, value in shares.items():
            if name == "years":
                continue
            rows.append(
                {
                    "table": "shares",
                    "dimension_1": "years",
                    "value_1": f"{window}:{first}-{last}",
                    "dimension_2": "figure",
                    "value_2": name,
                    "count": value,
                    "suppressed": value is None,
                    "exact": False,
                }
            )
    for entry in content["tables"]:
        dimensions = entry["dimensions"]
        for row, column, value, exact in entry["figures"]:
            record: dict[str, Any] = {
                "table": entry["key"],
                "dimension_1": dimensions[0],
                "value_1": row,
                "count": value,
                "suppressed": value is None,
                "exact": exact,
            }
            if len(dimensions) > 1:
                record.update(dimension_2=dimensions[1], value_2=column)
            rows.append(record)
    return rows


# --- what changed ------------------------------------------------------------------------------


OUTSIDE = Figure(None)  # a value of a dimension outside a snapshot's period (a later year)


@dataclass
class Change:
    label: Label
    before: Figure
    after: Figure

    @property
    def difference(self) -> int | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    def shown(self, figure: Figure) -> str:
        return str(_("not in the period")) if figure is OUTSIDE else figure.display()

    @property
    def before_display(self) -> str:
        return self.shown(self.before)

    @property
    def after_display(self) -> str:
        return self.shown(self.after)

    def display(self) -> str:
        difference = self.difference
        if difference is None:
            return "—"
        return (
            f"+{difference}" if difference > 0 else ("±0" if difference == 0 else f"−{-difference}")
        )


# The headline figures compared (exact when both snapshots' are), then tables by year and
# district.
HEADLINE_ROWS: list[tuple[str, Label]] = [
    ("casualties", _("Casualties")),
    ("killed", _("Killed")),
    ("injured", _("Injured")),
    ("civilians", _("Civilians")),
    ("military", _("Military and security forces")),
    ("deminers", _("Deminers")),
]
DIFFERENCE_TABLES: list[tuple[str, Label]] = [
    ("year", _("By year")),
    ("area", _("By district")),
]


@dataclass
class Section:
    """One table of the "what changed" page: its title, the header of its first column, and
    a change per value."""

    title: Label
    header: Label
    changes: list[Change]


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[Section]:
    """The headline figures, then per year and district, each figure in both snapshots and
    the change. A value missing from one snapshot (a year outside its period) is "not in
    the period" there."""
    areas = Area.display_names()
    first, second = tables_by_key(before), tables_by_key(after)
    sections: list[Section] = []
    top_before, top_after = headline(before), headline(after)
    totals = [
        Change(label_, top_before.get(name, OUTSIDE), top_after.get(name, OUTSIDE))
        for name, label_ in HEADLINE_ROWS
    ]
    sections.append(Section(_("Headline figures"), _("Figure"), totals))
    for name, title in DIFFERENCE_TABLES:
        values_before = _single(first.get(name))
        values_after = _single(second.get(name))
        order = list(dict.fromkeys([*values_before, *values_after]))
        changes = [
            Change(
                label(name, value, areas),
                values_before.get(value, OUTSIDE),
                values_after.get(value, OUTSIDE),
            )
            for value in order
        ]
        if name == "area":  # districts by name in the reader's language, as on the page
            changes.sort(key=lambda change: str(change.label))
        sections.append(Section(title, figures.DIMENSION_LABELS[name], changes))
    return sections


def _single(entry: dict[str, Any] | None) -> dict[str, Figure]:
    if entry is None:
        return {}
    return {
        row: Figure(value, exact=exact)
        for row, _column, value, exact in entry["figures"]
        if row != TOTAL
    }
