"""Every public figure of the casualty register, and the disclosure rule. Nowhere else.

Pages, CSV downloads and (later) the API take their figures from here, so one rule protects
them all:

* Only incidents whose verification counts (CASUALTY_PUBLIC_VERIFICATION, by default
  reported and verified) enter public figures; no free text and no single casualty's row
  ever leaves this module — only counts.
* National totals by year, outcome and status are published as they are: that is what the
  register is for. So are national one-dimensional counts by sex, age group, device category
  and activity (headline figures and simple charts).
* A table is *protected* when it has two dimensions other than year, outcome and status, or
  is by district or by month. In a protected table a cell (or margin) of 1 to K-1
  casualties (K = CASUALTY_MIN_CELL) is shown as "<K" (primary suppression), and then, in
  every row and column equation (cells + total), a single hidden value is never left alone:
  another entry is hidden too (secondary suppression: preferably one whose other line
  already has a hidden value, then the smallest), repeatedly, so no hidden value can be
  recovered by subtraction from the totals. Margins that are published anyway (outcome
  totals of a year, national status totals) are never hidden.
* Differencing: protected tables are published only as fixed tables — all time, or a
  month table for one calendar year, which never overlap — never for arbitrary filters, so
  two published tables cannot be subtracted to isolate a person.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

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
from victims.models import Area, Casualty, Incident

SAFE_DIMENSIONS = {"year", "outcome", "status"}
ALWAYS_PROTECTED = {"area", "month"}
CACHE_VERSION_KEY = "victims:register-version"
CACHE_SECONDS = 24 * 3600


def min_cell() -> int:
    return settings.CASUALTY_MIN_CELL


def public_casualties() -> QuerySet:
    """Casualties of incidents whose verification counts for public figures."""
    return Casualty.objects.filter(incident__in=Incident.objects.public())


# --- tables and suppression --------------------------------------------------------------


@dataclass
class Cell:
    count: int
    suppressed: bool = False
    primary: bool = False

    @property
    def value(self) -> int | None:
        """The count, or None when it is hidden (as the API returns it)."""
        return None if self.suppressed else self.count

    def display(self) -> str:
        if not self.suppressed:
            return str(self.count)
        return f"<{min_cell()}" if self.primary else "…"


@dataclass
class Table:
    key: str
    title: str
    row_dimension: str
    column_dimension: str | None
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    row_totals: dict[str, Cell] = field(default_factory=dict)
    column_totals: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=lambda: Cell(0))
    protected: bool = False
    public_row_totals: bool = False
    public_column_totals: bool = False

    @property
    def any_suppressed(self) -> bool:
        return any(cell.suppressed for cell in self.all_cells())

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


def is_protected(dimensions: list[str]) -> bool:
    """By district or month, or two dimensions not both among year, outcome and status."""
    dims = set(dimensions)
    return bool(dims & ALWAYS_PROTECTED) or (len(dims) >= 2 and not dims <= SAFE_DIMENSIONS)


def build_table(
    key, title, row_dimension, column_dimension, rows, columns, counts, slice_dimensions=()
) -> Table:
    """A table of counts with its margins, suppressed if its dimensions call for it.

    `slice_dimensions` names what the table is limited to (a month table: one year). A margin
    is public when the one-dimensional table it amounts to is not protected (outcome totals of
    a year, status totals nationally): it is then never hidden, since it is published anyway.
    """
    table = Table(key, title, row_dimension, column_dimension, rows, columns)
    for row, _label in rows:
        for column, _clabel in columns:
            table.cells[(row, column)] = Cell(counts.get((row, column), 0))
    for row, _label in rows:
        table.row_totals[row] = Cell(sum(table.cells[(row, c)].count for c, _l in columns))
    for column, _label in columns:
        table.column_totals[column] = Cell(sum(table.cells[(r, column)].count for r, _l in rows))
    table.total = Cell(sum(cell.count for cell in table.row_totals.values()))
    dimensions = [row_dimension] + ([column_dimension] if column_dimension else [])
    table.protected = is_protected(dimensions + list(slice_dimensions))
    table.public_row_totals = not is_protected([row_dimension, *slice_dimensions])
    table.public_column_totals = column_dimension is None or not is_protected(
        [column_dimension, *slice_dimensions]
    )
    if table.protected:
        suppress(table)
    return table


def suppress(table: Table) -> None:
    """Primary suppression of small counts, then secondary suppression (see module doc).

    The grand total of a national table is never hidden: it is a published national total.
    """
    k = min_cell()
    public = {id(table.total)}
    if table.public_row_totals:
        public |= {id(cell) for cell in table.row_totals.values()}
    if table.public_column_totals:
        public |= {id(cell) for cell in table.column_totals.values()}
    for cell in table.all_cells():
        if 0 < cell.count < k and id(cell) not in public:
            cell.suppressed = cell.primary = True
    # Each equation lists its entries; margins are published by other tables too (every
    # table by district has the same district totals), so a margin is hidden only when no
    # inner cell can be: then all tables sharing it hide the same ones.
    margins = {id(cell) for cell in [*table.row_totals.values(), *table.column_totals.values()]}
    equations = []
    for row, _label in table.rows:
        equations.append(
            [table.cells[(row, c)] for c, _l in table.columns] + [table.row_totals[row]]
        )
    for column, _label in table.columns:
        equations.append(
            [table.cells[(r, column)] for r, _l in table.rows] + [table.column_totals[column]]
        )
    equations.append([*table.row_totals.values(), table.total])
    equations.append([*table.column_totals.values(), table.total])
    lines_of = {}
    for entries in equations:
        for cell in entries:
            lines_of.setdefault(id(cell), []).append(entries)

    def cost(cell, line) -> tuple:
        """Prefer a cell whose other lines already hold a hidden value (hiding it then asks
        for nothing more), then the smallest count: little lost, no cascade."""
        new_singles = sum(
            1
            for other in lines_of[id(cell)]
            if other is not line and not any(entry.suppressed for entry in other)
        )
        return (new_singles, cell.count)

    changed = True
    while changed:
        changed = False
        for entries in equations:
            hidden = [cell for cell in entries if cell.suppressed]
            if len(hidden) != 1:
                continue
            candidates = [c for c in entries if not c.suppressed and id(c) not in public]
            inner = [c for c in candidates if id(c) not in margins]
            candidates = inner or candidates
            if not candidates:
                continue
            min(candidates, key=lambda cell, line=entries: cost(cell, line)).suppressed = True
            changed = True


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


def headline(period: Period) -> dict:
    """National totals for a period (published as they are), with data quality."""
    casualties = period.filter(public_casualties())
    figures = casualties.aggregate(
        total=Count("id"),
        killed=Count("id", filter=Q(outcome=Outcome.KILLED)),
        injured=Count("id", filter=Q(outcome=Outcome.INJURED)),
        civilians=Count("id", filter=Q(status=Status.CIVILIAN)),
        military=Count("id", filter=Q(status=Status.MILITARY)),
        deminers=Count("id", filter=Q(status=Status.DEMINER)),
        children=Count("id", filter=Q(age_group__in=CHILD_AGE_GROUPS)),
        women_and_girls=Count("id", filter=Q(sex=Sex.FEMALE)),
        sex_known=Count("id", filter=~Q(sex=Sex.UNKNOWN)),
        age_known=Count("id", filter=~Q(age_group=AgeGroup.UNKNOWN)),
        status_known=Count("id", filter=~Q(status=Status.UNKNOWN)),
        outcome_known=Count("id", filter=~Q(outcome=Outcome.UNKNOWN)),
    )
    total = figures["total"]

    def share(count: int) -> int | None:
        return round(100 * count / total) if total else None

    figures["quality"] = {
        "sex": share(figures.pop("sex_known")),
        "age_group": share(figures.pop("age_known")),
        "status": share(figures.pop("status_known")),
        "outcome": share(figures.pop("outcome_known")),
    }
    return figures


def incident_shares(period: Period) -> dict:
    """Shares of incidents outside the former contact line and outside mapped areas, each
    of the incidents where it is known."""
    incidents = Incident.objects.public()
    if not period.is_all_time:
        incidents = incidents.filter(
            occurred_on__year__gte=period.start_year, occurred_on__year__lte=period.end_year
        )
    known = ~Q(outside_contact_line=YesNoUnknown.UNKNOWN)
    mapped_known = ~Q(inside_mapped_area=YesNoUnknown.UNKNOWN)
    counts = incidents.aggregate(
        incidents=Count("id"),
        contact_known=Count("id", filter=known),
        outside_contact=Count("id", filter=Q(outside_contact_line=YesNoUnknown.YES)),
        mapped_known=Count("id", filter=mapped_known),
        outside_mapped=Count("id", filter=Q(inside_mapped_area=YesNoUnknown.NO)),
    )

    def share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    return {
        "incidents": counts["incidents"],
        "outside_contact_line": share(counts["outside_contact"], counts["contact_known"]),
        "contact_line_known": counts["contact_known"],
        "outside_mapped_areas": share(counts["outside_mapped"], counts["mapped_known"]),
        "mapped_area_known": counts["mapped_known"],
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
    """Counts by (row, column) in one GROUP BY query."""
    fields = {"row": F(row_expr) if isinstance(row_expr, str) else row_expr}
    if column_field:
        fields["column"] = F(column_field)
    rows = casualties.values(**fields).annotate(n=Count("id")).order_by()
    return {
        (str(item["row"]), str(item["column"]) if column_field else "all"): item["n"]
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


def by_month(year: int) -> Table:
    """Casualties by month of one year and outcome (protected: by month). Incidents whose
    date is known only to the year are counted as "month unknown"."""
    casualties = public_casualties().filter(incident__occurred_on__year=year)
    counts = _grouped(
        casualties.exclude(incident__date_precision="year"),
        ExtractMonth("incident__occurred_on"),
        "outcome",
    )
    for (_row, column), count in _grouped(
        casualties.filter(incident__date_precision="year"), Value("unknown"), "outcome"
    ).items():
        counts[("unknown", column)] = count
    months = [(str(month), MONTHS_3[month]) for month in range(1, 13)]
    if any(row == "unknown" for row, _column in counts):
        months.append(("unknown", _("Month unknown")))
    return build_table(
        "by_month",
        _("Casualties by month, %(year)s") % {"year": year},
        "month",
        "outcome",
        months,
        OUTCOME_COLUMNS,
        counts,
        slice_dimensions=["year"],
    )


def by_district() -> Table:
    """Casualties by district and outcome, all time (protected: by district)."""
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
    """Casualties by status and age group, all time (protected: two dimensions)."""
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


# --- caching --------------------------------------------------------------------------------


def register_version() -> int:
    """Raised whenever register data changes (signals.py): cached figures then expire."""
    return cache.get_or_set(CACHE_VERSION_KEY, 1, None)


def bump_register_version() -> None:
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, None)


def cached(name: str, compute):
    """A figure computed once per register version."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"victims:stats:{register_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def today() -> datetime.date:
    return timezone.localdate()


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


class TableRequestError(ValueError):
    """A table that cannot be published as asked; the message names the parameter."""


def requested_table(
    group_by: list[str],
    year: int | None = None,
    period: tuple[int, int] | None = None,
    area: str | None = None,
) -> list[dict]:
    """The counts of a table by one or two dimensions, under the same disclosure rule as
    the page. A protected table (see the module doc) is computed whole, as a fixed table
    over its dimensions and the filtered ones, suppressed, and only then sliced to the
    filters: asking for slices never reveals what the whole table hides. Periods (year
    ranges) are only for unprotected tables, since overlapping periods could be subtracted.
    """
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
    if area is not None and not Area.objects.filter(code=area).exists():
        raise TableRequestError(f"area: unknown area code {area!r}")
    casualties = public_casualties()
    if "month" in group_by:
        # A month table is a fixed table of one year, the same as the page's.
        casualties = casualties.filter(incident__occurred_on__year=year)
    slices = {}
    if year is not None and "month" not in group_by:
        slices["year"] = str(year)
    if area is not None:
        slices["area"] = area
    dims = list(group_by) + [dim for dim in slices if dim not in group_by]
    protected = is_protected(dims)
    if not protected:
        # National tables by year, outcome and status, or one other dimension nationally:
        # filters apply directly and nothing is hidden.
        if period is not None:
            casualties = casualties.filter(
                incident__occurred_on__year__gte=period[0],
                incident__occurred_on__year__lte=period[1],
            )
        if "year" in slices:
            casualties = casualties.filter(incident__occurred_on__year=year)
        dims, slices = list(group_by), {}
    elif period is not None:
        raise TableRequestError(
            "period: this table is protected (by district, by month or crossing two "
            "categories) and is published for all time or one year only"
        )
    elif len(dims) > 2:
        raise TableRequestError(
            "group_by: too detailed with these filters (two dimensions at most)"
        )
    counts = _grouped_with_unknown_months(casualties, dims)
    rows = _values(dims[0], {row for row, _c in counts})
    columns = _values(dims[1], {c for _r, c in counts}) if len(dims) > 1 else [("all", "")]
    table = build_table(
        "api",
        "",
        dims[0],
        dims[1] if len(dims) > 1 else None,
        rows,
        columns,
        counts,
        slice_dimensions=["year"] if "month" in dims else [],
    )
    result = []
    for row, _label in rows:
        for column, _column_label in columns:
            record = {dims[0]: row}
            if len(dims) > 1:
                record[dims[1]] = column
            if any(record.get(dim) != value for dim, value in slices.items()):
                continue
            cell = table.cells[(row, column)]
            shown = {dim: _typed(dim, record[dim]) for dim in group_by}
            hidden = protected and cell.suppressed
            result.append({**shown, "count": None if hidden else cell.count, "suppressed": hidden})
    return result


def _grouped_with_unknown_months(casualties: QuerySet, dims: list[str]) -> dict:
    """Counts by the dimensions; with months, dates known only to the year count as the
    month "unknown", as on the page."""
    second = DIMENSIONS[dims[1]] if len(dims) > 1 else None
    if "month" not in dims:
        return _grouped(casualties, DIMENSIONS[dims[0]], second)
    known = casualties.exclude(incident__date_precision="year")
    vague = casualties.filter(incident__date_precision="year")
    counts = _grouped(known, DIMENSIONS[dims[0]], second)
    month_first = dims[0] == "month"
    other = DIMENSIONS[dims[1] if month_first else dims[0]] if len(dims) > 1 else None
    for (value, _all), count in _grouped(vague, other or Value("all"), None).items():
        key = ("unknown", value if other else "all") if month_first else (value, "unknown")
        counts[key] = counts.get(key, 0) + count
    return counts


def _values(dimension: str, present: set[str]) -> list[tuple[str, str]]:
    if dimension in VOCABULARIES:
        return [(value, str(label)) for value, label in VOCABULARIES[dimension].choices]
    if dimension == "month":
        months = [(str(month), str(month)) for month in range(1, 13)]
        return months + ([("unknown", "unknown")] if "unknown" in present else [])
    return [(value, value) for value in sorted(present)]


def _typed(dimension: str, value: str):
    if dimension in ("year", "month") and value.isdigit():
        return int(value)
    return value


def dataset_meta() -> dict:
    """What every statistics response says about the data it comes from."""
    moment = as_of()
    count = Casualty.objects.count()
    version = f"{moment:%Y%m%d%H%M%S}-{count}" if moment else f"empty-{count}"
    return {
        "as_of": moment.isoformat() if moment else None,
        "dataset_version": version,
        "licence": settings.DATA_LICENCE,
        "methodology": settings.METHODOLOGY_URL,
        "verification": list(settings.CASUALTY_PUBLIC_VERIFICATION),
        "min_cell": min_cell(),
    }
