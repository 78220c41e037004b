"""The register's tally (victims.models.Tally): its counts read for the public figures,
checked against the register, and rebuilt.

PostgreSQL keeps the tally in the transaction of every change to an incident or casualty
(triggers: victims/migrations/0007_tally.py), so reading it is reading the register: the
casualty page's counts over 100,000 casualties are read from about 3,000 rows in a few
milliseconds, where counting them took 100-280 ms on every first view after a change. On
SQLite (no statement triggers) the tally stays empty and is never read: `in_use()`.
"""

from django.conf import settings
from django.db import connection, transaction

from pagecache import versions
from pagecache.models import Surface
from victims.models import Tally

# (counted set, the values of its key) -> (count, sum of record keys).
Tallied = dict[str, dict[tuple[str, ...], tuple[int, int]]]

_READ = (
    f"SELECT counted, key, SUM(count), SUM(keys) FROM {Tally._meta.db_table} "  # noqa: S608
    "WHERE verification = ANY(%s) GROUP BY counted, key HAVING SUM(count) > 0"
)
# Rows of the tally and of the register counted afresh that differ (rows of nothing count
# as no row: a key whose records are all gone keeps its row, at 0).
_DIFFERENCES = f"""
SELECT counted, verification, key, SUM(count) AS tallied, SUM(expected) AS counted_now FROM (
    SELECT counted, verification, key, count, keys, 0 AS expected, 0 AS expected_keys
    FROM {Tally._meta.db_table}
    UNION ALL
    SELECT counted, verification, key, 0, 0, count, keys FROM victims_tally_expected()
) AS both_sides
GROUP BY counted, verification, key
HAVING SUM(count) <> SUM(expected) OR SUM(keys) <> SUM(expected_keys)
ORDER BY counted, verification, key
"""  # noqa: S608


def in_use() -> bool:
    """Whether the database keeps the tally (PostgreSQL)."""
    return connection.vendor == "postgresql"


def read() -> Tallied:
    """The public register's counts by every counted set: only incidents whose verification
    counts (CASUALTY_PUBLIC_VERIFICATION), summed over those verifications."""
    found: Tallied = {}
    with connection.cursor() as cursor:
        cursor.execute(_READ, [list(settings.CASUALTY_PUBLIC_VERIFICATION)])
        for counted, key, count, keys in cursor.fetchall():
            found.setdefault(counted, {})[tuple(key.split("|"))] = (int(count), int(keys))
    return found


def differences() -> list[tuple[str, str, str, int, int]]:
    """Where the tally and the register counted afresh disagree: (counted, verification,
    key, count in the tally, count in the register); none when the triggers did their work."""
    with connection.cursor() as cursor:
        cursor.execute(_DIFFERENCES)
        return [
            (counted, verification, key, int(tallied), int(now))
            for counted, verification, key, tallied, now in cursor.fetchall()
        ]


# Casualties counted otherwise than they are (victims_countedcasualty against the register):
# any row of either side without its match on the other.
_MISCOUNTED = """
SELECT count(*) FROM (
    (SELECT c.id, c.incident_id, i.verification, EXTRACT(YEAR FROM i.occurred_on)::integer::text,
            CASE WHEN i.date_precision = 'year' THEN 'unknown'
                 ELSE EXTRACT(MONTH FROM i.occurred_on)::integer::text END,
            i.area_id::text, c.outcome, c.status, c.age_group, c.sex, i.device_category,
            i.activity, c.record_key
     FROM victims_casualty c JOIN victims_incident i ON i.id = c.incident_id
     EXCEPT ALL
     SELECT casualty_id, incident_id, verification, year, month, area, outcome, status,
            age_group, sex, device_category, activity, record_key
     FROM victims_countedcasualty)
    UNION ALL
    (SELECT casualty_id, incident_id, verification, year, month, area, outcome, status,
            age_group, sex, device_category, activity, record_key
     FROM victims_countedcasualty
     EXCEPT ALL
     SELECT c.id, c.incident_id, i.verification, EXTRACT(YEAR FROM i.occurred_on)::integer::text,
            CASE WHEN i.date_precision = 'year' THEN 'unknown'
                 ELSE EXTRACT(MONTH FROM i.occurred_on)::integer::text END,
            i.area_id::text, c.outcome, c.status, c.age_group, c.sex, i.device_category,
            i.activity, c.record_key
     FROM victims_casualty c JOIN victims_incident i ON i.id = c.incident_id)
) AS either_side
"""


def miscounted() -> int:
    """How many casualties the tally holds otherwise than the register does (0 when the
    triggers did their work)."""
    with connection.cursor() as cursor:
        cursor.execute(_MISCOUNTED)
        return int(cursor.fetchone()[0])


def rebuild() -> None:
    """Counts the tally afresh from the register, in one transaction (to repair it after
    the triggers were switched off, e.g. by `session_replication_role = replica`), and
    raises the register's version: cached figures are counted again."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The register's version row first: a change in progress holds it (its triggers
        # raised it) until it commits, so the tally is counted after it, never beside it.
        versions.bump(Surface.REGISTER)
        cursor.execute("SELECT victims_tally_rebuild()")
