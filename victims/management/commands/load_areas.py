"""Fill the gazetteer from pycountry's ISO 3166-2 subdivisions of a country, with each
district's name in the site's languages (gazetteer.py: iso-codes' translations, and English
names where English has its own)."""

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from victims import gazetteer
from victims.models import Area


class Command(BaseCommand):
    help = (
        "Load a country's ISO 3166-2 subdivisions as areas (rerunning updates ISO names and "
        "fills names per language that are still empty; names edited in the admin are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("country", help="ISO 3166-1 alpha-2 code, e.g. AZ")

    @transaction.atomic
    def handle(self, *args, country: str, **options):
        code = country.strip().upper()
        if pycountry.countries.get(alpha_2=code) is None:
            raise CommandError(
                f"Unknown country code {country!r}: use ISO 3166-1 alpha-2, e.g. AZ."
            )
        subdivisions = list(pycountry.subdivisions.get(country_code=code) or [])
        if not subdivisions:
            raise CommandError(f"pycountry lists no subdivisions for {code}.")
        created = updated = 0
        by_code: dict[str, Area] = {}
        # Parents first, so that children can point at them.
        for subdivision in sorted(subdivisions, key=lambda s: s.parent_code is not None):
            parent = by_code.get(subdivision.parent_code) if subdivision.parent_code else None
            area, was_created = Area.objects.update_or_create(
                code=subdivision.code,
                defaults={
                    "name": subdivision.name,
                    "kind": subdivision.type,
                    "level": 2 if parent else 1,
                    "parent": parent,
                },
            )
            fill_names(area, subdivision.code, subdivision.name)
            by_code[subdivision.code] = area
            created += was_created
            updated += not was_created
        self.stdout.write(
            self.style.SUCCESS(f"{code}: {created} areas created, {updated} updated.")
        )


def fill_names(area: Area, code: str, iso_name: str) -> None:
    """Give the area its name in each site language where it has none yet."""
    empty = {
        f"name_{language}": name
        for language, name in gazetteer.names(code, iso_name).items()
        if not getattr(area, f"name_{language}")
    }
    if empty:
        for field, name in empty.items():
            setattr(area, field, name)
        area.save(update_fields=list(empty))
