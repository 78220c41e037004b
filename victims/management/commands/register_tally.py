"""Check the register's tally against the register, or rebuild it (PostgreSQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from victims import tally


class Command(BaseCommand):
    help = (
        "Check that the register's tally (the counts PostgreSQL keeps for the public "
        "figures) agrees with the register, or rebuild it from the register."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["check", "rebuild"],
            help="check: list any difference and fail if there is one; rebuild: count afresh.",
        )

    def handle(self, *args, action: str, **options):
        if not tally.in_use():
            raise CommandError(
                "The tally is kept on PostgreSQL only; on this database the figures are "
                "counted from the register itself, and there is nothing to check or rebuild."
            )
        try:
            self.act(action)
        except DatabaseError as error:
            raise CommandError(
                f"The tally could not be read ({error.__class__.__name__}: "
                f"{str(error).splitlines()[0]}). Has `manage.py migrate` been run?"
            ) from error

    def act(self, action: str) -> None:
        if action == "rebuild":
            tally.rebuild()
            self.stdout.write("The tally was counted afresh from the register.")
            return
        miscounted = tally.miscounted()
        found = tally.differences()
        for counted, verification, key, tallied, now in found[:50]:
            self.stdout.write(
                f"{counted} / {verification} / {key}: {tallied} in the tally, {now} in the register"
            )
        if miscounted:
            self.stdout.write(f"{miscounted} casualties are counted otherwise than they are")
        if found or miscounted:
            raise CommandError(
                f"The tally differs from the register in {len(found)} row(s) and "
                f"{miscounted} casualties: run `manage.py register_tally rebuild`."
            )
        self.stdout.write("The tally agrees with the register.")
