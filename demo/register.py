"""The demonstration register: synthetic incidents and casualties whose true counts give
exactly the figures of the demo ministry's 4 April 2024 statement, continued to today.

Every incident is marked synthetic (source type `synthetic`), so the public pages carry the
"demonstration data" banner. The register is planned, not sampled and hoped for: the
period's casualties are a fixed list of outcomes and statuses (PERIOD_PLAN), shuffled and
grouped into incidents; the shares the statement cites (outside the former contact line;
outside the mapped areas in the last year) are fixed counts of incidents, assigned at random;
Lachin and Kalbajar get a fixed quota of casualties first. Everything else (dates, districts,
sex, age, device, activity, place) comes from one `random.Random(2024)`, drawn in a fixed
order: the period first, then its non-public incidents, then month after month to `today`.
So the register is the same on every run, and the records up to any date are the same
whatever later `today` it is built for (SECOND_PERIOD_FIGURES holds for any `today` from
2025-04-04 on).

Record keys (the disclosure control's secret per record, models.py) are not drawn here: they
keep the model's default, from the operating system's randomness. Published figures other
than the exact national counts are perturbed by at most 4 (disclosure.py); the shares are
planned with room for that.

Call once, after `manage.py load_areas AZ`: `build_demo_register(timezone.localdate())`.
"""

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from victims.caching import bump_register_version
from victims.choices import Outcome, SourceType, Status, Verification
from victims.management.commands.generate_casualties import AFFECTED
from victims.models import Area, Casualty, Incident, ReferenceCounter

# The 4 April 2024 statement: "Since the end of the conflict, 350 people have become victims
# of landmine explosions. 65 of them were killed: 50 civilians and 15 servicemen."
PERIOD = (date(2020, 11, 10), date(2024, 4, 4))
PERIOD_FIGURES = {"casualties": 350, "killed": 65, "killed_civilian": 50, "killed_military": 15}
# "More than 55 per cent of recent cases occurred outside the mapped areas": the last year.
LAST_YEAR = (date(2023, 4, 5), date(2024, 4, 4))
# The same count a year later, over the register generated here (true counts, public
# incidents); killed = killed_civilian + killed_military + killed_deminer.
SECOND_PERIOD = (date(2020, 11, 10), date(2025, 4, 4))
SECOND_PERIOD_FIGURES = {
    "casualties": 421,
    "killed": 80,
    "injured": 341,
    "killed_civilian": 61,
    "killed_military": 18,
    "killed_deminer": 1,
}

SEED = 2024
CHANGE_REASON = "Synthetic demonstration register (demo/register.py)"

# The period's casualties (public): outcome, status, how many. 285 injured.
PERIOD_PLAN = [
    (Outcome.KILLED, Status.CIVILIAN, 50),
    (Outcome.KILLED, Status.MILITARY, 15),
    (Outcome.INJURED, Status.CIVILIAN, 175),
    (Outcome.INJURED, Status.MILITARY, 70),
    (Outcome.INJURED, Status.DEMINER, 34),
    (Outcome.INJURED, Status.UNKNOWN, 6),
]
# Public incidents dated in the last year of the period: at least this many, whatever the
# grouping gives (so that enough of them have a known inside_mapped_area).
LAST_YEAR_MIN_INCIDENTS = 60
LAST_YEAR_SHARE = 0.3
# Shares of incidents with a known value, and of those how many say the statement's answer.
KNOWN_SHARE = 0.9
OUTSIDE_MAPPED_SHARE = 0.78  # inside_mapped_area "no", last year
OUTSIDE_CONTACT_LINE_SHARE = 0.72  # outside_contact_line "yes", whole period
# Casualties in the period placed first in these districts; the rest are spread by weight.
DISTRICT_QUOTAS = {"AZ-LAC": 24, "AZ-KAL": 22}
DISTRICT_WEIGHTS = {
    "AZ-AGM": 9,
    "AZ-FUZ": 9,
    "AZ-LAC": 5,
    "AZ-KAL": 5,
    "AZ-TAR": 7,
    "AZ-CAB": 6,
    "AZ-XVD": 5,
    "AZ-ZAN": 4,
    "AZ-QBI": 4,
    "AZ-XCI": 4,
    "AZ-SUS": 3,
    "AZ-GOR": 3,
}
# Non-public incidents in the period: contested and discounted ones, with casualties.
NON_PUBLIC = [Verification.CONTESTED] * 4 + [Verification.DISCOUNTED] * 3

# After the period: month-long windows from the 5th, casualties per window (a range), the
# first year busier; in the first year each window has one incident of two casualties in
# Lachin (even windows) or Kalbajar (odd ones), so both gain at least 12 by 4 April 2025.
AFTER_START = date(2024, 4, 5)
FIRST_YEAR_CASUALTIES = (5, 7)
LATER_CASUALTIES = (3, 5)
NON_PUBLIC_CHANCE = 0.12

