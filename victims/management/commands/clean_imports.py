"""Delete register import files abandoned more than a day ago (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from victims import import_files


class Command(BaseCommand):
    help = "Delete register import files that were uploaded more than a day ago."

    def handle(self, *args, **options):
        removed = import_files.sweep()
        self.stdout.write(f"Deleted {removed} abandoned import file(s).")
