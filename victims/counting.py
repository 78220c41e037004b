"""The queries behind every public figure: which casualties count, and their counts.

* Only incidents whose verification counts (CASUALTY_PUBLIC_VERIFICATION, by default
  reported and verified) enter public figures: `public_casualties()`.
* Each count is computed together with the sum of its records' keys, in the same query (one
  GROUP BY, or one aggregate over named conditions), so that disclosure.publish() gives the
  same people the same figure through any table, filter or period.
* No free text and no single casualty's row ever leaves this module, only counts; and the
  counts reach a page or the API only through disclosure.py.
"""

from typing import cast

from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear

from victims import tally
from victims.caching import cached
from victims.choices import CHILD_AGE_GROUPS, AgeGroup, Outcome, Sex, Status, YesNoUnknown
from victims.disclosure import Counts, Slices
from victims.models import Area, Casualty, Incident

# What a table can be grouped by: a field of the casualty, or an expression over it.
Grouping = str | Expression

# The dimensions a table can be grouped by: any one or two in the API (group_by); the page's
# tables use some of them.
DIMENSIONS: dict[str, Grouping] = {
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

# The rows of every table by month, on the page and in the API: the twelve months, then the
# incidents dated only to the year (see grouped_with_unknown_months).
MONTH_VALUES = [*(str(month) for month in range(1, 13)), "unknown"]


def public_casualties() -> QuerySet[Casualty]:
    """Casualties of incidents whose verification counts for public figures."""
    return Casualty.objects.filter(incident__in=Incident.objects.public())


def slice_years() -> Slices:
    """For every national slice by outcome and status (each may be None: any), the years
    with at least one public casualty in it: what disclosure.canonical_cell names periods
    by. Once per register version."""

    def compute() -> Slices:
        years: dict[tuple[str | None, str | None], set[int]] = {}
        for found in grouped_public("year,outcome,status"):
            year, o, s = cast(tuple[str, str, str], found)
            for key in ((None, None), (o, None), (None, s), (o, s)):
                years.setdefault(key, set()).add(int(year))
        return {key: sorted(found) for key, found in years.items()}

    return cached("slice_years", compute)


# The month of an incident, or "unknown" when its date is known only to the year.
MONTH_OR_UNKNOWN = Case(
    When(incident__date_precision="year", then=Value("unknown")),
    default=Cast(ExtractMonth("incident__occurred_on"), CharField()),
    output_field=CharField(),
)

# The casualty page's counts over the whole public register (figures.py), by their
# dimensions: its tables, its headline figures (the total "", and sums over the groups), and
# the months of every year. On PostgreSQL they are read from the register's tally, kept by
# the database in the transaction of every change (victims/tally.py); elsewhere counted, one
# query each.
PAGE_GROUPINGS = [
    "year,outcome",
    "area,outcome",
    "device_category",
    "activity",
    "status,age_group",
    "year,outcome,status",  # slice_years
    "year,month,outcome",  # by_month, for any year
    "sex",  # headline
    "",  # the total
]
# The sets the tally counts casualties by (victims/migrations/0007_tally.py): each of
# PAGE_GROUPINGS is summed from the first of them that holds its dimensions. In the tally,
# "month" is already "unknown" for dates known only to the year, and "area" is the area's id.
_TALLIED_SETS = [
    "year,month,outcome,status",
    "area,outcome",
    "device_category",
    "activity",
    "status,age_group",
    "sex",
]
# The tally's counts of public incidents: by year and by where they were (the key: year,
# outside the contact line, inside a mapped area), and by district (its code).
INCIDENTS = "incidents"
INCIDENT_AREAS = "incident_areas"


def grouped_public(dimensions: str) -> Counts:
    """(count, sum of record keys) of the whole public register by one of PAGE_GROUPINGS
    ("area,outcome"): the same counts as `grouped(public_casualties(), ...)`. "" is the
    total, under the key ()."""
    if tally.in_use():
        return cached("page-groupings", _tallied_groupings)[dimensions]
    if not dimensions:
        total = public_casualties().aggregate(n=Count("id"), keys=Sum("record_key"))
        return cast(Counts, {(): (total["n"], total["keys"] or 0)})
    names = dimensions.split(",")
    expressions = {**DIMENSIONS, "month": MONTH_OR_UNKNOWN}
    if len(names) <= 2:
        column = expressions[names[1]] if len(names) > 1 else None
        return grouped(public_casualties(), expressions[names[0]], column)
    fields = {f"d{index}": _expression(expressions[name]) for index, name in enumerate(names)}
    rows = public_casualties().values(**fields).annotate(n=Count("id"), keys=Sum("record_key"))
    found = {
        tuple(str(row[f"d{index}"]) for index in range(len(names))): (row["n"], row["keys"] or 0)
        for row in rows.order_by()
    }
    return cast(Counts, found)  # keys of three dimensions: slice_years reads them


def _expression(grouping: Grouping) -> "F | Expression":
    return F(grouping) if isinstance(grouping, str) else grouping


def _tallied_groupings() -> dict[str, Counts]:
    """Every one of PAGE_GROUPINGS, and the incidents' counts, from the tally (PostgreSQL):
    one query of a few thousand rows, and one of the areas' codes."""
    tallied = tally.read()
    codes = {str(id_): code for id_, code in Area.objects.values_list("id", "code")}
    # Keyed by the district's id in the tally. A district deleted between the two reads had
    # lost its last incident first, raising the register's version: what is read here is
    # then cached under a version no request asks for again.
    for counted in ("area,outcome", INCIDENT_AREAS):
        by_id = tallied.get(counted, {})
        tallied[counted] = {
            (codes[area], *rest): n for (area, *rest), n in by_id.items() if area in codes
        }
    found: dict[str, dict] = {}
    for grouping in PAGE_GROUPINGS:
        wanted = grouping.split(",") if grouping else []
        source = next(each for each in _TALLIED_SETS if set(wanted) <= set(each.split(",")))
        positions = [source.split(",").index(name) for name in wanted]
        sums: dict[tuple[str, ...], tuple[int, int]] = {}
        for values, (count, keys) in tallied.get(source, {}).items():
            key = tuple(values[position] for position in positions)
            key = key if len(key) != 1 else (key[0], "all")
            before = sums.get(key, (0, 0))
            sums[key] = (before[0] + count, before[1] + keys)
        found[grouping] = sums or ({(): (0, 0)} if not wanted else {})  # a total even of none
    found[INCIDENTS] = tallied.get(INCIDENTS, {})
    found[INCIDENT_AREAS] = tallied.get(INCIDENT_AREAS, {})
    return found


def public_total() -> tuple[int, int]:
    """(count, sum of record keys) of the whole public register."""
    return cast(dict[tuple[()], tuple[int, int]], grouped_public(""))[()]


# The headline's counts (figures.headline), each named by a field of the casualty and the
# values it counts: (field, values, True) counts those values, (field, values, False) all
# others; (None, ...) everyone. Defined once: as filters over a period (`headline_filters`),
# and as sums over the whole register's groupings (`public_condition_counts`).
HEADLINE_CONDITIONS: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    "total": (None, (), True),
    "killed": ("outcome", (Outcome.KILLED,), True),
    "injured": ("outcome", (Outcome.INJURED,), True),
    "civilians": ("status", (Status.CIVILIAN,), True),
    "military": ("status", (Status.MILITARY,), True),
    "deminers": ("status", (Status.DEMINER,), True),
    "children": ("age_group", tuple(CHILD_AGE_GROUPS), True),
    "women_and_girls": ("sex", (Sex.FEMALE,), True),
    "sex_known": ("sex", (Sex.UNKNOWN,), False),
    "age_known": ("age_group", (AgeGroup.UNKNOWN,), False),
    "status_known": ("status", (Status.UNKNOWN,), False),
    "outcome_known": ("outcome", (Outcome.UNKNOWN,), False),
}
# Where each field's counts are among the page's groupings: (grouping, position in its key).
_HEADLINE_SOURCES = {
    "outcome": ("year,outcome", 1),
    "status": ("status,age_group", 0),
    "age_group": ("status,age_group", 1),
    "sex": ("sex", 0),
}


