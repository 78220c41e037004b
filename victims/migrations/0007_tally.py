"""The register's tally (victims.models.Tally), kept by PostgreSQL in the transaction of every
change to an incident or casualty, whoever makes it: the site, a bulk `QuerySet.update()`,
an import, SQL in psql.

One trigger per statement and event, with the statement's transition tables (PostgreSQL
allows them on a trigger of one event only): a bulk insert of 10,000 casualties is one
update of the tally. Counts are signed rows (+1 for a record as counted now, -1 for one as
counted before, with its record key) added to the tally's rows (or as new rows).

Casualties: victims_countedcasualty (CountedCasualty) holds what each casualty is counted as
(its incident's values and its own). A trigger does not trust the other table to be as it
was before its statement (one statement can change both: `WITH i AS (INSERT INTO
victims_incident ...) INSERT INTO victims_casualty ...`, and every trigger then runs at its
end). It names the casualties it touched, and `victims_tally_reconcile(ids)` brings each
from what it was counted as to what it is now:

* a casualty's insert, update or deletion: that casualty (an update, only when a counted
  column changed);
* an incident's insert, update (of a counted column) or deletion: the casualties counted
  with it and those pointing to it now;
* a casualty whose incident does not exist (yet, or any more: foreign keys are checked at
  commit) is not counted.

Whichever trigger runs first, each casualty ends up counted once, as it is. Incidents'
own counts (by year and place, by district) depend on the incident alone, and come from
its transition tables.

The triggers are named after pagecache's `<table>_public_version` (0002), and PostgreSQL runs
a table's triggers by name: every register change first takes the lock on the register's
version row, so two changes never take the tally's rows in opposite orders.

TRUNCATE of the incidents or the casualties rebuilds the tally from the register.
`victims_tally_expected()` is the tally counted from scratch: victims/tally.py checks the
tally against it, and rebuilds from it. SQLite: the tables only, left empty (see Tally).
"""

from django.db import migrations, models

# What each counted set is keyed by: the casualties' sets, then the incidents'.
CASUALTY_SETS = {
    "year,month,outcome,status": ("year", "month", "outcome", "status"),
    "area,outcome": ("area", "outcome"),
    "device_category": ("device_category",),
    "activity": ("activity",),
    "status,age_group": ("status", "age_group"),
    "sex": ("sex",),
}
INCIDENT_SETS = {
    "incidents": ("year", "outside_contact_line", "inside_mapped_area"),
    "incident_areas": ("area",),
}

# The columns whose change moves a count.
CASUALTY_COLUMNS = "id, incident_id, outcome, status, age_group, sex, record_key"
INCIDENT_COLUMNS = (
    "id, verification, occurred_on, date_precision, area_id, device_category, activity, "
    "outside_contact_line, inside_mapped_area, record_key"
)


def casualty_rows(casualties: str, incidents: str, sign: int) -> str:
    return f"""
    SELECT i.verification,
           EXTRACT(YEAR FROM i.occurred_on)::integer::text AS year,
           CASE WHEN i.date_precision = 'year' THEN 'unknown'
                ELSE EXTRACT(MONTH FROM i.occurred_on)::integer::text END AS month,
           i.area_id::text AS area, c.outcome, c.status, c.age_group, c.sex,
           i.device_category, i.activity,
           {sign} AS n, {sign} * c.record_key AS k
    FROM {casualties} c JOIN {incidents} i ON i.id = c.incident_id"""


def incident_rows(incidents: str, sign: int) -> str:
    return f"""
    SELECT verification, EXTRACT(YEAR FROM occurred_on)::integer::text AS year,
           area_id::text AS area, outside_contact_line, inside_mapped_area,
           {sign} AS n, {sign} * record_key AS k
    FROM {incidents} AS src"""


def keyed(source: str, sets: dict[str, tuple[str, ...]]) -> list[str]:
    return [
        f"SELECT '{name}' AS counted, verification, concat_ws('|', {', '.join(columns)}) AS key, "
        f"n, k FROM {source}"
        for name, columns in sets.items()
    ]


def signed(casualty_deltas: list[str], incident_deltas: list[str]) -> str:
    """The tally's rows for signed casualty and incident rows: counted, verification, key,
    count, keys (rows that add up to nothing left out)."""
    ctes = []
    parts = []
    if casualty_deltas:
        ctes.append("c_rows AS (" + " UNION ALL ".join(casualty_deltas) + ")")
        parts += keyed("c_rows", CASUALTY_SETS)
    if incident_deltas:
        ctes.append("i_rows AS (" + " UNION ALL ".join(incident_deltas) + ")")
        parts += keyed("i_rows", INCIDENT_SETS)
    return (
        "WITH " + ", ".join(ctes) + " SELECT counted, verification, key, "
        "SUM(n)::bigint AS count, SUM(k)::bigint AS keys FROM ("
        + " UNION ALL ".join(parts)
        + ") AS t GROUP BY counted, verification, key HAVING SUM(n) <> 0 OR SUM(k) <> 0"
    )


