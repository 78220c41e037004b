"""The figures of the public casualty page and its CSV downloads.

Headline figures for a period, shares of incidents, and the page's tables (CHARTS, and
by_month for one year). Counts come from counting.py and each is published through
disclosure.py: national counts by outcome and status over the whole register are exact,
every other count is protected (the rule is in that module's docstring). The API's tables on
request are in api/tables.py; both are cached through caching.py by their callers.
"""

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import Max, QuerySet
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from victims import disclosure, tally
from victims.caching import cached
from victims.choices import (
    Activity,
    AgeGroup,
    DeviceCategory,
    Outcome,
    Sex,
    SourceType,
    Status,
)
from victims.counting import (
    INCIDENT_CONDITIONS,
    INCIDENTS,
    MONTH_VALUES,
    counts_and_keys,
    grouped_public,
    headline_filters,
    public_casualties,
    public_condition_counts,
    public_incident_counts,
    slice_years,
)
from victims.disclosure import Cell, Figure, Label, Table, build_table, publish
from victims.models import Area, Casualty, Incident

OUTCOME_COLUMNS = list(Outcome.choices)  # labels stay lazy: translated when shown

# What each dimension is called in a table's header, in the reader's language. (CSV files
# name them by their codes, the same in every language: see csv_rows.)
DIMENSION_LABELS: dict[str, Label] = {
    "year": _("Year"),
    "month": _("Month"),
    "area": _("District"),
    "outcome": _("Outcome"),
    "status": _("Status"),
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "device_category": _("Device category"),
    "activity": _("Activity at the time"),
}

# Catch-all values, shown after every other whatever their size.
LAST_VALUES = ("other", "unknown")


def year_from_text(text: str) -> int | None:
    """A year asked for by the page or the API: four ASCII digits, 1990 to 2100; else None."""
    if text.isascii() and text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100:
        return int(text)
    return None


@dataclass
class Period:
    """All time, one year, or a range of whole years."""

    start_year: int | None = None
    end_year: int | None = None

    @property
    def is_all_time(self) -> bool:
        return self.start_year is None

    def filter(self, casualties: QuerySet[Casualty]) -> QuerySet[Casualty]:
        if self.is_all_time:
            return casualties
        return casualties.filter(
            incident__occurred_on__year__gte=self.start_year,
            incident__occurred_on__year__lte=self.end_year,
        )

    @property
    def key(self) -> str:
        return "all" if self.is_all_time else f"{self.start_year}-{self.end_year}"

    def label(self) -> str:
        if self.is_all_time:
            return str(_("all time"))
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"


def headline(period: Period) -> dict[str, Figure | dict[str, int | None]]:
    """National figures for a period: totals by outcome and status (exact), children and
    women and girls (protected), and data quality ("quality": shares, in per cent, of
    protected counts)."""
    casualties = period.filter(public_casualties())
    conditions = headline_filters()
    # All time: summed from the page's groupings, counted in the same scan on PostgreSQL.
    raw = (
        public_condition_counts() if period.is_all_time else counts_and_keys(casualties, conditions)
    )
    fixed = {"years": period.key}
    slices = slice_years()
    cells: dict[str, Cell] = {
        "total": {},
        "killed": {"outcome": Outcome.KILLED},
        "injured": {"outcome": Outcome.INJURED},
        "civilians": {"status": Status.CIVILIAN},
        "military": {"status": Status.MILITARY},
        "deminers": {"status": Status.DEMINER},
        "children": {"age_group": "0-17"},
        "women_and_girls": {"sex": Sex.FEMALE},
        "sex_known": {"sex": "known"},
        "age_known": {"age_group": "known"},
        "status_known": {"status": "known"},
        "outcome_known": {"outcome": "known"},
    }
    published = {
        name: publish(raw[name], raw[f"{name}_keys"], {**fixed, **cell}, slices)
        for name, cell in cells.items()
    }
    total = published["total"]
    quality = {
        "sex": disclosure.share(published.pop("sex_known"), total),
        "age_group": disclosure.share(published.pop("age_known"), total),
        "status": disclosure.share(published.pop("status_known"), total),
        "outcome": disclosure.share(published.pop("outcome_known"), total),
    }
    return {**published, "quality": quality}


def incident_shares(period: Period) -> dict[str, Figure | int | None]:
    """Shares of incidents outside the former contact line and outside mapped areas, each
    of the incidents where it is known: counts of incidents are protected like counts of
    people (incidents have record keys too), and shares are computed from what is shown."""
    raw = public_incident_counts(period.start_year, period.end_year)
    years = cached("years", available_years)
    start, end = period.start_year, period.end_year
    if start is not None and end is not None:
        years = [year for year in years if start <= year <= end]
    named = "years=" + ",".join(str(year) for year in sorted(years))
    figures = {
        name: disclosure.protect(raw[name], raw[f"{name}_keys"], f"incidents|{name}|{named}")
        for name in INCIDENT_CONDITIONS
    }
    return {
        "incidents": figures["incidents"],
        "outside_contact_line": disclosure.share(
            figures["outside_contact"], figures["contact_known"]
        ),
        "contact_line_known": figures["contact_known"],
        "outside_mapped_areas": disclosure.share(
            figures["outside_mapped"], figures["mapped_known"]
        ),
        "mapped_area_known": figures["mapped_known"],
    }


