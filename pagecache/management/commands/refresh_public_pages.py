"""Raise the versions of what the public sees, after a change made outside the site.

Every change the site makes (the admin, the API, imports, commands, `manage.py shell` through
the models) raises the versions itself, in its own transaction. A change made beside it (SQL
typed in psql, a table restored from a backup, a bulk `QuerySet.update()` that sends no
signal) does not: the cached pages and figures of the surfaces it touched are then served
until this command raises their versions.
"""

from django.core.management.base import BaseCommand, CommandError

from pagecache import versions
from pagecache.models import Surface


class Command(BaseCommand):
    help = (
        "Serve every page and figure of the named surfaces (default: all) anew: run after "
        "changing their data outside the site (psql, a restored table)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "surfaces",
            nargs="*",
            metavar="surface",
            help=f"one of: {', '.join(Surface.values)} (default: all)",
        )

    def handle(self, *args, surfaces: list[str], **options):
        unknown = sorted(set(surfaces) - set(Surface.values))
        if unknown:
            raise CommandError(
                f"Unknown surface {', '.join(map(repr, unknown))}: use {', '.join(Surface.values)}."
            )
        chosen = tuple(surfaces or Surface.values)
        versions.bump(*chosen)
        current = versions.current()
        for name in sorted(set(chosen)):
            self.stdout.write(f"{name}: version {current[name].number}")