def condition_filters(
    conditions: dict[str, tuple[str | None, tuple[str, ...], bool]],
) -> dict[str, Q]:
    """Conditions (HEADLINE_CONDITIONS, INCIDENT_CONDITIONS) as filters, for
    `counts_and_keys`."""
    filters = {}
    for name, (field, values, among) in conditions.items():
        if field is None:
            filters[name] = Q()
        else:
            condition = Q(**{f"{field}__in": list(values)})
            filters[name] = condition if among else ~condition
    return filters


def headline_filters() -> dict[str, Q]:
    """HEADLINE_CONDITIONS as filters, for `counts_and_keys`."""
    return condition_filters(HEADLINE_CONDITIONS)


# What figures.incident_shares counts of public incidents, named as HEADLINE_CONDITIONS are.
INCIDENT_CONDITIONS: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    "incidents": (None, (), True),
    "contact_known": ("outside_contact_line", (YesNoUnknown.UNKNOWN,), False),
    "outside_contact": ("outside_contact_line", (YesNoUnknown.YES,), True),
    "mapped_known": ("inside_mapped_area", (YesNoUnknown.UNKNOWN,), False),
    "outside_mapped": ("inside_mapped_area", (YesNoUnknown.NO,), True),
}
# Where each field is in the key of the tally's incidents: (year, contact line, mapped area).
_INCIDENT_POSITIONS = {"outside_contact_line": 1, "inside_mapped_area": 2}


