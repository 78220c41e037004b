"""Every public figure of the casualty register. Nowhere else.

Pages, CSV downloads and the API take their figures from here, and every count passes
through disclosure.py on its way out: national counts by outcome and status over the whole
register are exact, every other count is protected by cell key perturbation (the rule, and
what an attacker can and cannot learn, are in that module's docstring).

* Only incidents whose verification counts (CASUALTY_PUBLIC_VERIFICATION, by default
  reported and verified) enter public figures; no free text and no single casualty's row
  ever leaves this module — only counts.
* Each count is computed together with the sum of its records' keys, in the same GROUP BY
  query, so the same people asked through any table, filter or period get the same
  published figure. A cell is described by what it fixes (a dict such as {"years": "all",
  "area": "AZ-LAC", "outcome": "killed"}), which decides whether it is exact.
* A table's totals are cells in their own right: perturbed on their own, so they may not
  equal the sum of the published cells.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

from victims import disclosure
from victims.caching import cached
from victims.choices import (
    CHILD_AGE_GROUPS,
    Activity,
    AgeGroup,
    DeviceCategory,
    Outcome,
    Sex,
    SourceType,
    Status,
    YesNoUnknown,
)
from victims.disclosure import Figure
from victims.models import Area, Casualty, Incident

EXACT_DIMENSIONS = {"outcome", "status"}


def min_cell() -> int:
    return disclosure.min_cell()


def public_casualties() -> QuerySet:
    """Casualties of incidents whose verification counts for public figures."""
    return Casualty.objects.filter(incident__in=Incident.objects.public())


def year_from_text(text: str) -> int | None:
    """A year asked for by the page or the API: four ASCII digits, 1990 to 2100; else None."""
    if text.isascii() and text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100:
        return int(text)
    return None


# --- cells and tables ----------------------------------------------------------------------


def publish(count: int, key_sum: int, cell: dict, slices: dict) -> Figure:
    """The published figure of the people in `cell` (a dict of fixed values: dimensions and
    "years"). Exact when the cell is national and fixed by outcome and status only.
    `slices` is `slice_years()`, fetched once by the caller."""
    if set(cell) - {"years"} <= EXACT_DIMENSIONS and _whole_record(cell, slices):
        return disclosure.exact(count)
    return disclosure.protect(count, key_sum, canonical_cell(cell, slices))


def _whole_record(cell: dict, slices: dict) -> bool:
    """Whether the cell's period holds every year of the register with casualties."""
    span = cell.get("years", "all")
    if span == "all":
        return True
    first, last = (int(year) for year in span.split("-"))
    return all(first <= year <= last for year in slices.get((None, None), []))


def canonical_cell(cell: dict, slices: dict) -> str:
    """A cell's name for the disclosure control: its fixed values, sorted, and its period as
    the years in it that have casualties at all (the register's coverage, which the page
    states). Two questions anyone can prove to hold the same people get the same name: "all"
    and "2020-2026", or "2019-2023" and "2020-2023" when the register starts in 2020. Years
    without anyone of the cell's outcome and status are not dropped: a year's national
    counts are protected, so whether one is zero must not show through equal figures."""
    span = cell.get("years", "all")
    years = slices.get((None, None), [])
    if span != "all":
        first, last = (int(year) for year in span.split("-"))
        years = [year for year in years if first <= year <= last]
    names = [f"{name}={cell[name]}" for name in sorted(cell) if name != "years"]
    return "|".join([*names, "years=" + ",".join(str(year) for year in years)])