def apply(select: str) -> str:
    """Adds the rows of `select` to the tally: to its rows of the same key, then as new rows
    (an INSERT ... ON CONFLICT would check the negative counts it is given against
    tally_never_below_zero before finding the row they would be added to)."""
    return (
        f"WITH s AS ({select}), "
        "added AS (UPDATE victims_tally t SET count = t.count + s.count, keys = t.keys + s.keys "
        "FROM s WHERE (t.counted, t.verification, t.key) = (s.counted, s.verification, s.key) "
        "RETURNING t.counted, t.verification, t.key) "
        "INSERT INTO victims_tally (counted, verification, key, count, keys) "
        "SELECT * FROM s WHERE NOT EXISTS (SELECT 1 FROM added a "
        "WHERE (a.counted, a.verification, a.key) = (s.counted, s.verification, s.key))"
    )


def changed(rows: str, other: str, columns: str) -> str:
    """The rows of one transition table with no identical row in the other."""
    return (
        f"(SELECT * FROM {rows} r WHERE NOT EXISTS (SELECT 1 FROM {other} x "
        f"WHERE x.id = r.id AND ({', '.join('x.' + c.strip() for c in columns.split(','))}) "
        f"IS NOT DISTINCT FROM ({', '.join('r.' + c.strip() for c in columns.split(','))})))"
    )


def function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body};\nRETURN NULL;\nEND\n$$"
    )


# Each casualty as the tally counts it now (the rows of victims_countedcasualty), for the
# casualties whose ids are in `ids`, or all of them.
COUNTED_COLUMNS = (
    "casualty_id, incident_id, verification, year, month, area, outcome, status, age_group, "
    "sex, device_category, activity, record_key"
)
KEY_COLUMNS = (
    "verification, year, month, area, outcome, status, age_group, sex, device_category, activity"
)


def counted_now(where: str) -> str:
    return f"""
    SELECT c.id AS casualty_id, c.incident_id, i.verification,
           EXTRACT(YEAR FROM i.occurred_on)::integer::text AS year,
           CASE WHEN i.date_precision = 'year' THEN 'unknown'
                ELSE EXTRACT(MONTH FROM i.occurred_on)::integer::text END AS month,
           i.area_id::text AS area, c.outcome, c.status, c.age_group, c.sex,
           i.device_category, i.activity, c.record_key
    FROM victims_casualty c JOIN victims_incident i ON i.id = c.incident_id {where}"""


# Brings the casualties whose ids are given from what they were counted as to what they are
# now: the one place that changes the casualties' counts. Whichever table a statement changed
# first, or both, each casualty it touched ends up counted once, as it is at the end.
RECONCILE = (
    "CREATE OR REPLACE FUNCTION victims_tally_reconcile(ids bigint[]) RETURNS void "
    "LANGUAGE plpgsql AS $$\nBEGIN\n"
    "IF cardinality(ids) = 0 THEN RETURN; END IF;\n"
    + apply(
        signed(
            [
                f"SELECT {KEY_COLUMNS}, 1 AS n, record_key AS k "
                f"FROM ({counted_now('WHERE c.id = ANY(ids)')}) AS now_counted",
                f"SELECT {KEY_COLUMNS}, -1 AS n, -record_key AS k "
                "FROM victims_countedcasualty WHERE casualty_id = ANY(ids)",
            ],
            [],
        )
    )
    + ";\nDELETE FROM victims_countedcasualty WHERE casualty_id = ANY(ids);\n"
    f"INSERT INTO victims_countedcasualty ({COUNTED_COLUMNS}) "
    f"{counted_now('WHERE c.id = ANY(ids)')};\n"
    "END\n$$"
)


def reconcile(ids: str) -> str:
    return f"PERFORM victims_tally_reconcile(ARRAY({ids}))"


def of_incidents(incident_ids: str) -> str:
    """The casualties counted with, or now pointing to, the given incidents."""
    return (
        f"SELECT casualty_id FROM victims_countedcasualty WHERE incident_id IN ({incident_ids}) "
        f"UNION SELECT id FROM victims_casualty WHERE incident_id IN ({incident_ids})"
    )