def as_of() -> datetime.datetime | None:
    """When public register data last changed."""
    return Incident.objects.public().aggregate(latest=Max("updated_at"))["latest"]


def has_synthetic_data() -> bool:
    return Incident.objects.filter(source_type=SourceType.SYNTHETIC).exists()


def available_years() -> list[int]:
    """The years with a public incident, newest first (on PostgreSQL, those of the
    register's tally)."""
    if tally.in_use():
        return sorted({int(key[0]) for key in grouped_public(INCIDENTS)}, reverse=True)
    return [
        day.year for day in Incident.objects.public().dates("occurred_on", "year", order="DESC")
    ]


def by_year() -> Table:
    """Casualties by year and outcome, all years. National, but each year is a period short of
    the whole register, so its cells and row totals are protected; the totals by outcome
    over every year are exact."""
    counts = grouped_public("year,outcome")
    years = sorted({int(row) for row, _c in counts})
    return build_table(
        "by_year",
        _("Casualties by year"),
        "year",
        "outcome",
        [(str(year), str(year)) for year in years],
        OUTCOME_COLUMNS,
        counts,
    )


def by_month(year: int) -> Table:
    """Casualties by month of one year and outcome. Incidents whose date is known only to
    the year are counted as "month unknown" (a row that is always there, so that its
    presence says nothing)."""
    every_year = cast(
        dict[tuple[str, str, str], tuple[int, int]], grouped_public("year,month,outcome")
    )
    counts = {
        (month, outcome): count_and_keys
        for (found, month, outcome), count_and_keys in every_year.items()
        if found == str(year)
    }
    months = [
        (value, MONTHS[int(value)] if value != "unknown" else _("Month unknown"))
        for value in MONTH_VALUES
    ]
    return build_table(
        "by_month",
        _("Casualties by month, %(year)s") % {"year": year},
        "month",
        "outcome",
        months,
        OUTCOME_COLUMNS,
        counts,
        fixed={"years": f"{year}-{year}"},
    )


def by_district() -> Table:
    """Casualties by district and outcome, all time."""
    counts = grouped_public("area,outcome")
    codes = sorted({row for row, _c in counts})
    names = Area.display_names(codes)  # in the reader's language
    rows = sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])
    return by_size(
        build_table(
            "by_district",
            _("Casualties by district"),
            "area",
            "outcome",
            rows,
            OUTCOME_COLUMNS,
            counts,
        )
    )


def _one_dimension(
    key: str, title: Label, dimension: str, choices: Sequence[tuple[str, Label]]
) -> Table:
    counts = grouped_public(dimension)
    return by_size(
        build_table(key, title, dimension, None, list(choices), [("all", _("Casualties"))], counts)
    )


def by_device_category() -> Table:
    return _one_dimension(
        "by_device_category",
        _("Casualties by device category"),
        "device_category",
        DeviceCategory.choices,
    )


def by_activity() -> Table:
    return _one_dimension(
        "by_activity",
        _("Casualties by activity at the time"),
        "activity",
        Activity.choices,
    )


def by_status_and_age() -> Table:
    """Casualties by status and age group, all time."""
    counts = grouped_public("status,age_group")
    return by_size(
        build_table(
            "by_status_and_age",
            _("Casualties by status and age group"),
            "status",
            "age_group",
            list(Status.choices),
            list(AgeGroup.choices),
            counts,
        )
    )


def by_size(table: Table) -> Table:
    """The table's rows by their published totals, largest first; hidden totals after the
    shown ones, and "Other" and "Unknown" last whatever their size. Only published figures
    decide the order, so it says nothing that the figures do not."""

    def order(pair: tuple[int, tuple[str, Label]]) -> tuple[int, int, int, int]:
        index, (row, _label) = pair
        last = LAST_VALUES.index(row) + 1 if row in LAST_VALUES else 0
        total = table.row_totals[row]
        return (last, total.hidden, -(total.value or 0), index)

    table.rows = [row for _index, row in sorted(enumerate(table.rows), key=order)]
    return table


# The page's tables besides by_month, in the order the page shows them (by_month second).
CHARTS: dict[str, Callable[[], Table]] = {
    "by_year": by_year,
    "by_district": by_district,
    "by_device_category": by_device_category,
    "by_activity": by_activity,
    "by_status_and_age": by_status_and_age,
}


def chart_table(key: str, year: int | None = None) -> Table:
    """One of CHARTS, or the months of a year ("by_month"), in the reader's language: cached
    per register version and language, with its labels written out in that language (a lazy
    label is rebuilt as a class of its own when unpickled: the 56 of the casualty page's
    tables took a third of its time when its figures were cached)."""
    language = get_language()
    if key == "by_month":
        return cached(f"by_month:{year}:{language}", lambda: in_language(by_month(cast(int, year))))
    return cached(f"{key}:{language}", lambda: in_language(CHARTS[key]()))