SIZE_WEIGHTS = [(1, 60), (2, 28), (3, 12)]


Records = list[tuple[Incident, list[Casualty]]]


class MissingGazetteer(RuntimeError):
    """The districts the register needs are not loaded."""


@dataclass
class PlannedIncident:
    """An incident before it is saved: its casualties as (outcome, status) pairs."""

    casualties: list[tuple[str, str]]
    occurred_on: date = PERIOD[0]
    lower: date = PERIOD[0]  # the earliest date a month or year precision may move it to
    area_code: str = ""
    verification: str = Verification.VERIFIED
    outside_contact_line: str = ""
    inside_mapped_area: str = ""


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build_demo_register(today: date) -> None:
    """Create the demonstration register up to `today`, once: nothing happens when any
    synthetic incident exists. Needs the AZ gazetteer (`load_areas AZ`)."""
    with transaction.atomic():
        if Incident.objects.filter(source_type=SourceType.SYNTHETIC).exists():
            return
        areas = _areas()
        rng = random.Random(SEED)  # noqa: S311 - synthetic data, reproducible by design
        records = _records(rng, _period_plans(rng), areas)
        records += _records(rng, _non_public_plans(rng), areas)
        records += _after_period_records(rng, today, areas)
        _save(records)
    bump_register_version()


def _areas() -> dict[str, Area]:
    areas = {area.code: area for area in Area.objects.filter(code__in=AFFECTED)}
    missing = [code for code in AFFECTED if code not in areas]
    if missing:
        raise MissingGazetteer(
            f"The demo register needs the AZ gazetteer (missing {', '.join(missing)}): "
            "run `manage.py load_areas AZ` first."
        )
    return areas


# The period ---------------------------------------------------------------------------


def _period_plans(rng: random.Random) -> list[PlannedIncident]:
    """The period's public incidents, holding exactly PERIOD_PLAN."""
    plans = _group(rng, PERIOD_PLAN)
    rng.shuffle(plans)
    last_year = max(LAST_YEAR_MIN_INCIDENTS, round(len(plans) * LAST_YEAR_SHARE))
    before_last_year = (PERIOD[0], LAST_YEAR[0] - timedelta(days=1))
    for index, plan in enumerate(plans):
        plan.lower, upper = LAST_YEAR if index < last_year else before_last_year
        plan.occurred_on = _day_between(rng, plan.lower, upper)
        plan.verification = weighted(
            rng, [(Verification.VERIFIED, 75), (Verification.REPORTED, 25)]
        )
    _assign(rng, plans[:last_year], "inside_mapped_area", "no", "yes", OUTSIDE_MAPPED_SHARE)
    for plan in plans[last_year:]:
        plan.inside_mapped_area = weighted(rng, [("no", 50), ("yes", 35), ("unknown", 15)])
    _assign(rng, plans, "outside_contact_line", "yes", "no", OUTSIDE_CONTACT_LINE_SHARE)
    _districts(rng, plans)
    return plans


def _group(rng: random.Random, plan: Sequence[tuple[str, str, int]]) -> list[PlannedIncident]:
    """The planned casualties grouped into incidents of one to three, each incident's people
    of one status (a deminer's accident is a deminer's), outcomes mixed."""
    by_status: dict[str, list[str]] = {}
    for outcome, status, count in plan:
        by_status.setdefault(status, []).extend([outcome] * count)
    incidents = []
    for status, outcomes in by_status.items():
        rng.shuffle(outcomes)
        while outcomes:
            size = min(len(outcomes), weighted(rng, SIZE_WEIGHTS))
            group, outcomes = outcomes[:size], outcomes[size:]
            incidents.append(PlannedIncident([(outcome, status) for outcome in group]))
    return incidents


def _assign(rng, plans: list[PlannedIncident], name: str, answer: str, other: str, share):
    """Set `name` on the incidents to fixed counts: about a tenth unknown, and `share` of
    the known ones (rounded up) `answer`, in random order."""
    known = round(len(plans) * KNOWN_SHARE)
    answers = math.ceil(known * share)
    values = [answer] * answers + [other] * (known - answers)
    values += ["unknown"] * (len(plans) - known)
    rng.shuffle(values)
    for plan, value in zip(plans, values, strict=True):
        setattr(plan, name, value)


def _districts(rng: random.Random, plans: list[PlannedIncident]) -> None:
    """Fill DISTRICT_QUOTAS first (incidents in random order), then spread by weight."""
    held: Counter[str] = Counter()
    for index in rng.sample(range(len(plans)), len(plans)):
        pending = [code for code, quota in DISTRICT_QUOTAS.items() if held[code] < quota]
        code = pending[0] if pending else _district(rng)
        plans[index].area_code = code
        held[code] += len(plans[index].casualties)


