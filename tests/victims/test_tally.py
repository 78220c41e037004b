"""The register's tally (victims/tally.py, kept by PostgreSQL's triggers): whatever changes
the register, and however, the public figures read from the tally are those of the register
counted afresh, on the next request. On SQLite the tally stays empty and the figures are
counted from the register itself: the same assertions hold there through that path."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory
from victims import counting, tally
from victims.api.tables import public_area_codes
from victims.choices import (
    Activity,
    AgeGroup,
    DatePrecision,
    DeviceCategory,
    Outcome,
    Sex,
    Status,
    Verification,
    YesNoUnknown,
)
from victims.counting import (
    DIMENSIONS,
    INCIDENT_CONDITIONS,
    MONTH_OR_UNKNOWN,
    PAGE_GROUPINGS,
    condition_filters,
    counts_and_keys,
    grouped_public,
    public_incident_counts,
)
from victims.figures import available_years
from victims.models import Casualty, Incident, Tally

pytestmark = pytest.mark.django_db

VALUES = {
    "outcome": Outcome.values,
    "status": Status.values,
    "sex": Sex.values,
    "age_group": AgeGroup.values,
    "verification": Verification.values,
    "date_precision": DatePrecision.values,
    "device_category": DeviceCategory.values,
    "activity": Activity.values,
    "outside_contact_line": YesNoUnknown.values,
    "inside_mapped_area": YesNoUnknown.values,
}
CASUALTY_FIELDS = ["outcome", "status", "sex", "age_group"]
INCIDENT_FIELDS = [
    "verification",
    "date_precision",
    "device_category",
    "activity",
    "outside_contact_line",
    "inside_mapped_area",
    "occurred_on",
    "area",
    "record_key",
]
# Incidents made with an id of their own (a casualty recorded before its incident), far above
# any the sequence gives in a test.
OWN_IDS = 50_000_000


def casualty_values(rng: random.Random) -> dict:
    outcome = rng.choice(VALUES["outcome"])
    return {
        "outcome": outcome,
        "injury": "",
        "status": rng.choice(VALUES["status"]),
        "sex": rng.choice(VALUES["sex"]),
        "age_group": rng.choice(VALUES["age_group"]),
        "record_key": rng.randrange(256),
    }


def incident_value(rng: random.Random, field: str, areas: list):
    if field == "occurred_on":
        return datetime.date(rng.choice([2019, 2020, 2024]), rng.randint(1, 12), rng.randint(1, 28))
    if field == "area":
        return rng.choice(areas)
    if field == "record_key":
        return rng.randrange(256)
    return rng.choice(VALUES[field])


def incident_values(rng: random.Random, areas: list) -> dict:
    return {field: incident_value(rng, field, areas) for field in INCIDENT_FIELDS}


def add_incident(rng, areas):
    incident = IncidentFactory(**incident_values(rng, areas))
    Casualty.objects.bulk_create(
        Casualty(incident=incident, **casualty_values(rng)) for _ in range(rng.randrange(4))
    )


def edit_casualty(rng, areas):
    casualty = any_of(rng, Casualty)
    if casualty:
        field = rng.choice(CASUALTY_FIELDS)
        setattr(casualty, field, rng.choice(VALUES[field]))
        casualty.injury = ""
        casualty.save()


def update_casualties(rng, areas):
    ids = list(Casualty.objects.values_list("id", flat=True))
    field = rng.choice(CASUALTY_FIELDS)
    chosen = rng.sample(ids, min(len(ids), rng.randint(1, 6)))
    Casualty.objects.filter(pk__in=chosen).update(**{field: rng.choice(VALUES[field])})


def move_casualty(rng, areas):
    casualty = any_of(rng, Casualty)
    incident = any_of(rng, Incident)
    if casualty and incident:
        casualty.incident = incident
        casualty.save()


def edit_incident(rng, areas):
    incident = any_of(rng, Incident)
    if incident:
        field = rng.choice(INCIDENT_FIELDS)
        setattr(incident, field, incident_value(rng, field, areas))
        incident.save()


def update_incidents(rng, areas):
    ids = list(Incident.objects.values_list("id", flat=True))
    chosen = rng.sample(ids, min(len(ids), rng.randint(1, 4)))
    values = incident_values(rng, areas)
    changed = {field: values[field] for field in rng.sample(INCIDENT_FIELDS, 2)}
    Incident.objects.filter(pk__in=chosen).update(**changed)


def touch_incidents(rng, areas):
    """A save that changes nothing counted (the admin's Save on an unchanged incident)."""
    Incident.objects.update(updated_at=F("updated_at"))
    incident = any_of(rng, Incident)
    if incident:
        incident.save()


def delete_casualty(rng, areas):
    casualty = any_of(rng, Casualty)
    if casualty:
        casualty.delete()


def delete_incident(rng, areas):
    incident = any_of(rng, Incident)
    if incident:
        incident.delete()  # its casualties first, as Django deletes


def delete_incident_before_its_casualties(rng, areas):
    """As SQL may: the incident first, its casualties later in the same transaction (foreign
    keys are checked at commit)."""
    incident = any_of(rng, Incident)
    if incident:
        with transaction.atomic():
            Incident.objects.filter(pk=incident.pk)._raw_delete(connection.alias)
            Casualty.objects.filter(incident_id=incident.pk)._raw_delete(connection.alias)


def casualty_before_its_incident(rng, areas):
    """A casualty recorded before its incident, in one transaction."""
    own_id = OWN_IDS + rng.randrange(10**6)
    if Incident.objects.filter(pk=own_id).exists():
        return
    with transaction.atomic():
        Casualty.objects.create(incident_id=own_id, **casualty_values(rng))
        IncidentFactory(id=own_id, **incident_values(rng, areas))


def both_tables_in_one_statement(rng, areas):
    """As SQL may: an incident and its casualties inserted, updated or deleted by one
    statement (data-modifying WITH), whose triggers all run at its end. SQLite has no such
    statements: there, the same two changes in one transaction."""
    incident = any_of(rng, Incident)
    kind = rng.choice(["insert", "update", "delete"])
    new = incident_values(rng, areas)
    casualty = casualty_values(rng)
    if kind == "insert":
        if connection.vendor != "postgresql":
            with transaction.atomic():
                made = IncidentFactory(**new)
                Casualty.objects.create(incident=made, **casualty)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH i AS (INSERT INTO victims_incident (reference, occurred_on, "
                "date_precision, area_id, place_type, outside_contact_line, inside_mapped_area, "
                "device_category, activity, source_type, source_reference, internal_note, "
                "verification, record_key, created_at, updated_at) VALUES (%s, %s, %s, %s, "
                "'unknown', %s, %s, %s, %s, 'official', '', '', %s, %s, now(), now()) "
                "RETURNING id) INSERT INTO victims_casualty (incident_id, outcome, status, sex, "
                "age_group, injury, displacement, record_key) "
                "SELECT i.id, %s, %s, %s, %s, '', 'unknown', %s FROM i",
                [
                    f"T-SQL-{rng.randrange(10**9)}",
                    new["occurred_on"],
                    new["date_precision"],
                    new["area"].pk,
                    new["outside_contact_line"],
                    new["inside_mapped_area"],
                    new["device_category"],
                    new["activity"],
                    new["verification"],
                    new["record_key"],
                    casualty["outcome"],
                    casualty["status"],
                    casualty["sex"],
                    casualty["age_group"],
                    casualty["record_key"],
                ],
            )
        return
    if incident is None:
        return
    if kind == "update":
        if connection.vendor != "postgresql":
            with transaction.atomic():
                Incident.objects.filter(pk=incident.pk).update(
                    verification=new["verification"], occurred_on=new["occurred_on"]
                )
                Casualty.objects.filter(incident=incident).update(outcome=casualty["outcome"])
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH i AS (UPDATE victims_incident SET verification = %s, occurred_on = %s "
                "WHERE id = %s) UPDATE victims_casualty SET outcome = %s, injury = '' "
                "WHERE incident_id = %s",
                [
                    new["verification"],
                    new["occurred_on"],
                    incident.pk,
                    casualty["outcome"],
                    incident.pk,
                ],
            )
        return
    if connection.vendor != "postgresql":
        with transaction.atomic():
            Casualty.objects.filter(incident_id=incident.pk)._raw_delete(connection.alias)
            Incident.objects.filter(pk=incident.pk)._raw_delete(connection.alias)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH c AS (DELETE FROM victims_casualty WHERE incident_id = %s) "
            "DELETE FROM victims_incident WHERE id = %s",
            [incident.pk, incident.pk],
        )


def any_of(rng: random.Random, model):
    """One row of the model chosen by the example's seed (reproducible, unlike ORDER BY
    random()), or None."""
    ids = sorted(model.objects.values_list("id", flat=True))
    return model.objects.get(pk=rng.choice(ids)) if ids else None


OPERATIONS = [
    add_incident,
    edit_casualty,
    update_casualties,
    move_casualty,
    edit_incident,
    update_incidents,
    touch_incidents,
    delete_casualty,
    delete_incident,
    delete_incident_before_its_casualties,
    casualty_before_its_incident,
    both_tables_in_one_statement,
]


def counted_afresh(grouping: str) -> dict:
    """One of PAGE_GROUPINGS counted from the register by the ORM, keyed as grouped_public
    keys it."""
    public = counting.public_casualties()
    if not grouping:
        everyone = public.aggregate(n=Count("id"), keys=Sum("record_key"))
        return {(): (everyone["n"], everyone["keys"] or 0)}
    expressions = {**DIMENSIONS, "month": MONTH_OR_UNKNOWN}
    names = grouping.split(",")
    fields = {
        f"d{index}": F(expression) if isinstance(expression, str) else expression
        for index, expression in enumerate(expressions[name] for name in names)
    }
    found = {}
    for row in public.values(**fields).annotate(n=Count("id"), keys=Sum("record_key")).order_by():
        key = tuple(str(row[f"d{index}"]) for index in range(len(names)))
        found[key if len(key) != 1 else (key[0], "all")] = (row["n"], row["keys"] or 0)
    return found


def assert_figures_are_the_registers():
    for grouping in PAGE_GROUPINGS:
        assert grouped_public(grouping) == counted_afresh(grouping), grouping
    for start, end in [(None, None), (2019, 2019), (2020, 2024), (2021, 2023)]:
        incidents = Incident.objects.public()
        if start is not None:
            incidents = incidents.filter(occurred_on__year__gte=start, occurred_on__year__lte=end)
        expected = counts_and_keys(incidents, condition_filters(INCIDENT_CONDITIONS))
        assert public_incident_counts(start, end) == expected, (start, end)
    years = Incident.objects.public().dates("occurred_on", "year", order="DESC")
    assert available_years() == [day.year for day in years]
    districts = Incident.objects.public().values_list("area__code", flat=True)
    assert public_area_codes() == sorted(set(districts))
    if tally.in_use():
        assert tally.differences() == []
        assert tally.miscounted() == 0
    else:
        assert not Tally.objects.exists()


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 2**32)), min_size=1, max_size=12
    )
)
def test_the_figures_are_the_registers_after_any_change_made_any_way(steps):
    """Random sequences of changes, through the models, bulk updates and deletions, and
    in the orders SQL allows: after each, every figure of the casualty page and the API
    equals the register counted afresh (on PostgreSQL, read from the tally, which also
    agrees row for row with the register counted afresh)."""
    areas = [AreaFactory(code="AZ-T90"), AreaFactory(code="AZ-T91"), AreaFactory(code="AZ-T92")]
    for operation, seed in steps:
        operation(random.Random(seed), areas)
        assert_figures_are_the_registers()