def public_incident_counts(start_year: int | None, end_year: int | None) -> dict[str, int]:
    """Public incidents in the years from start_year to end_year (None: no bound): the count
    and key sum of each of INCIDENT_CONDITIONS ("<name>", "<name>_keys"), the same as
    `counts_and_keys` over them; from the tally on PostgreSQL."""
    if not tally.in_use():
        incidents = Incident.objects.public()
        if start_year is not None:
            incidents = incidents.filter(occurred_on__year__gte=start_year)
        if end_year is not None:
            incidents = incidents.filter(occurred_on__year__lte=end_year)
        return counts_and_keys(incidents, condition_filters(INCIDENT_CONDITIONS))
    rows = [
        (key, counts)
        for key, counts in grouped_public(INCIDENTS).items()
        if (start_year is None or int(key[0]) >= start_year)
        and (end_year is None or int(key[0]) <= end_year)
    ]
    found: dict[str, int] = {}
    for name, (field, values, among) in INCIDENT_CONDITIONS.items():
        wanted = {str(value) for value in values}
        chosen = [
            counts
            for key, counts in rows
            if field is None or (key[_INCIDENT_POSITIONS[field]] in wanted) == among
        ]
        found[name] = sum(count for count, _keys in chosen)
        found[f"{name}_keys"] = sum(keys for _count, keys in chosen)
    return found


def public_condition_counts() -> dict[str, int]:
    """The whole public register's counts and key sums for HEADLINE_CONDITIONS, summed from
    PAGE_GROUPINGS: the same numbers as `counts_and_keys(public_casualties(),
    headline_filters())`, without a scan of their own."""
    found: dict[str, int] = {}
    # Each grouping fetched once (on SQLite, each is a query of its own).
    groupings = {grouping: grouped_public(grouping) for grouping, _ in _HEADLINE_SOURCES.values()}
    for name, (field, values, among) in HEADLINE_CONDITIONS.items():
        if field is None:
            count, keys = public_total()
        else:
            grouping, position = _HEADLINE_SOURCES[field]
            wanted = {str(value) for value in values}
            count = keys = 0
            for key, (n, key_sum) in groupings[grouping].items():
                if (key[position] in wanted) == among:
                    count += n
                    keys += key_sum
        found[name] = count
        found[f"{name}_keys"] = keys
    return found


def counts_and_keys(
    records: QuerySet[Casualty] | QuerySet[Incident], conditions: dict[str, Q]
) -> dict[str, int]:
    """For each named condition, the count of records and the sum of their keys ("<name>"
    and "<name>_keys"), in one query."""
    aggregates: dict[str, Func] = {}
    for name, condition in conditions.items():
        aggregates[name] = Count("id", filter=condition)
        aggregates[f"{name}_keys"] = Coalesce(Sum("record_key", filter=condition), 0)
    return records.aggregate(**aggregates)


def grouped(casualties: QuerySet[Casualty], row: Grouping, column: Grouping | None) -> Counts:
    """(count, sum of record keys) by (row, column), in one GROUP BY query. Without a column,
    every count is in the column "all"."""
    fields = {"row": F(row) if isinstance(row, str) else row}
    if column:
        fields["column"] = F(column) if isinstance(column, str) else column
    rows = casualties.values(**fields).annotate(n=Count("id"), keys=Sum("record_key")).order_by()
    return {
        (str(item["row"]), str(item["column"]) if column else "all"): (
            item["n"],
            item["keys"] or 0,
        )
        for item in rows
    }


def grouped_with_unknown_months(casualties: QuerySet[Casualty], dimensions: list[str]) -> Counts:
    """Counts by one or two of DIMENSIONS; with months, dates known only to the year count as
    the month "unknown" (the page's tables by month and the API's alike)."""
    second = DIMENSIONS[dimensions[1]] if len(dimensions) > 1 else None
    if "month" not in dimensions:
        return grouped(casualties, DIMENSIONS[dimensions[0]], second)
    expressions = [MONTH_OR_UNKNOWN if name == "month" else DIMENSIONS[name] for name in dimensions]
    return grouped(casualties, expressions[0], expressions[1] if len(dimensions) > 1 else None)