def in_language(table: Table) -> Table:
    """The table with its title and labels as text in the active language."""
    return dataclasses.replace(
        table,
        title=str(table.title),
        rows=[(value, str(label)) for value, label in table.rows],
        columns=[(value, str(label)) for value, label in table.columns],
    )


# --- the tables as shown on a given day, and as CSV ----------------------------------------------


def data_until(moment: datetime.datetime | None) -> datetime.date:
    """The last day the figures cover: the day register data last changed, in this year;
    otherwise today."""
    today = timezone.localdate()
    if moment is not None and timezone.localdate(moment).year == today.year:
        return timezone.localdate(moment)
    return today


def partial_year_label(year: int, until: datetime.date) -> str:
    """ "2026, to 27 November", in the reader's language."""
    return gettext("%(year)s, to %(date)s") % {
        "year": year,
        "date": dateformat.format(until, "j E"),
    }


def period_label(period: Period, until: datetime.date) -> str:
    """The period as the page names it: the current year marked as partial ("2026, to 6
    December"; "2024–2026, to 6 December")."""
    if period.is_all_time or period.end_year != until.year:
        return period.label()
    partial = partial_year_label(until.year, until)
    return partial if period.start_year == period.end_year else f"{period.start_year}–{partial}"


def as_shown(table: Table, until: datetime.date, month_year: int | None = None) -> Table:
    """The table as the page shows it on a day whose figures run to `until`: the current year
    is marked as partial ("2026, to 27 November"), and in a table by month of the current
    year the months that have not happened yet are left out (rather than shown as hidden).
    A copy: cached tables are not changed."""
    current = str(until.year)
    if table.row_dimension == "year" and any(row == current for row, _label in table.rows):
        label = partial_year_label(until.year, until)
        rows = [(row, label if row == current else text) for row, text in table.rows]
        return dataclasses.replace(table, rows=rows)
    if table.row_dimension == "month" and month_year == until.year:
        rows = [
            (row, text) for row, text in table.rows if not row.isdigit() or int(row) <= until.month
        ]
        title = gettext("Casualties by month, %(period)s") % {
            "period": partial_year_label(until.year, until)
        }
        return dataclasses.replace(table, rows=rows, title=title)
    return table


def header_labels(table: Table) -> list[Label]:
    """A table's column headers in the reader's language: its rows' dimension, its columns,
    and "Total" when it has more than one column."""
    labels = [DIMENSION_LABELS.get(table.row_dimension, table.row_dimension)]
    labels += [label for _value, label in table.columns]
    if len(table.columns) > 1:
        labels.append(_("Total"))
    return labels


def display_rows(table: Table) -> list[list[str]]:
    """A table's body as the page shows it: each row's label and published figures (and its
    total when there is more than one column), then the row of totals."""
    several = len(table.columns) > 1
    body = []
    for row, label in table.rows:
        figures = [table.cells[(row, column)] for column, _label in table.columns]
        if several:
            figures.append(table.row_totals[row])
        body.append([str(label), *(figure.display() for figure in figures)])
    if several:
        totals = [table.column_totals[column] for column, _label in table.columns]
        totals.append(table.total)
    else:  # one column: its total is the table's
        totals = [table.total]
    body.append([gettext("Total"), *(figure.display() for figure in totals)])
    return body


TOTAL_CODE = "total"


def csv_rows(table: Table, area_names: dict[str, str] | None = None) -> list[list]:
    """A table as CSV, in one convention for every table and language (the API's): a header
    of codes (the dimensions, then "count" and "suppressed"), one line per published figure,
    each dimension's value as its code ("killed", "AZ-LAC", a year, a month 1-12 or
    "unknown"), and "total" for a total. A hidden figure has an empty count and suppressed
    True. A table by district also has "area_name": the district's name, in the language of
    the page it was downloaded from."""
    by_area = table.row_dimension == "area"
    dimensions = [
        table.row_dimension,
        *([table.column_dimension] if table.column_dimension else []),
    ]
    header = [*dimensions, "count", "suppressed"]
    if by_area:
        header.insert(1, "area_name")
    lines: list[list] = []

    def add(row: str, column: str | None, figure: Figure) -> None:
        values: list = [row, *([column] if table.column_dimension else [])]
        if by_area:
            values.insert(1, (area_names or {}).get(row, "") if row != TOTAL_CODE else "")
        lines.append([*values, figure.value, figure.hidden])

    for row, _label in table.rows:
        for column, _clabel in table.columns:
            if table.column_dimension:
                add(row, column, table.cells[(row, column)])
        add(row, TOTAL_CODE, table.row_totals[row])
    if table.column_dimension:
        for column, _clabel in table.columns:
            add(TOTAL_CODE, column, table.column_totals[column])
    add(TOTAL_CODE, TOTAL_CODE, table.total)
    return [header, *lines]