def _district(rng: random.Random) -> str:
    return weighted(rng, [(code, DISTRICT_WEIGHTS.get(code, 1)) for code in AFFECTED])


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _non_public_plans(rng: random.Random) -> list[PlannedIncident]:
    """A few contested and discounted incidents in the period, with casualties."""
    plans = []
    for verification in NON_PUBLIC:
        plan = _random_incident(rng, weighted(rng, SIZE_WEIGHTS))
        plan.occurred_on = _day_between(rng, *PERIOD)
        plan.verification = verification
        plans.append(plan)
    return plans


def _random_incident(rng: random.Random, size: int, area_code: str = "") -> PlannedIncident:
    """An incident of `size` casualties of one status, outcomes and the rest at random."""
    status = weighted(
        rng,
        [(Status.CIVILIAN, 62), (Status.MILITARY, 22), (Status.DEMINER, 12), ("unknown", 4)],
    )
    casualties = []
    for _ in range(size):
        outcome = weighted(rng, [(Outcome.INJURED, 78), (Outcome.KILLED, 22)])
        if outcome == Outcome.KILLED and status == Status.UNKNOWN:
            outcome = Outcome.INJURED  # keep "killed, status unknown" out of the register
        casualties.append((outcome, status))
    return PlannedIncident(
        casualties,
        area_code=area_code or _district(rng),
        verification=weighted(rng, [(Verification.VERIFIED, 75), (Verification.REPORTED, 25)]),
        outside_contact_line=weighted(rng, [("yes", 65), ("no", 25), ("unknown", 10)]),
        inside_mapped_area=weighted(rng, [("no", 60), ("yes", 28), ("unknown", 12)]),
    )


# After the period ---------------------------------------------------------------------


def _after_period_records(rng: random.Random, today: date, areas: dict[str, Area]) -> Records:
    """Month after month from AFTER_START to `today`: each window is drawn whole, then only
    its incidents dated up to `today` are kept, so the register up to any date is the same
    whatever later `today` it is built for."""
    records: Records = []
    window = 0
    while (start := _add_months(AFTER_START, window)) <= today:
        end = _add_months(AFTER_START, window + 1) - timedelta(days=1)
        lower = AFTER_START if window < 12 else _add_months(AFTER_START, 12)
        drawn = _window(rng, window)
        for plan in drawn:
            plan.occurred_on = _day_between(rng, start, end)
            plan.lower = lower
        records += [
            record for record in _records(rng, drawn, areas) if record[0].occurred_on <= today
        ]
        window += 1
    return records


def _window(rng: random.Random, window: int) -> list[PlannedIncident]:
    first_year = window < 12
    low, high = FIRST_YEAR_CASUALTIES if first_year else LATER_CASUALTIES
    remaining = rng.randint(low, high)
    plans = []
    if first_year:
        plans.append(_random_incident(rng, 2, "AZ-LAC" if window % 2 == 0 else "AZ-KAL"))
        remaining -= 2
    while remaining > 0:
        size = min(remaining, weighted(rng, SIZE_WEIGHTS))
        plans.append(_random_incident(rng, size))
        remaining -= size
    if rng.random() < NON_PUBLIC_CHANCE:
        plan = _random_incident(rng, weighted(rng, SIZE_WEIGHTS))
        plan.verification = rng.choice([Verification.CONTESTED, Verification.DISCOUNTED])
        plans.append(plan)
    return plans


