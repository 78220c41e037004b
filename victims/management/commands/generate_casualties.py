"""Synthetic incidents and casualties for demonstrations and benchmarks.

Marked synthetic (source type `synthetic`): the public pages then carry a "demonstration
data" banner. Deterministic for a given --seed. Distributions are plausible, not real:
mostly civilians and antipersonnel mines, more casualties in the districts of the former
conflict zone, one or two casualties an incident.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from victims import choices
from victims.caching import bump_register_version
from victims.models import Area, Casualty, Incident, ReferenceCounter

AFFECTED = [
    "AZ-AGM",
    "AZ-CAB",
    "AZ-FUZ",
    "AZ-KAL",
    "AZ-LAC",
    "AZ-QBA",
    "AZ-QBI",
    "AZ-SUS",
    "AZ-TAR",
    "AZ-XCI",
    "AZ-XVD",
    "AZ-ZAN",
    "AZ-AGA",
    "AZ-GOR",
    "AZ-XA",
]


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Command(BaseCommand):
    help = "Create N synthetic casualties in plausible incidents (deterministic with --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="number of casualties")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--start", default="2020-11-10", help="first date, YYYY-MM-DD")

    def handle(self, *args, count: int, seed: int, start: str, **options):
        if count < 1 or count > 1_000_000:
            raise CommandError("--count must be between 1 and 1,000,000.")
        try:
            first_day = datetime.date.fromisoformat(start)
        except ValueError as error:
            raise CommandError(f"Bad --start {start!r}: use YYYY-MM-DD.") from error
        areas = list(Area.objects.filter(code__in=AFFECTED)) or list(Area.objects.all())
        if not areas:
            raise CommandError("No areas: run `manage.py load_areas AZ` first.")
        rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by design
        days = max(1, (timezone.localdate() - first_day).days)
        weights = [5 if area.code in AFFECTED else 1 for area in areas]
        made = 0
        with (
            transaction.atomic(),
            tqdm(total=count, unit="casualty", disable=options["verbosity"] < 1) as bar,
        ):
            while made < count:
                batch_incidents: list[Incident] = []
                batch_casualties: list[list[Casualty]] = []
                while made < count and len(batch_incidents) < 2000:
                    size = min(count - made, weighted(rng, [(1, 70), (2, 20), (3, 7), (4, 3)]))
                    incident = self._incident(rng, areas, weights, first_day, days)
                    batch_incidents.append(incident)
                    batch_casualties.append([self._casualty(rng, incident) for _ in range(size)])
                    made += size
                self._save(batch_incidents, batch_casualties)
                bar.update(sum(len(group) for group in batch_casualties))
        bump_register_version()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: until autovacuum comes round, it would plan
            # the figures' queries for the empty tables it last saw (3 times slower).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE victims_incident, victims_casualty")
        self.stdout.write(self.style.SUCCESS(f"{made} synthetic casualties created (seed {seed})."))

    def _incident(self, rng, areas, weights, first_day, days) -> Incident:
        return Incident(
            occurred_on=first_day + datetime.timedelta(days=rng.randrange(days)),
            date_precision=weighted(rng, [("day", 90), ("month", 8), ("year", 2)]),
            area=rng.choices(areas, weights=weights)[0],
            place_type=weighted(
                rng,
                [
                    ("agricultural", 30),
                    ("pasture_forest", 20),
                    ("road", 15),
                    ("residential", 12),
                    ("construction", 10),
                    ("cemetery", 3),
                    ("military", 5),
                    ("other", 3),
                    ("unknown", 2),
                ],
            ),
            outside_contact_line=weighted(rng, [("yes", 60), ("no", 30), ("unknown", 10)]),
            inside_mapped_area=weighted(rng, [("no", 50), ("yes", 35), ("unknown", 15)]),
            device_category=weighted(
                rng,
                [
                    ("antipersonnel", 55),
                    ("antivehicle", 15),
                    ("improvised", 5),
                    ("unspecified_mine", 10),
                    ("cluster_submunition", 3),
                    ("other_erw", 8),
                    ("unknown", 4),
                ],
            ),
            activity=weighted(rng, [(value, 1) for value in choices.Activity.values]),
            source_type=choices.SourceType.SYNTHETIC,
            verification=weighted(
                rng, [("verified", 70), ("reported", 25), ("contested", 3), ("discounted", 2)]
            ),
        )

    def _casualty(self, rng, incident) -> Casualty:
        outcome = weighted(rng, [("injured", 78), ("killed", 20), ("unknown", 2)])
        return Casualty(
            outcome=outcome,
            status=weighted(
                rng, [("civilian", 65), ("military", 25), ("deminer", 8), ("unknown", 2)]
            ),
            sex=weighted(rng, [("male", 88), ("female", 9), ("unknown", 3)]),
            age_group=weighted(
                rng,
                [
                    ("0-4", 1),
                    ("5-11", 3),
                    ("12-17", 5),
                    ("18-29", 25),
                    ("30-44", 30),
                    ("45-59", 22),
                    ("60+", 9),
                    ("unknown", 5),
                ],
            ),
            injury=weighted(
                rng,
                [
                    ("lower_limb_amputation", 35),
                    ("upper_limb_amputation", 10),
                    ("eye_injury", 10),
                    ("other", 40),
                    ("unknown", 5),
                ],
            )
            if outcome == "injured"
            else "",
            displacement=weighted(
                rng, [("returnee", 30), ("resident", 50), ("idp", 10), ("unknown", 10)]
            ),
        )

    def _save(self, incidents, casualties) -> None:
        by_year: dict[int, list[Incident]] = {}
        for incident in incidents:
            by_year.setdefault(incident.occurred_on.year, []).append(incident)
        for year, members in by_year.items():
            references = ReferenceCounter.allocate(year, len(members))
            for incident, reference in zip(members, references, strict=True):
                incident.reference = reference
        saved = bulk_create_with_history(incidents, Incident, batch_size=1000)
        rows = []
        for incident, group in zip(saved, casualties, strict=True):
            for casualty in group:
                casualty.incident = incident
                rows.append(casualty)
        bulk_create_with_history(rows, Casualty, batch_size=2000)
