"""The public figures of the casualty register: the page's and the API's tables on request.

Counts come from counting.py (public casualties only, each count with the sum of its
records' keys) and every one is published through disclosure.py, which holds the rule and
the cells and tables that apply it.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractYear
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
from victims.counting import (
    DIMENSIONS,
    MONTH_VALUES,
    counts_and_keys,
    grouped,
    grouped_with_unknown_months,
    public_casualties,
    slice_years,
)
from victims.disclosure import (
    Table,
    build_table,
    fixing,
    publish,
)
from victims.models import Area, Incident


def min_cell() -> int:
    return disclosure.min_cell()


def year_from_text(text: str) -> int | None:
    """A year asked for by the page or the API: four ASCII digits, 1990 to 2100; else None."""
    if text.isascii() and text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100:
        return int(text)
    return None


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
    raw = counts_and_keys(casualties, conditions)
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
    raw = counts_and_keys(incidents, conditions)
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


def by_year() -> Table:
    """Casualties by year and outcome, all years (national: published as they are)."""
    counts = grouped(public_casualties(), ExtractYear("incident__occurred_on"), "outcome")
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
    casualties = public_casualties().filter(incident__occurred_on__year=year)
    counts = grouped_with_unknown_months(casualties, ["month", "outcome"])
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
    counts = grouped(public_casualties(), "incident__area__code", "outcome")
    codes = sorted({row for row, _c in counts})
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    rows = sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])
    return build_table(
        "by_district", _("Casualties by district"), "area", "outcome", rows, OUTCOME_COLUMNS, counts
    )


def _one_dimension(key, title, dimension, field_name, choices) -> Table:
    counts = grouped(public_casualties(), field_name, None)
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
    counts = grouped(public_casualties(), "status", "age_group")
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