def test_a_bulk_import_is_tallied_and_its_removal_leaves_nothing():
    """Thousands of casualties in one statement (as the import and generate_casualties
    write them) are counted in; removed again, every count is back at nothing."""
    rng = random.Random(7)
    areas = [AreaFactory(code="AZ-T93"), AreaFactory(code="AZ-T94")]
    incidents = [IncidentFactory(**incident_values(rng, areas)) for _ in range(40)]
    Casualty.objects.bulk_create(
        Casualty(incident=rng.choice(incidents), **casualty_values(rng)) for _ in range(3000)
    )
    assert_figures_are_the_registers()
    assert grouped_public("")[()][0] == counting.public_casualties().count() > 1000

    Incident.objects.all().delete()
    assert_figures_are_the_registers()
    assert grouped_public("") == {(): (0, 0)}
    if tally.in_use():
        assert not Tally.objects.exclude(count=0).exists()


def test_the_cold_casualty_page_reads_the_tally_not_every_casualty(client):
    """On PostgreSQL the first view after a change reads the tally: no query counts the
    casualties, and the page takes a handful of queries."""
    incident = IncidentFactory(occurred_on=datetime.date(2024, 4, 4))
    for _ in range(12):
        CasualtyFactory(incident=incident, outcome="killed")
    CasualtyFactory(incident=incident).delete()  # a change: the register's version moves

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/casualties/")
    assert response.status_code == 200
    casualty_table = Casualty._meta.db_table
    counted = [query["sql"] for query in queries if casualty_table in query["sql"]]
    if tally.in_use():
        assert counted == []
        assert len(queries) <= 8
    else:
        assert counted  # SQLite counts the register itself


