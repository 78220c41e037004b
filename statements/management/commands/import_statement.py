"""Import a plain-text statement: the first line is the title, each further non-empty line a
paragraph. All or nothing: on any error nothing is created."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from statements import actions
from statements.models import Kind


def parse_plain_text(text: str) -> tuple[str, list[str]]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise CommandError("The file is empty: the first line must be the title.")
    return lines[0], lines[1:]


class Command(BaseCommand):
    help = "Import a plain-text statement (first line: title; then one paragraph a line)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a UTF-8 text file")
        parser.add_argument(
            "--language",
            required=True,
            help="one of: " + ", ".join(c for c, _ in settings.LANGUAGES),
        )
        parser.add_argument("--issued-on", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--kind", default=Kind.STATEMENT, help=", ".join(Kind.values))
        parser.add_argument("--place", default="")
        parser.add_argument(
            "--publish", action="store_true", help="submit and publish it now (as the system)"
        )
        parser.add_argument(
            "--published-at",
            help="with --publish, for a statement already public elsewhere: when it was first "
            "published, YYYY-MM-DD or YYYY-MM-DDTHH:MM in the site's time zone (in the past)",
        )

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.LANGUAGES]
        if options["language"] not in languages:
            raise CommandError(
                f"Unknown language {options['language']!r}: use one of {', '.join(languages)}."
            )
        if options["kind"] not in Kind.values:
            raise CommandError(
                f"Unknown kind {options['kind']!r}: use one of {', '.join(Kind.values)}."
            )
        issued_on = timezone.localdate()
        if options["issued_on"]:
            try:
                issued_on = datetime.date.fromisoformat(options["issued_on"])
            except ValueError as error:
                raise CommandError(
                    f"Bad --issued-on {options['issued_on']!r}: use YYYY-MM-DD, e.g. 2024-04-04."
                ) from error
        published_at = self._published_at(options)
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path} as UTF-8 text: {error}") from error
        title, paragraphs = parse_plain_text(text)
        if not paragraphs:
            raise CommandError("The file has a title but no paragraphs.")
        with transaction.atomic():
            statement = actions.create_statement(
                title=title,
                paragraphs=paragraphs,
                language=options["language"],
                issued_on=issued_on,
                kind=options["kind"],
                place=options["place"],
            )
            if options["publish"]:
                actions.submit(statement, by=None, comment="import_statement --publish")
                actions.publish(
                    statement,
                    by=None,
                    comment="import_statement --publish",
                    first_published_at=published_at,
                )
        state = "published" if options["publish"] else "created as a draft"
        self.stdout.write(
            self.style.SUCCESS(
                f"Statement #{statement.document_id} {state}: {statement.title} "
                f"({len(paragraphs)} paragraphs)"
            )
        )

    @staticmethod
    def _published_at(options) -> datetime.datetime | None:
        value = options["published_at"]
        if value is None:
            return None
        if not options["publish"]:
            raise CommandError("--published-at goes with --publish: a draft is not published.")
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(
                f"Bad --published-at {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
                "e.g. 2024-04-04T10:00."
            ) from error
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        if parsed >= timezone.now():
            raise CommandError(
                f"Bad --published-at {value!r}: the first publication must be in the past."
            )
        return parsed
