"""Tables on request, for the API's casualty statistics: by one or two of counting.DIMENSIONS,
for all time, a year or a period, nationally or for one district; and what every statistics
response says about its data (dataset_meta).

Each cell is published through disclosure.py by the people in it, exactly as on the page
(figures.py), so the same question gets the same figure wherever it is asked. The view
caches each table through caching.py.
"""

import re

from django.conf import settings
from django.db.models import QuerySet

from victims import disclosure, tally
from victims.caching import cached
from victims.choices import Activity, AgeGroup, DeviceCategory, Outcome, Sex, Status
from victims.counting import (
    DIMENSIONS,
    INCIDENT_AREAS,
    MONTH_VALUES,
    PAGE_GROUPINGS,
    grouped_public,
    grouped_with_unknown_months,
    public_casualties,
    public_total,
    slice_years,
)
from victims.disclosure import Cell, fixing, publish
from victims.figures import as_of, available_years
from victims.methodology import METHODOLOGY_VERSION
from victims.models import Area, Casualty, Incident

VOCABULARIES = {
    "outcome": Outcome,
    "status": Status,
    "sex": Sex,
    "age_group": AgeGroup,
    "device_category": DeviceCategory,
    "activity": Activity,
}
AREA_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")

# One row of a requested table: its dimensions' values, then "count" and "suppressed".
Row = dict[str, str | int | bool | None]


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
) -> list[Row]:
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
    if period is None and area is None and ",".join(group_by) in PAGE_GROUPINGS:
        # The whole register by a grouping the casualty page counts too: already counted.
        counts = grouped_public(",".join(group_by))
    else:
        counts = grouped_with_unknown_months(casualties, group_by)
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
                cell.update(fixing(dimension, value))
            figure = publish(*counts.get((row, column), (0, 0)), cell, slices)
            shown = {dim: _typed(dim, record[dim]) for dim in group_by}
            result.append({**shown, "count": figure.value, "suppressed": figure.hidden})
    return result


def _check_table_request(
    group_by: list[str],
    year: int | None,
    period: tuple[int, int] | None,
    area: str | None,
) -> None:
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
    casualties: QuerySet[Casualty], period: tuple[int, int] | None, area: str | None
) -> tuple[QuerySet[Casualty], Cell]:
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
        if tally.in_use():
            return sorted(str(key[0]) for key in grouped_public(INCIDENT_AREAS))
        districts = Incident.objects.public().order_by().values("area_id").distinct()
        return list(
            Area.objects.filter(pk__in=districts).order_by("code").values_list("code", flat=True)
        )

    return cached("public_area_codes", compute)


def _typed(dimension: str, value: str) -> str | int:
    if dimension in ("year", "month") and value.isdigit():
        return int(value)
    return value


def dataset_meta() -> dict[str, str | int | list[str] | None]:
    """What every casualty API response (statistics and incidents) says about the data it
    comes from."""
    moment = as_of()
    count = public_total()[0]  # the exact national total, published anyway
    version = f"{moment:%Y%m%d%H%M%S}-{count}" if moment else f"empty-{count}"
    return {
        "as_of": moment.isoformat() if moment else None,
        "dataset_version": version,
        "licence": settings.DATA_LICENCE,
        "methodology": settings.METHODOLOGY_URL,
        "methodology_version": METHODOLOGY_VERSION,
        "verification": list(settings.CASUALTY_PUBLIC_VERIFICATION),
        "min_cell": disclosure.min_cell(),
    }