def test_the_command_finds_a_tally_that_drifted_and_rebuilds_it(capsys):
    """`manage.py register_tally check` names every row where the tally and the register
    disagree (after triggers were switched off, say), and `rebuild` counts it afresh."""
    incident = IncidentFactory(occurred_on=datetime.date(2024, 4, 4), verification="verified")
    for _ in range(6):
        CasualtyFactory(incident=incident, outcome="killed", record_key=3)
    if not tally.in_use():
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("register_tally", "check")
        return

    call_command("register_tally", "check")
    assert "agrees" in capsys.readouterr().out
    before = grouped_public("year,outcome")
    assert before[("2024", "killed")] == (6, 18)

    Tally.objects.filter(counted="sex", verification="verified", key="male").update(
        count=F("count") + 2
    )
    with pytest.raises(CommandError, match="differs from the register in 1 row"):
        call_command("register_tally", "check")
    assert "sex / verified / male: 8 in the tally, 6 in the register" in capsys.readouterr().out

    call_command("register_tally", "rebuild")
    call_command("register_tally", "check")
    assert "agrees" in capsys.readouterr().out
    assert grouped_public("sex")[("male", "all")] == (6, 18)


def test_a_count_below_zero_is_refused_by_the_database():
    """The tally can never hold a negative count: a subtraction from a tally that lost
    rows fails the change instead of publishing wrong figures."""
    incident = IncidentFactory(verification="verified")
    casualty = CasualtyFactory(incident=incident)
    if not tally.in_use():
        assert not Tally.objects.exists()
        return
    Tally.objects.filter(counted="sex").delete()
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="tally_never_below_zero"), transaction.atomic():
        casualty.delete()
    assert Casualty.objects.filter(pk=casualty.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_the_register_recorded_before_it():
    """A register recorded before the tally existed is counted into it when the migration
    runs: the figures after the upgrade are the register's."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("victims", "0006_snapshots")]
    call_command("migrate", "victims", "0006_snapshots", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    area = old.get_model("victims", "Area").objects.create(code="AZ-T95", name="District")
    OldIncident = old.get_model("victims", "Incident")
    OldCasualty = old.get_model("victims", "Casualty")
    for number, (day, verification) in enumerate(
        [(datetime.date(2024, 4, 4), "verified"), (datetime.date(2023, 1, 9), "contested")]
    ):
        incident = OldIncident.objects.create(
            reference=f"T-{number}",
            occurred_on=day,
            area=area,
            source_type="official",
            verification=verification,
            record_key=5,
        )
        for _ in range(3):
            OldCasualty.objects.create(incident=incident, outcome="killed", record_key=3)

    call_command("migrate", "victims", verbosity=0)

    assert grouped_public("year,outcome") == {("2024", "killed"): (3, 9)}
    assert public_incident_counts(None, None)["incidents"] == 1
    assert_figures_are_the_registers()
    assert Tally.objects.exists() == tally.in_use()
