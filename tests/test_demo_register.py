"""The demonstration register (demo/register.py): its true counts are the 4 April 2024
statement's figures, with room for the disclosure control's perturbation of ±4."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Q

from demo.register import (
    LAST_YEAR,
    PERIOD,
    PERIOD_FIGURES,
    SECOND_PERIOD,
    SECOND_PERIOD_FIGURES,
    MissingGazetteer,
    build_demo_register,
)
from victims.models import Casualty, Incident

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)
AFTER = (date(2024, 4, 5), TODAY)
FIRST_YEAR_AFTER = (date(2024, 4, 5), date(2025, 4, 4))
MARGIN = 4


@pytest.fixture
def register():
    call_command("load_areas", "AZ", verbosity=0)
    build_demo_register(TODAY)


def public_casualties(period):
    return Casualty.objects.filter(
        incident__in=Incident.objects.public(), incident__occurred_on__range=period
    )


def figures(period) -> dict[str, int]:
    killed = Q(outcome="killed")
    return public_casualties(period).aggregate(
        casualties=Count("pk"),
        killed=Count("pk", filter=killed),
        injured=Count("pk", filter=Q(outcome="injured")),
        killed_civilian=Count("pk", filter=killed & Q(status="civilian")),
        killed_military=Count("pk", filter=killed & Q(status="military")),
        killed_deminer=Count("pk", filter=killed & Q(status="deminer")),
    )


def shares(incidents, field: str, answer: str) -> tuple[int, int]:
    """(incidents whose `field` is `answer`, incidents whose `field` is known)."""
    known = incidents.exclude(**{field: "unknown"})
    return known.filter(**{field: answer}).count(), known.count()


def test_the_period_holds_the_statement_figures_exactly(register):
    counted = figures(PERIOD)
    assert (
        {key: counted[key] for key in PERIOD_FIGURES}
        == PERIOD_FIGURES
        == {
            "casualties": 350,
            "killed": 65,
            "killed_civilian": 50,
            "killed_military": 15,
        }
    )
    assert counted["injured"] == 285
    period = public_casualties(PERIOD)
    assert not period.filter(outcome="unknown").exists()
    assert not period.filter(outcome="killed", status__in=["deminer", "unknown"]).exists()
    injured = period.filter(outcome="injured")
    statuses = dict(injured.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == {"civilian", "military", "deminer", "unknown"}
    assert statuses["unknown"] < 10


def test_most_recent_incidents_were_outside_the_mapped_areas(register):
    last_year = Incident.objects.public().filter(occurred_on__range=LAST_YEAR)
    outside, known = shares(last_year, "inside_mapped_area", "no")
    assert known >= 45
    assert outside / known >= 0.7
    assert (outside - MARGIN) / (known + MARGIN) > 0.55


def test_most_incidents_were_outside_the_former_contact_line(register):
    period = Incident.objects.public().filter(occurred_on__range=PERIOD)
    outside, known = shares(period, "outside_contact_line", "yes")
    assert outside / known >= 0.65
    assert (outside - MARGIN) / (known + MARGIN) > 0.5


def test_lachin_and_kalbajar_hold_at_least_20_casualties_and_the_rest_are_spread(register):
    from victims.management.commands.generate_casualties import AFFECTED

    by_district = dict(
        public_casualties(PERIOD).values_list("incident__area__code").annotate(n=Count("pk"))
    )
    assert by_district["AZ-LAC"] >= 20
    assert by_district["AZ-KAL"] >= 20
    assert set(by_district) <= set(AFFECTED)
    assert len(by_district) >= 10


def test_non_public_incidents_with_casualties_are_in_the_period_too(register):
    hidden = Casualty.objects.filter(incident__occurred_on__range=PERIOD).exclude(
        incident__in=Incident.objects.public()
    )
    assert set(hidden.values_list("incident__verification", flat=True)) == {
        "contested",
        "discounted",
    }
    assert Incident.objects.filter(occurred_on__range=PERIOD).count() > (
        Incident.objects.public().filter(occurred_on__range=PERIOD).count()
    )


def test_every_incident_is_synthetic_and_plausible(register):
    incidents = Incident.objects.annotate(n=Count("casualties"))
    assert set(incidents.values_list("source_type", flat=True)) == {"synthetic"}
    assert {incident.n for incident in incidents} == {1, 2, 3}
    precisions = set(incidents.values_list("date_precision", flat=True))
    assert precisions == {"day", "month", "year"}
    assert incidents.filter(occurred_on__range=PERIOD).count() > 200
    years = set(incidents.filter(occurred_on__range=PERIOD).values_list("occurred_on__year"))
    assert years == {(2020,), (2021,), (2022,), (2023,), (2024,)}
    casualties = Casualty.objects.all()
    assert casualties.filter(sex="female").exists()
    assert casualties.filter(age_group__in=["0-4", "5-11", "12-17"]).exists()
    assert not casualties.filter(outcome="killed").exclude(injury="").exists()
    assert not casualties.filter(outcome="injured", injury="").exists()
    assert incidents.values("activity").distinct().count() >= 8
    assert incidents.values("place_type").distinct().count() >= 6
    assert incidents.values("device_category").distinct().count() >= 5


def test_the_register_continues_after_the_period_to_today(register):
    after = figures(AFTER)
    assert 120 <= after["casualties"] <= 180
    assert after["killed"] and after["injured"]
    statuses = set(public_casualties(AFTER).values_list("status", flat=True))
    assert statuses == {"civilian", "military", "deminer", "unknown"}
    assert figures(FIRST_YEAR_AFTER)["casualties"] >= 60
    last = Incident.objects.filter(occurred_on__gt=PERIOD[1]).aggregate(last=Max("occurred_on"))
    assert TODAY - timedelta(days=30) <= last["last"] <= TODAY
    for code in ("AZ-LAC", "AZ-KAL"):
        gained = public_casualties(FIRST_YEAR_AFTER).filter(incident__area__code=code)
        assert gained.count() >= 8


def test_the_second_period_figures_are_those_of_the_register(register):
    assert (date(2020, 11, 10), date(2025, 4, 4)) == SECOND_PERIOD
    counted = figures(SECOND_PERIOD)
    assert counted == SECOND_PERIOD_FIGURES
    killed = {key: value for key, value in counted.items() if key.startswith("killed_")}
    assert sum(killed.values()) == counted["killed"]
    assert counted["killed"] + counted["injured"] == counted["casualties"]


def test_a_second_call_adds_nothing(register):
    before = (Incident.objects.count(), Casualty.objects.count())
    build_demo_register(TODAY)
    assert (Incident.objects.count(), Casualty.objects.count()) == before


def snapshot(period) -> list[tuple]:
    """The period's records as data (not references or record keys, which a rerun on the
    same database gives out anew)."""
    return sorted(
        public_casualties(period)
        .order_by()
        .values_list(
            "incident__occurred_on",
            "incident__date_precision",
            "incident__area__code",
            "incident__verification",
            "incident__inside_mapped_area",
            "incident__outside_contact_line",
            "incident__activity",
            "outcome",
            "status",
            "sex",
            "age_group",
            "injury",
        )
    )


def test_an_earlier_today_gives_the_same_register_up_to_it(register):
    period = snapshot(PERIOD)
    up_to_june = snapshot((PERIOD[0], date(2024, 6, 1)))
    Incident.objects.all().delete()

    build_demo_register(date(2024, 6, 1))

    counted = figures(PERIOD)
    assert {key: counted[key] for key in PERIOD_FIGURES} == PERIOD_FIGURES
    assert snapshot(PERIOD) == period
    assert snapshot((PERIOD[0], date(2024, 6, 1))) == up_to_june
    assert not Incident.objects.filter(occurred_on__gt=date(2024, 6, 1)).exists()


def test_before_the_period_ends_nothing_comes_after_it():
    call_command("load_areas", "AZ", verbosity=0)
    build_demo_register(date(2024, 4, 4))
    assert not Incident.objects.filter(occurred_on__gt=PERIOD[1]).exists()
    assert figures(PERIOD)["casualties"] == 350


def test_without_the_gazetteer_it_says_what_to_load():
    with pytest.raises(MissingGazetteer, match="load_areas AZ"):
        build_demo_register(TODAY)
    assert not Incident.objects.exists()
