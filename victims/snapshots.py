"""Register snapshots: the public figures of a period, frozen as the register stood.

A snapshot (models.Snapshot) holds every table the statistics page and the stats API
publish, for a period from one date to another: the headline figures, the shares of
incidents (for the period and for its last year), every table by one or two of the
dimensions and the months of each year, each figure after disclosure control. Statements
cite a snapshot, so that what they say keeps saying what it said on the day, and anyone can
check where a number came from: the snapshot's canonical JSON (`canonical_json`) is its
download, and its SHA-256 is printed on its page.

Which figures are exact and how protected figures are drawn across snapshots is the rule in
disclosure.py ("Across snapshots"); `Draws` applies it. `take()` is the one way to make a
snapshot.
"""

import datetime
import hashlib
import itertools
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from victims import disclosure
from victims.api.tables import VOCABULARIES, public_area_codes
from victims.caching import bump_register_version
from victims.choices import (
    CHILD_AGE_GROUPS,
    AgeGroup,
    Outcome,
    Sex,
    SourceType,
    Status,
    YesNoUnknown,
)
from victims.counting import (
    MONTH_VALUES,
    counts_and_keys,
    grouped_with_unknown_months,
    slice_years,
)
from victims.counting import public_casualties as all_public_casualties
from victims.disclosure import Figure
from victims.methodology import METHODOLOGY_VERSION
from victims.models import Casualty, Incident, Snapshot

FORMAT = 1

# The dimensions of a snapshot's tables: every one, and every pair, over the period; the
# months (with the outcome) for each year of the period.
DIMENSIONS = [
    "year",
    "area",
    "outcome",
    "status",
    "sex",
    "age_group",
    "device_category",
    "activity",
]
TOTAL = "total"

# What a statement can cite by name, as a placeholder [[name]]: the name and what it counts.
PLACEHOLDERS: dict[str, Promise] = {
    "casualties": gettext_lazy("people killed or injured"),
    "killed": gettext_lazy("people killed"),
    "injured": gettext_lazy("people injured"),
    "civilians": gettext_lazy("civilians killed or injured"),
    "military": gettext_lazy("military and security personnel killed or injured"),
    "deminers": gettext_lazy("deminers killed or injured"),
    "killed.civilian": gettext_lazy("civilians killed"),
    "killed.military": gettext_lazy("military and security personnel killed"),
    "killed.deminer": gettext_lazy("deminers killed"),
    "injured.civilian": gettext_lazy("civilians injured"),
    "injured.military": gettext_lazy("military and security personnel injured"),
    "injured.deminer": gettext_lazy("deminers injured"),
    "children": gettext_lazy("children killed or injured"),
    "women_and_girls": gettext_lazy("women and girls killed or injured"),
    "incidents": gettext_lazy("incidents"),
    "share.outside_contact_line": gettext_lazy(
        "per cent of incidents outside the former contact line"
    ),
    "share.outside_mapped_areas": gettext_lazy("per cent of incidents outside the mapped areas"),
    "share.outside_contact_line.last_year": gettext_lazy(
        "per cent of the incidents of the period's last year outside the former contact line"
    ),
    "share.outside_mapped_areas.last_year": gettext_lazy(
        "per cent of the incidents of the period's last year outside the mapped areas"
    ),
}


class SnapshotError(ValueError):
    """A snapshot that cannot be taken as asked; the message says why."""


# --- the rule across snapshots -----------------------------------------------------------------