def _add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (days up to 28 only, as AFTER_START's 5th)."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


# Records ------------------------------------------------------------------------------


def _records(rng: random.Random, plans: list[PlannedIncident], areas: dict[str, Area]) -> Records:
    """Each planned incident and its casualties as unsaved records, drawn plan by plan."""
    return [
        (_incident(rng, plan, areas), [_casualty(rng, *pair) for pair in plan.casualties])
        for plan in plans
    ]


def _incident(rng: random.Random, plan: PlannedIncident, areas: dict[str, Area]) -> Incident:
    occurred_on, precision = _precision(rng, plan.occurred_on, plan.lower)
    status = plan.casualties[0][1]
    return Incident(
        occurred_on=occurred_on,
        date_precision=precision,
        area=areas[plan.area_code],
        place_type=_place_type(rng, status),
        outside_contact_line=plan.outside_contact_line,
        inside_mapped_area=plan.inside_mapped_area,
        device_category=_device(rng, status),
        activity=_activity(rng, status),
        source_type=SourceType.SYNTHETIC,
        verification=plan.verification,
    )


def _precision(rng: random.Random, day: date, lower: date) -> tuple[date, str]:
    """Mostly known to the day; some to the month or year (dated the 1st of the month or
    of January, as an import of "2023-05" or "2023" would be), never before `lower`."""
    precision = weighted(rng, [("day", 88), ("month", 9), ("year", 3)])
    moved = {"day": day, "month": day.replace(day=1), "year": date(day.year, 1, 1)}[precision]
    return (moved, precision) if moved >= lower else (day, "day")


def _place_type(rng: random.Random, status: str) -> str:
    if status == Status.MILITARY:
        return weighted(
            rng, [("military", 50), ("road", 25), ("pasture_forest", 15), ("other", 10)]
        )
    return weighted(
        rng,
        [
            ("agricultural", 30),
            ("pasture_forest", 20),
            ("road", 15),
            ("residential", 12),
            ("construction", 11),
            ("cemetery", 5),
            ("other", 4),
            ("unknown", 3),
        ],
    )


def _device(rng: random.Random, status: str) -> str:
    antivehicle = 30 if status == Status.MILITARY else 12
    return weighted(
        rng,
        [
            ("antipersonnel", 55),
            ("antivehicle", antivehicle),
            ("improvised", 5),
            ("unspecified_mine", 10),
            ("cluster_submunition", 3),
            ("other_erw", 8),
            ("unknown", 4),
        ],
    )


def _activity(rng: random.Random, status: str) -> str:
    if status == Status.DEMINER:
        return weighted(rng, [("clearance", 90), ("travelling_by_vehicle", 10)])
    if status == Status.MILITARY:
        return weighted(
            rng,
            [
                ("military_duty", 70),
                ("travelling_by_vehicle", 15),
                ("travelling_on_foot", 10),
                ("clearance", 5),
            ],
        )
    return weighted(
        rng,
        [
            ("farming", 20),
            ("herding", 15),
            ("collecting", 10),
            ("travelling_on_foot", 12),
            ("travelling_by_vehicle", 10),
            ("construction", 12),
            ("scrap_metal", 8),
            ("handling", 4),
            ("playing", 3),
            ("household", 3),
            ("other", 2),
            ("unknown", 1),
        ],
    )


def _casualty(rng: random.Random, outcome: str, status: str) -> Casualty:
    return Casualty(
        outcome=outcome,
        status=status,
        sex=_sex(rng, status),
        age_group=_age_group(rng, status),
        injury=_injury(rng) if outcome == Outcome.INJURED else "",
        displacement=weighted(
            rng,
            [("returnee", 30), ("resident", 50), ("idp", 10), ("unknown", 10)]
            if status == Status.CIVILIAN
            else [("resident", 30), ("unknown", 70)],
        ),
    )


def _sex(rng: random.Random, status: str) -> str:
    weights: dict[str, list[tuple[str, int]]] = {
        Status.CIVILIAN: [("male", 82), ("female", 15), ("unknown", 3)],
        Status.MILITARY: [("male", 97), ("female", 1), ("unknown", 2)],
        Status.DEMINER: [("male", 93), ("female", 5), ("unknown", 2)],
    }
    return weighted(rng, weights.get(status, [("unknown", 50), ("male", 45), ("female", 5)]))


def _age_group(rng: random.Random, status: str) -> str:
    adults = [("18-29", 25), ("30-44", 30), ("45-59", 22), ("60+", 9), ("unknown", 5)]
    if status == Status.CIVILIAN:
        return weighted(rng, [("0-4", 1), ("5-11", 4), ("12-17", 6), *adults])
    if status == Status.UNKNOWN:
        return weighted(rng, [("unknown", 60), *adults[:3]])
    return weighted(rng, [("18-29", 55), ("30-44", 33), ("45-59", 9), ("unknown", 3)])


def _injury(rng: random.Random) -> str:
    return weighted(
        rng,
        [
            ("lower_limb_amputation", 35),
            ("upper_limb_amputation", 10),
            ("eye_injury", 10),
            ("other", 40),
            ("unknown", 5),
        ],
    )


def _save(records: Records) -> None:
    """As generate_casualties saves: references per year (in date order here), then the
    incidents and casualties in bulk, with their history."""
    records = sorted(records, key=lambda record: record[0].occurred_on)
    incidents = [incident for incident, _group in records]
    casualties = [group for _incident, group in records]
    by_year: dict[int, list[Incident]] = {}
    for incident in incidents:
        by_year.setdefault(incident.occurred_on.year, []).append(incident)
    for year, members in by_year.items():
        references = ReferenceCounter.allocate(year, len(members))
        for incident, reference in zip(members, references, strict=True):
            incident.reference = reference
    saved = bulk_create_with_history(
        incidents, Incident, batch_size=1000, default_change_reason=CHANGE_REASON
    )
    rows = []
    for incident, group in zip(saved, casualties, strict=True):
        for casualty in group:
            casualty.incident = incident
            rows.append(casualty)
    bulk_create_with_history(rows, Casualty, batch_size=2000, default_change_reason=CHANGE_REASON)
