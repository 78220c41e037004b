"""Fill the benchmark database for bench/api.sh: 1,000 published statements and 100,000
casualties (synthetic). Idempotent: does nothing if they are there."""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from statements import actions  # noqa: E402
from statements.models import Edition  # noqa: E402
from victims.models import Casualty  # noqa: E402

STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "1000"))
CASUALTIES = int(os.environ.get("BENCH_CASUALTIES", "100000"))

call_command("migrate", verbosity=0)
have = Edition.objects.published().count()
for n in range(have, STATEMENTS):
    statement = actions.create_statement(
        title=f"Benchmark statement {n} on mine action",
        paragraphs=[f"Paragraph one of statement {n}.", "Landmines remain a danger to civilians."],
        language=("en", "az", "ru")[n % 3],
        issued_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
    )
    actions.submit(statement, by=None)
    actions.publish(statement, by=None)
print(f"{Edition.objects.published().count()} published statements")
if Casualty.objects.count() < CASUALTIES:
    call_command("load_areas", "AZ", verbosity=0)
    missing = CASUALTIES - Casualty.objects.count()
    call_command("generate_casualties", count=missing, seed=1, verbosity=0)
print(f"{Casualty.objects.count()} casualties")
if connection.vendor == "postgresql":
    # Plans as the site's would be once autovacuum has run: the statements were just written.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