class Draws:
    """The published figures of one snapshot, each drawn once (the same figure through every
    table it appears in), by the rule across snapshots in disclosure.py. Protected figures
    cover the whole years the period touches and are named as the live statistics name the
    same question (disclosure.canonical_cell), drawn with a salt of their own. A figure is
    *held* (the figure last published under that name, in any snapshot) unless this
    snapshot may redraw (`redraw`: the register has changed by refresh_step() or more since
    the last snapshot that could) and its true count has moved by K or more."""

    def __init__(
        self,
        years: tuple[int, int],
        earlier: dict[str, list[Any]],
        slices: disclosure.Slices,
        hold: bool = True,
        redraw: bool = True,
    ) -> None:
        self.years = years
        self.earlier = earlier
        self.slices = slices
        self.hold = hold
        self.redraw = redraw
        self.drawn: dict[str, tuple[int, Figure]] = {}
        self.worksheet: dict[str, list[Any]] = {}

    def name(self, fixed: dict[str, str]) -> str:
        """The live statistics' name of the question: a year fixed is a period of one year;
        otherwise the period is the snapshot's whole years."""
        cell = dict(fixed)
        year = cell.pop("year", None)
        cell["years"] = f"{year}-{year}" if year else f"{self.years[0]}-{self.years[1]}"
        return disclosure.canonical_cell(cell, self.slices)

    def figure(self, fixed: dict[str, str], count: int, keys: int, name: str = "") -> Figure:
        name = name or self.name(fixed)
        if name in self.drawn:
            if self.drawn[name][0] != count:  # the same figure, counted two ways: a bug
                raise RuntimeError(f"{name} counted as {self.drawn[name][0]} and {count}")
            return self.drawn[name][1]
        base = self.earlier.get(name)
        moved = base is not None and abs(count - base[0]) >= disclosure.min_cell()
        if self.hold and base is not None and not (self.redraw and moved):
            figure = Figure(base[1])
            self.worksheet[name] = list(base)
        else:
            # Salted apart from the live figure of the same question: comparing a snapshot
            # with today's figures must not tell which of them changed.
            figure = disclosure.protect(count, keys, f"snapshot|{name}")
            self.worksheet[name] = [count, figure.value]
        self.drawn[name] = (count, figure)
        return figure


EPOCH = "__redraw__"  # the worksheet's entry: the register's revisions at the last redraw


def refresh_step() -> int:
    """How many changes to the register (records added, edited, verified, discounted or
    deleted) must come between two snapshots that may redraw held figures: five times the
    minimum cell (25 by default)."""
    return 5 * disclosure.min_cell()


def register_revisions() -> int:
    """How many times the register has changed: the django-simple-history rows of incidents
    and casualties, one per change (bulk imports and the generator write them too)."""
    return Incident.history.count() + Casualty.history.count()


def may_redraw(earlier: dict[str, list[Any]], revisions: int) -> bool:
    """Whether this snapshot may redraw held figures: the register has changed by
    refresh_step() or more since the last snapshot that could. So between two redraws at
    least that many changes come, and a redraw is never the doing of one record; taking
    snapshots, of any period, never opens one."""
    last = earlier.get(EPOCH)
    return last is None or revisions - last[0] >= refresh_step()


# How far apart the end days of two snapshots with exact national figures must be (or the
# same day: a correction), so that subtracting them gives no window shorter than this.
EXACT_SPACING_DAYS = 28


def exact_allowed(period: tuple[datetime.date, datetime.date]) -> bool:
    """Whether the period's national totals by outcome and status may be exact: it starts
    with the register (no public incident before it), and it ends on the same day as, or
    EXACT_SPACING_DAYS or more from, the end of every snapshot with exact figures."""
    if Incident.objects.public().filter(occurred_on__lt=period[0]).exists():
        return False
    spacing = datetime.timedelta(days=EXACT_SPACING_DAYS)
    too_close = (
        Snapshot.objects.filter(content__exact_national_figures=True)
        .exclude(period_to=period[1])
        .filter(period_to__gt=period[1] - spacing, period_to__lt=period[1] + spacing)
    )
    return not too_close.exists()


def earlier_worksheet() -> dict[str, list[Any]]:
    """For every protected figure of any snapshot taken so far, the latest entry: the true
    count when its figure was drawn, and that figure."""
    merged: dict[str, list[Any]] = {}
    for worksheet in Snapshot.objects.order_by("number").values_list("worksheet", flat=True):
        merged.update(worksheet)
    return merged


# --- the figures of a period -------------------------------------------------------------------