def slice_years() -> dict:
    """For every national slice by outcome and status (each may be None: any), the years
    with at least one public casualty in it. Once per register version."""

    def compute() -> dict:
        years = {}
        rows = (
            public_casualties()
            .values(year=ExtractYear("incident__occurred_on"), o=F("outcome"), s=F("status"))
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            o, s = row["o"], row["s"]
            for key in ((None, None), (o, None), (None, s), (o, s)):
                years.setdefault(key, set()).add(row["year"])
        return {key: sorted(found) for key, found in years.items()}

    return cached("slice_years", compute)


@dataclass
class Table:
    key: str
    title: str
    row_dimension: str
    column_dimension: str | None
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Figure] = field(default_factory=dict)
    row_totals: dict[str, Figure] = field(default_factory=dict)
    column_totals: dict[str, Figure] = field(default_factory=dict)
    total: Figure = field(default_factory=lambda: Figure(0))

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for cell in self.all_cells())

    @property
    def any_protected(self) -> bool:
        return any(not cell.exact for cell in self.all_cells())

    def all_cells(self):
        yield from self.cells.values()
        yield from self.row_totals.values()
        yield from self.column_totals.values()
        yield self.total

    def csv_rows(self) -> list[list[str]]:
        """The table as CSV rows: header, one row per row value, a totals row."""
        header = [self.row_dimension, *(str(label) for _value, label in self.columns), "total"]
        body = [
            [str(label)]
            + [self.cells[(row, column)].display() for column, _label in self.columns]
            + [self.row_totals[row].display()]
            for row, label in self.rows
        ]
        totals = (
            ["total"]
            + [self.column_totals[column].display() for column, _label in self.columns]
            + [self.total.display()]
        )
        return [header, *body, totals]


def build_table(
    key, title, row_dimension, column_dimension, rows, columns, counts, fixed=None
) -> Table:
    """A table of published figures with its totals. `counts` maps (row, column) to (count,
    sum of record keys); `fixed` holds what the whole table is limited to (e.g. {"years":
    "all"}). A one-dimensional table has the single column "all"."""
    fixed = {"years": "all", **(fixed or {})}

    def cell_of(row=None, column=None) -> dict:
        cell = dict(fixed)
        for dimension, value in ((row_dimension, row), (column_dimension, column)):
            if dimension and value is not None:
                cell.update(_fixing(dimension, value))
        return cell

    table = Table(key, title, row_dimension, column_dimension, rows, columns)
    slices = slice_years()
    row_sums, column_sums, grand = {}, {}, [0, 0]
    for row, _label in rows:
        for column, _clabel in columns:
            count, keys = counts.get((row, column), (0, 0))
            table.cells[(row, column)] = publish(count, keys, cell_of(row, column), slices)
            for sums, name in ((row_sums, row), (column_sums, column)):
                total = sums.setdefault(name, [0, 0])
                total[0] += count
                total[1] += keys
            grand[0] += count
            grand[1] += keys
    for row, _label in rows:
        table.row_totals[row] = publish(*row_sums.get(row, (0, 0)), cell_of(row), slices)
    for column, _label in columns:
        table.column_totals[column] = (
            publish(*column_sums.get(column, (0, 0)), cell_of(column=column), slices)
            if column_dimension
            else table.row_totals.get(column, Figure(0))
        )
    table.total = publish(*grand, cell_of(), slices)
    return table


def _fixing(dimension: str, value) -> dict:
    """How fixing a dimension to a value names the cell: a year is a period of one year."""
    if dimension == "year":
        return {"years": f"{value}-{value}"}
    return {dimension: value}


# --- the figures of the public page -------------------------------------------------------


@dataclass
class Period:
    """All time, one year, or a range of whole years."""

    start_year: int | None = None
    end_year: int | None = None

    @property
    def is_all_time(self) -> bool:
        return self.start_year is None

    def filter(self, casualties: QuerySet) -> QuerySet:
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


def _counts_and_keys(records: QuerySet, conditions: dict) -> dict:
    """For each named condition, the count of records and the sum of their keys ("<name>"
    and "<name>_keys"), in one query."""
    aggregates = {}
    for name, condition in conditions.items():
        aggregates[name] = Count("id", filter=condition)
        aggregates[f"{name}_keys"] = Coalesce(Sum("record_key", filter=condition), 0)
    return records.aggregate(**aggregates)