def changed_ids(columns: str) -> str:
    return (
        f"SELECT id FROM {changed('old_rows', 'new_rows', columns)} AS o "
        f"UNION SELECT id FROM {changed('new_rows', 'old_rows', columns)} AS n"
    )


FUNCTIONS = {
    "victims_tally_casualty_insert": reconcile("SELECT id FROM new_rows"),
    "victims_tally_casualty_delete": reconcile("SELECT id FROM old_rows"),
    "victims_tally_casualty_update": reconcile(changed_ids(CASUALTY_COLUMNS)),
    "victims_tally_incident_insert": ";\n".join(
        [
            reconcile(of_incidents("SELECT id FROM new_rows")),
            apply(signed([], [incident_rows("new_rows", 1)])),
        ]
    ),
    "victims_tally_incident_delete": ";\n".join(
        [
            reconcile(of_incidents("SELECT id FROM old_rows")),
            apply(signed([], [incident_rows("old_rows", -1)])),
        ]
    ),
    "victims_tally_incident_update": ";\n".join(
        [
            reconcile(of_incidents(changed_ids(INCIDENT_COLUMNS))),
            apply(
                signed(
                    [],
                    [
                        incident_rows(changed("old_rows", "new_rows", INCIDENT_COLUMNS), -1),
                        incident_rows(changed("new_rows", "old_rows", INCIDENT_COLUMNS), 1),
                    ],
                )
            ),
        ]
    ),
    "victims_tally_rebuild_trigger": "PERFORM victims_tally_rebuild()",
}

EXPECTED = (
    "CREATE OR REPLACE FUNCTION victims_tally_expected() "
    "RETURNS TABLE (counted text, verification text, key text, count bigint, keys bigint) "
    "LANGUAGE sql STABLE AS $$ "
    + signed(
        [casualty_rows("victims_casualty", "victims_incident", 1)],
        [incident_rows("victims_incident", 1)],
    )
    + " $$"
)
REBUILD = (
    "CREATE OR REPLACE FUNCTION victims_tally_rebuild() RETURNS void LANGUAGE sql AS $$ "
    "DELETE FROM victims_tally; "
    "DELETE FROM victims_countedcasualty; "
    f"INSERT INTO victims_countedcasualty ({COUNTED_COLUMNS}) {counted_now('')}; "
    "INSERT INTO victims_tally (counted, verification, key, count, keys) "
    "SELECT * FROM victims_tally_expected(); $$"
)

TRIGGERS = [
    (table, event)
    for table in ("victims_casualty", "victims_incident")
    for event in ("insert", "update", "delete")
]
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(RECONCILE)
    for name, body in FUNCTIONS.items():
        schema_editor.execute(function(name, body))
    schema_editor.execute(EXPECTED)
    schema_editor.execute(REBUILD)
    for table, event in TRIGGERS:
        kind = table.removeprefix("victims_")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_tally_{event} AFTER {event.upper()} ON {table} "
            f"{TRANSITIONS[event]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION victims_tally_{kind}_{event}()"
        )
        if event == "delete":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_tally_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION victims_tally_rebuild_trigger()"
            )
    schema_editor.execute("SELECT victims_tally_rebuild()")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, event in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_tally_{event} ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_tally_truncate ON {table}")
    for name in FUNCTIONS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    schema_editor.execute("DROP FUNCTION IF EXISTS victims_tally_rebuild()")
    schema_editor.execute("DROP FUNCTION IF EXISTS victims_tally_expected()")
    schema_editor.execute("DROP FUNCTION IF EXISTS victims_tally_reconcile(bigint[])")


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0006_snapshots"),
        ("pagecache", "0002_register_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("counted", models.CharField(max_length=40)),
                ("verification", models.CharField(max_length=10)),
                ("key", models.CharField(max_length=120)),
                ("count", models.BigIntegerField()),
                ("keys", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("counted", "verification", "key"), name="tally_one_row_per_key"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("count__gte", 0), ("keys__gte", 0)),
                        name="tally_never_below_zero",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CountedCasualty",
            fields=[
                ("casualty_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("incident_id", models.BigIntegerField(db_index=True)),
                ("verification", models.CharField(max_length=10)),
                ("year", models.CharField(max_length=4)),
                ("month", models.CharField(max_length=7)),
                ("area", models.CharField(max_length=20)),
                ("outcome", models.CharField(max_length=8)),
                ("status", models.CharField(max_length=10)),
                ("age_group", models.CharField(max_length=10)),
                ("sex", models.CharField(max_length=8)),
                ("device_category", models.CharField(max_length=24)),
                ("activity", models.CharField(max_length=24)),
                ("record_key", models.SmallIntegerField()),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