def period_casualties(period: tuple[datetime.date, datetime.date]) -> QuerySet[Casualty]:
    return all_public_casualties().filter(incident__occurred_on__range=period)


def values_of(dimension: str, period: tuple[datetime.date, datetime.date]) -> list[str]:
    """Every value a dimension takes in a snapshot's tables, with casualties or not."""
    if dimension in VOCABULARIES:
        return list(VOCABULARIES[dimension].values)
    if dimension == "year":
        return [str(year) for year in range(period[0].year, period[1].year + 1)]
    if dimension == "month":
        return list(MONTH_VALUES)
    return public_area_codes()


def table(
    draws: Draws,
    casualties: QuerySet[Casualty],
    dimensions: list[str],
    period: tuple[datetime.date, datetime.date],
    year: int | None = None,
) -> dict:
    """One table of the snapshot: its figures as [row, column, value, exact], the cells
    first, then each row's total, each column's total and the table's ("total")."""
    counts = grouped_with_unknown_months(casualties, dimensions)
    rows = values_of(dimensions[0], period)
    columns = values_of(dimensions[1], period) if len(dimensions) > 1 else ["all"]
    base = {"year": str(year)} if year is not None else {}
    figures: list[list[Any]] = []
    sums: dict[tuple[str, str], list[int]] = {}

    def add(row: str, column: str, fixed: dict[str, str], count: int, keys: int) -> None:
        figure = draws.figure({**base, **fixed}, count, keys)
        figures.append([row, column, figure.value, figure.exact])

    for row, column in itertools.product(rows, columns):
        count, keys = counts.get((row, column), (0, 0))
        fixed = {dimensions[0]: row}
        if len(dimensions) > 1:
            fixed[dimensions[1]] = column
            add(row, column, fixed, count, keys)
        for total in ((row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
            sum_ = sums.setdefault(total, [0, 0])
            sum_[0] += count
            sum_[1] += keys
    for row in rows:
        add(
            row, "all" if len(dimensions) == 1 else TOTAL, {dimensions[0]: row}, *sums[(row, TOTAL)]
        )
    if len(dimensions) > 1:
        for column in columns:
            add(TOTAL, column, {dimensions[1]: column}, *sums[(TOTAL, column)])
    add(TOTAL, TOTAL if len(dimensions) > 1 else "all", {}, *sums[(TOTAL, TOTAL)])
    key = ",".join(dimensions) + (f":{year}" if year is not None else "")
    return {"key": key, "dimensions": dimensions, "year": year, "figures": figures}


def table_specs(
    period: tuple[datetime.date, datetime.date],
) -> Iterable[tuple[list[str], int | None]]:
    for dimension in DIMENSIONS:
        yield [dimension], None
    for first, second in itertools.combinations(DIMENSIONS, 2):
        yield [first, second], None
    for year in range(period[0].year, period[1].year + 1):
        yield ["month", "outcome"], year


HEADLINE_CELLS: dict[str, tuple[Q, dict[str, str]]] = {
    "casualties": (Q(), {}),
    "killed": (Q(outcome=Outcome.KILLED), {"outcome": Outcome.KILLED}),
    "injured": (Q(outcome=Outcome.INJURED), {"outcome": Outcome.INJURED}),
    "civilians": (Q(status=Status.CIVILIAN), {"status": Status.CIVILIAN}),
    "military": (Q(status=Status.MILITARY), {"status": Status.MILITARY}),
    "deminers": (Q(status=Status.DEMINER), {"status": Status.DEMINER}),
    "children": (Q(age_group__in=CHILD_AGE_GROUPS), {"age_group": "0-17"}),
    "women_and_girls": (Q(sex=Sex.FEMALE), {"sex": Sex.FEMALE}),
    "sex_known": (~Q(sex=Sex.UNKNOWN), {"sex": "known"}),
    "age_known": (~Q(age_group=AgeGroup.UNKNOWN), {"age_group": "known"}),
    "status_known": (~Q(status=Status.UNKNOWN), {"status": "known"}),
    "outcome_known": (~Q(outcome=Outcome.UNKNOWN), {"outcome": "known"}),
}
for _outcome in (Outcome.KILLED, Outcome.INJURED):
    for _status in (Status.CIVILIAN, Status.MILITARY, Status.DEMINER):
        HEADLINE_CELLS[f"{_outcome}.{_status}"] = (
            Q(outcome=_outcome, status=_status),
            {"outcome": _outcome, "status": _status},
        )


def headline(
    draws: Draws, in_years: QuerySet[Casualty], in_period: QuerySet[Casualty], exact: bool
) -> dict[str, Any]:
    """The headline figures. With `exact`, national counts by outcome and status are the
    period's, day for day, exact; every other figure (and those too without `exact`) is
    protected over the period's whole years."""
    conditions = {name: q for name, (q, _f) in HEADLINE_CELLS.items()}
    protected = counts_and_keys(in_years, conditions)
    dated = counts_and_keys(in_period, conditions) if exact else {}
    published = {}
    for name, (_q, fixed) in HEADLINE_CELLS.items():
        if exact and set(fixed) <= disclosure.EXACT_DIMENSIONS and "known" not in fixed.values():
            published[name] = disclosure.exact(dated[name])
        else:
            published[name] = draws.figure(fixed, protected[name], protected[f"{name}_keys"])
    # Data quality compares figures of the same people: the whole years, protected.
    total = draws.figure({}, protected["casualties"], protected["casualties_keys"])
    quality = {
        name: disclosure.share(published.pop(f"{name}_known"), total)
        for name in ("sex", "age", "status", "outcome")
    }
    quality["age_group"] = quality.pop("age")
    return {
        "figures": {name: figure.value for name, figure in published.items()},
        "exact": sorted(name for name, figure in published.items() if figure.exact),
        "quality": quality,
    }


INCIDENT_CONDITIONS = {
    "incidents": Q(),
    "contact_known": ~Q(outside_contact_line=YesNoUnknown.UNKNOWN),
    "outside_contact": Q(outside_contact_line=YesNoUnknown.YES),
    "mapped_known": ~Q(inside_mapped_area=YesNoUnknown.UNKNOWN),
    "outside_mapped": Q(inside_mapped_area=YesNoUnknown.NO),
}


def shares(draws: Draws, years: tuple[int, int]) -> dict:
    """Counts of incidents of whole years (protected, like people: incidents have record
    keys too) and the shares computed from them, named as the live statistics name them."""
    incidents = Incident.objects.public().filter(
        occurred_on__year__gte=years[0], occurred_on__year__lte=years[1]
    )
    raw = counts_and_keys(incidents, INCIDENT_CONDITIONS)
    with_incidents = [day.year for day in incidents.dates("occurred_on", "year")]
    named = "years=" + ",".join(str(year) for year in sorted(set(with_incidents)))
    figures = {
        key: draws.figure({}, raw[key], raw[f"{key}_keys"], name=f"incidents|{key}|{named}")
        for key in INCIDENT_CONDITIONS
    }
    return {
        "years": list(years),
        "incidents": figures["incidents"].value,
        "contact_line_known": figures["contact_known"].value,
        "outside_contact_line": disclosure.share(
            figures["outside_contact"], figures["contact_known"]
        ),
        "mapped_area_known": figures["mapped_known"].value,
        "outside_mapped_areas": disclosure.share(
            figures["outside_mapped"], figures["mapped_known"]
        ),
    }


def last_year(period: tuple[datetime.date, datetime.date]) -> int:
    """The period's last complete calendar year ("recent" incidents): the year before its
    end, unless it ends on 31 December; the end's year when the period lies in one year."""
    end = period[1]
    if end.month == 12 and end.day == 31:
        return end.year
    return max(end.year - 1, period[0].year)


def compute(
    period: tuple[datetime.date, datetime.date], earlier: dict[str, list[Any]], hold: bool = True
) -> tuple[dict, dict, dict]:
    """The snapshot's tables, its headline figures and shares, and the worksheet."""
    exact = exact_allowed(period)
    years = (period[0].year, period[1].year)
    revisions = register_revisions()
    redraw = may_redraw(earlier, revisions)
    draws = Draws(years, earlier, slice_years(), hold=hold, redraw=redraw)
    in_years = all_public_casualties().filter(
        incident__occurred_on__year__gte=years[0], incident__occurred_on__year__lte=years[1]
    )
    recent = last_year(period)
    content = {
        "exact_national_figures": exact,
        "tables_years": list(years),
        "headline": headline(draws, in_years, period_casualties(period), exact),
        "shares": {
            "period": shares(draws, years),
            "last_year": shares(draws, (recent, recent)),
        },
        "tables": [
            table(
                draws,
                in_years.filter(incident__occurred_on__year=year) if year else in_years,
                dimensions,
                period,
                year,
            )
            for dimensions, year in table_specs(period)
        ],
    }
    opened = [revisions] if redraw else earlier[EPOCH]
    return content, placeholder_values(content), {**draws.worksheet, EPOCH: opened}


def placeholder_values(content: dict) -> dict[str, int | None]:
    figures = content["headline"]["figures"]
    values = {name: figures[name] for name in PLACEHOLDERS if name in figures}
    values["incidents"] = content["shares"]["period"]["incidents"]
    for which, suffix in (("period", ""), ("last_year", ".last_year")):
        for name in ("outside_contact_line", "outside_mapped_areas"):
            values[f"share.{name}{suffix}"] = content["shares"][which][name]
    return values


# --- taking one --------------------------------------------------------------------------------


def canonical_json(content: dict) -> bytes:
    """The snapshot's canonical JSON: keys sorted, no spaces, UTF-8, a final line feed."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def check_period(period_from: datetime.date, period_to: datetime.date) -> None:
    if period_from > period_to:
        raise SnapshotError(_("The period's first day comes after its last day."))
    if period_to > timezone.localdate():
        raise SnapshotError(_("The period ends in the future: figures are only for days past."))


@transaction.atomic
def take(
    *,
    period_from: datetime.date,
    period_to: datetime.date,
    by,
    supersedes: Snapshot | None = None,
    reason: str = "",
) -> Snapshot:
    """Take a snapshot of the period's public figures, as the register stands now."""
    check_period(period_from, period_to)
    if supersedes is not None and not reason.strip():
        raise SnapshotError(_("Say why the snapshot it supersedes was wrong."))
    if supersedes is not None and Snapshot.objects.filter(supersedes=supersedes).exists():
        raise SnapshotError(
            _("Snapshot %(number)s is already superseded.") % {"number": supersedes.number}
        )
    # One snapshot at a time: the next number, and the worksheets it reads, are settled.
    latest = Snapshot.objects.select_for_update().light().order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    taken_at = timezone.now().replace(microsecond=0)
    period = (period_from, period_to)
    tables, figures, worksheet = compute(period, earlier_worksheet())
    content = {
        "format": FORMAT,
        "number": number,
        "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        "taken_at": taken_at.isoformat(),
        "supersedes": supersedes.number if supersedes else None,
        "reason": reason.strip(),
        "verification": list(settings.CASUALTY_PUBLIC_VERIFICATION),
        "min_cell": disclosure.min_cell(),
        "max_perturbation": disclosure.MAX_PERTURBATION,
        "methodology_version": METHODOLOGY_VERSION,
        # The register held generated demonstration data: pages say so.
        "synthetic_data": Incident.objects.filter(source_type=SourceType.SYNTHETIC).exists(),
        **tables,
    }
    snapshot = Snapshot(
        number=number,
        period_from=period_from,
        period_to=period_to,
        taken_at=taken_at,
        taken_by=by,
        supersedes=supersedes,
        reason=reason.strip(),
        content=content,
        figures=figures,
        sha256=digest(content),
        worksheet=worksheet,
    )
    snapshot.save()
    bump_register_version(statements=True)  # pages that list or cite snapshots
    return snapshot