def headline(period: Period) -> dict:
    """National figures for a period: totals by outcome and status (exact), children and
    women and girls (protected), and data quality as shares of protected counts."""
    casualties = period.filter(public_casualties())
    conditions = {
        "total": Q(),
        "killed": Q(outcome=Outcome.KILLED),
        "injured": Q(outcome=Outcome.INJURED),
        "civilians": Q(status=Status.CIVILIAN),
        "military": Q(status=Status.MILITARY),
        "deminers": Q(status=Status.DEMINER),
        "children": Q(age_group__in=CHILD_AGE_GROUPS),
        "women_and_girls": Q(sex=Sex.FEMALE),
        "sex_known": ~Q(sex=Sex.UNKNOWN),
        "age_known": ~Q(age_group=AgeGroup.UNKNOWN),
        "status_known": ~Q(status=Status.UNKNOWN),
        "outcome_known": ~Q(outcome=Outcome.UNKNOWN),
    }
    raw = _counts_and_keys(casualties, conditions)
    fixed = {"years": period.key}
    slices = slice_years()
    cells = {
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
    figures = {
        name: publish(raw[name], raw[f"{name}_keys"], {**fixed, **cell}, slices)
        for name, cell in cells.items()
    }
    total = figures["total"]
    figures["quality"] = {
        "sex": disclosure.share(figures.pop("sex_known"), total),
        "age_group": disclosure.share(figures.pop("age_known"), total),
        "status": disclosure.share(figures.pop("status_known"), total),
        "outcome": disclosure.share(figures.pop("outcome_known"), total),
    }
    return figures


def incident_shares(period: Period) -> dict:
    """Shares of incidents outside the former contact line and outside mapped areas, each
    of the incidents where it is known: counts of incidents are protected like counts of
    people (incidents have record keys too), and shares are computed from what is shown."""
    incidents = Incident.objects.public()
    if not period.is_all_time:
        incidents = incidents.filter(
            occurred_on__year__gte=period.start_year, occurred_on__year__lte=period.end_year
        )
    conditions = {
        "incidents": Q(),
        "contact_known": ~Q(outside_contact_line=YesNoUnknown.UNKNOWN),
        "outside_contact": Q(outside_contact_line=YesNoUnknown.YES),
        "mapped_known": ~Q(inside_mapped_area=YesNoUnknown.UNKNOWN),
        "outside_mapped": Q(inside_mapped_area=YesNoUnknown.NO),
    }
    raw = _counts_and_keys(incidents, conditions)
    years = cached("years", available_years)
    if not period.is_all_time:
        years = [year for year in years if period.start_year <= year <= period.end_year]
    named = "years=" + ",".join(str(year) for year in sorted(years))
    figures = {
        name: disclosure.protect(raw[name], raw[f"{name}_keys"], f"incidents|{name}|{named}")
        for name in conditions
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
    return [
        day.year for day in Incident.objects.public().dates("occurred_on", "year", order="DESC")
    ]


OUTCOME_COLUMNS = list(Outcome.choices)  # labels stay lazy: translated when shown


def _grouped(casualties: QuerySet, row_expr, column_field: str | None) -> dict:
    """(count, sum of record keys) by (row, column), in one GROUP BY query."""
    fields = {"row": F(row_expr) if isinstance(row_expr, str) else row_expr}
    if column_field:
        fields["column"] = F(column_field) if isinstance(column_field, str) else column_field
    rows = casualties.values(**fields).annotate(n=Count("id"), keys=Sum("record_key")).order_by()
    return {
        (str(item["row"]), str(item["column"]) if column_field else "all"): (
            item["n"],
            item["keys"] or 0,
        )
        for item in rows
    }


def by_year() -> Table:
    """Casualties by year and outcome, all years (national: published as they are)."""
    counts = _grouped(public_casualties(), ExtractYear("incident__occurred_on"), "outcome")
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


# The rows of every table by month, on the page and in the API: the twelve months, then the
# incidents dated only to the year (see _grouped_with_unknown_months).
MONTH_VALUES = [*(str(month) for month in range(1, 13)), "unknown"]


def by_month(year: int) -> Table:
    """Casualties by month of one year and outcome. Incidents whose date is known only to
    the year are counted as "month unknown" (a row that is always there, so that its
    presence says nothing)."""
    casualties = public_casualties().filter(incident__occurred_on__year=year)
    counts = _grouped_with_unknown_months(casualties, ["month", "outcome"])
    months = [
        (value, MONTHS_3[int(value)] if value != "unknown" else _("Month unknown"))
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
    counts = _grouped(public_casualties(), "incident__area__code", "outcome")
    codes = sorted({row for row, _c in counts})
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    rows = sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])
    return build_table(
        "by_district", _("Casualties by district"), "area", "outcome", rows, OUTCOME_COLUMNS, counts
    )


def _one_dimension(key, title, dimension, field_name, choices) -> Table:
    counts = _grouped(public_casualties(), field_name, None)
    return build_table(
        key, title, dimension, None, list(choices), [("all", _("Casualties"))], counts
    )


def by_device_category() -> Table:
    return _one_dimension(
        "by_device_category",
        _("Casualties by device category"),
        "device_category",
        "incident__device_category",
        DeviceCategory.choices,
    )


def by_activity() -> Table:
    return _one_dimension(
        "by_activity",
        _("Casualties by activity at the time"),
        "activity",
        "incident__activity",
        Activity.choices,
    )


def by_status_and_age() -> Table:
    """Casualties by status and age group, all time."""
    counts = _grouped(public_casualties(), "status", "age_group")
    return build_table(
        "by_status_and_age",
        _("Casualties by status and age group"),
        "status",
        "age_group",
        list(Status.choices),
        list(AgeGroup.choices),
        counts,
    )


CHARTS = {
    "by_year": by_year,
    "by_district": by_district,
    "by_device_category": by_device_category,
    "by_activity": by_activity,
    "by_status_and_age": by_status_and_age,
}


# --- tables on request (the partner API) ------------------------------------------------------

DIMENSIONS = {
    "year": ExtractYear("incident__occurred_on"),
    "month": ExtractMonth("incident__occurred_on"),
    "area": "incident__area__code",
    "outcome": "outcome",
    "status": "status",
    "sex": "sex",
    "age_group": "age_group",
    "device_category": "incident__device_category",
    "activity": "incident__activity",
}
VOCABULARIES = {
    "outcome": Outcome,
    "status": Status,
    "sex": Sex,
    "age_group": AgeGroup,
    "device_category": DeviceCategory,
    "activity": Activity,
}


AREA_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def is_known_area(code: str) -> bool:
    """An ISO 3166-2 code of the gazetteer. Checked for its shape first, so that no odd
    text (a NUL byte, which PostgreSQL refuses) reaches the database."""
    return bool(AREA_CODE.fullmatch(code)) and Area.objects.filter(code=code).exists()


class TableRequestError(ValueError):
    """A table that cannot be published as asked; the message names the parameter."""


def requested_table(
    group_by: list[str],
    year: int | None = None,
    period: tuple[int, int] | None = None,
    area: str | None = None,
) -> list[dict]:
    """The published figures of a table by one or two dimensions, for all time, a year or
    a period, nationally or for one district. Any filter is allowed: each cell is published
    through disclosure.py by the people in it, so the same people give the same figure
    whichever way they are asked for, and overlapping filters cannot be subtracted to
    isolate anyone (see that module). Rows are every value of each dimension, including
    those with no casualties, so a row's presence says nothing."""
    _check_table_request(group_by, year, period, area)
    if year is not None:
        period = (year, year)
    casualties, fixed = _filtered(public_casualties(), period, area)
    counts = _grouped_with_unknown_months(casualties, group_by)
    slices = slice_years()
    rows = _values(group_by[0], period)
    columns = _values(group_by[1], period) if len(group_by) > 1 else [("all", "")]
    result = []
    for row, _label in rows:
        for column, _column_label in columns:
            record = {group_by[0]: row}
            if len(group_by) > 1:
                record[group_by[1]] = column
            cell = dict(fixed)
            for dimension, value in record.items():
                cell.update(_fixing(dimension, value))
            figure = publish(*counts.get((row, column), (0, 0)), cell, slices)
            shown = {dim: _typed(dim, record[dim]) for dim in group_by}
            result.append({**shown, "count": figure.value, "suppressed": figure.hidden})
    return result


def _check_table_request(group_by: list[str], year, period, area) -> None:
    """A TableRequestError naming the parameter, for a table that cannot be asked for."""
    if not 1 <= len(group_by) <= 2 or len(set(group_by)) != len(group_by):
        raise TableRequestError("group_by: one or two different dimensions")
    unknown = [name for name in group_by if name not in DIMENSIONS]
    if unknown:
        raise TableRequestError(
            f"group_by: unknown dimension {unknown[0]!r}; use {', '.join(DIMENSIONS)}"
        )
    if year is not None and period is not None:
        raise TableRequestError("year: give either year or period, not both")
    if "month" in group_by and year is None:
        raise TableRequestError("year: a table by month is published for one year at a time")
    if "year" in group_by and year is not None:
        raise TableRequestError("year: a table by year covers every year; use period")
    if area is not None and "area" in group_by:
        raise TableRequestError("area: a table by district covers every district")
    if area is not None and not is_known_area(area):
        raise TableRequestError(f"area: unknown area code {area[:20]!r}")


def _filtered(
    casualties: QuerySet, period: tuple[int, int] | None, area: str | None
) -> tuple[QuerySet, dict]:
    """The casualties of a period and a district, and the cell values that this fixes."""
    fixed = {"years": "all"}
    if period is not None:
        casualties = casualties.filter(
            incident__occurred_on__year__gte=period[0],
            incident__occurred_on__year__lte=period[1],
        )
        fixed["years"] = f"{period[0]}-{period[1]}"
    if area is not None:
        casualties = casualties.filter(incident__area__code=area)
        fixed["area"] = area
    return casualties, fixed


def _grouped_with_unknown_months(casualties: QuerySet, dims: list[str]) -> dict:
    """Counts by the dimensions; with months, dates known only to the year count as the
    month "unknown", as on the page."""
    second = DIMENSIONS[dims[1]] if len(dims) > 1 else None
    if "month" not in dims:
        return _grouped(casualties, DIMENSIONS[dims[0]], second)
    month = Case(
        When(incident__date_precision="year", then=Value("unknown")),
        default=Cast(ExtractMonth("incident__occurred_on"), CharField()),
        output_field=CharField(),
    )
    expressions = [month if dim == "month" else DIMENSIONS[dim] for dim in dims]
    return _grouped(casualties, expressions[0], expressions[1] if len(dims) > 1 else None)


def _values(dimension: str, period: tuple[int, int] | None) -> list[tuple[str, str]]:
    """Every value a dimension takes in published tables, whatever the filters."""
    if dimension in VOCABULARIES:
        return [(value, str(label)) for value, label in VOCABULARIES[dimension].choices]
    if dimension == "month":
        return [(value, value) for value in MONTH_VALUES]
    if dimension == "year":
        years = sorted(cached("years", available_years))
        if period is not None:
            years = [year for year in years if period[0] <= year <= period[1]]
        return [(str(year), str(year)) for year in years]
    return [(code, code) for code in public_area_codes()]


def public_area_codes() -> list[str]:
    """Districts with a public incident, sorted (the rows of every table by district,
    whatever its filters). Computed once per register version."""

    def compute() -> list[str]:
        districts = Incident.objects.public().order_by().values("area_id").distinct()
        return list(
            Area.objects.filter(pk__in=districts).order_by("code").values_list("code", flat=True)
        )

    return cached("public_area_codes", compute)


def _typed(dimension: str, value: str):
    if dimension in ("year", "month") and value.isdigit():
        return int(value)
    return value


def dataset_meta() -> dict:
    """What every statistics response says about the data it comes from."""
    moment = as_of()
    count = public_casualties().count()  # the exact national total, published anyway
    version = f"{moment:%Y%m%d%H%M%S}-{count}" if moment else f"empty-{count}"
    return {
        "as_of": moment.isoformat() if moment else None,
        "dataset_version": version,
        "licence": settings.DATA_LICENCE,
        "methodology": settings.METHODOLOGY_URL,
        "verification": list(settings.CASUALTY_PUBLIC_VERIFICATION),
        "min_cell": min_cell(),
    }
