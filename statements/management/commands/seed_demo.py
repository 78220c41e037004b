"""Fill the database with demo content. Safe to run any number of times.

The demo accounts, whose passwords are printed, are created only on a local development
database: DEBUG on and the embedded SQLite engine. Anywhere else the command adds content but
never an account with a known password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

DEMO_EDITOR = ("editor", "editor-demo-password")


def local_demo_mode() -> bool:
    """True only for a developer's machine: DEBUG on and the embedded SQLite database."""
    return settings.DEBUG and connection.vendor == "sqlite"


class Command(BaseCommand):
    help = "Add demo content (idempotent). Demo logins only with DEBUG on and SQLite."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if local_demo_mode():
            self._demo_account(*DEMO_EDITOR, first_name="Demo", last_name="Editor")
        else:
            self.stdout.write("Not a local DEBUG/SQLite database: no demo accounts created.")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    def _demo_account(self, username: str, password: str, **names: str) -> None:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, **names}
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(f"{verb} demo account: username '{username}', password '{password}'")
