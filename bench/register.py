"""Benchmark of the casualty register (issue: public statistics, import, export).

Run on PostgreSQL, against a database of its own that it fills and empties:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_bench \
        .venv/bin/python bench/register.py

It prints: the time to render the statistics page uncached and cached with 100,000
casualties, and its query count; the time to check and import 10,000 CSV rows; the time and
the peak memory (max RSS of a separate process) to export 100,000 casualties' incidents as
streamed CSV. Figures go into the closing note of the work they measure.
"""

import csv
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from victims import importing  # noqa: E402
from victims.models import Casualty, Incident, ReferenceCounter  # noqa: E402

CASUALTIES = int(os.environ.get("BENCH_CASUALTIES", "100000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))


def timed(function, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL (see the docstring).")
    call_command("migrate", verbosity=0)
    Casualty.objects.all().delete()
    Incident.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    call_command("load_areas", "AZ", verbosity=0)
    start = time.perf_counter()
    call_command("generate_casualties", count=CASUALTIES, seed=1, verbosity=0)
    print(
        f"generated {Casualty.objects.count():,} casualties in "
        f"{Incident.objects.count():,} incidents in {time.perf_counter() - start:.1f} s"
    )

    client = Client()

    def uncached():
        cache.clear()
        response = client.get("/en/casualties/")
        assert response.status_code == 200

    def cached():
        assert client.get("/en/casualties/").status_code == 200

    cache.clear()
    reset_queries()  # the query log is a bounded deque, full after the generation
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/casualties/").status_code == 200
    median, low, high = timed(uncached)
    print(
        f"statistics page, uncached: median {median * 1000:.0f} ms (min {low * 1000:.0f}, "
        f"max {high * 1000:.0f}), {len(queries.captured_queries)} queries"
    )
    client.get("/en/casualties/")
    median, low, high = timed(cached, repeat=20)
    print(f"statistics page, cached:   median {median * 1000:.1f} ms")

    for query in ("group_by=area,sex", "group_by=sex,age_group&period=2021-2024"):

        def api_uncached(query=query):
            cache.clear()
            assert client.get(f"/api/v1/casualties/stats/?{query}").status_code == 200

        cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            api_uncached()
        median, low, high = timed(api_uncached)
        print(
            f"stats API {query}, uncached: median {median * 1000:.0f} ms "
            f"(min {low * 1000:.0f}, max {high * 1000:.0f}), {len(queries.captured_queries)} "
            "queries"
        )

    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        [
            "incident",
            "date",
            "area",
            "device_category",
            "source_type",
            "source_reference",
            "outcome",
            "status",
            "sex",
            "age",
        ]
    )
    for n in range(IMPORT_ROWS):
        writer.writerow(
            [
                f"b{n // 2}",
                "2024-02-03",
                "AZ-LAC",
                "antipersonnel",
                "official",
                "Bench report 12/2024",
                "injured",
                "civilian",
                "male",
                str(20 + n % 50),
            ]
        )
    content = rows.getvalue().encode()
    start = time.perf_counter()
    result = importing.check("bench.csv", content)
    checked = time.perf_counter() - start
    assert not result.problems, result.problems[:3]
    importing.commit(result)
    total = time.perf_counter() - start
    print(f"import of {IMPORT_ROWS:,} rows: check {checked:.1f} s, check + commit {total:.1f} s")
    reset_queries()

    probe = (
        "import os, sys, time; sys.path.insert(0, '.'); "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "import django; django.setup(); "
        "from victims import exporting; from victims.models import Incident; "
        "start = time.perf_counter(); n = 0\n"
        "rows = exporting.export_rows(Incident.objects.all(), internal=False)\n"
        "for chunk in exporting.csv_stream(rows):\n"
        "    n += 1\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(n - 2, round(time.perf_counter() - start, 1), int(peak) // 1024)"
    )
    # ru_maxrss survives exec (it would report this process's peak): read VmHWM instead.
    baseline = (
        "import os, sys; sys.path.insert(0, '.'); "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "import django; django.setup(); from victims import exporting\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(int(peak) // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout.split()
    idle = subprocess.run(
        [sys.executable, "-c", baseline],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout.strip()
    print(
        f"export of {int(out[0]):,} incidents ({Casualty.objects.count():,} casualties) as "
        f"streamed CSV: {out[1]} s, peak RSS {out[2]} MB (an idle Django process: {idle} MB)"
    )


if __name__ == "__main__":
    main()
