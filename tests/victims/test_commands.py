import pytest
from django.core.management import CommandError, call_command

from victims.figures import has_synthetic_data
from victims.models import Area, Casualty, Incident

pytestmark = pytest.mark.django_db


def test_load_areas_fills_the_gazetteer_and_reruns_update_instead_of_duplicating():
    call_command("load_areas", "AZ")
    lachin = Area.objects.get(code="AZ-LAC")
    lachin.name = "Old name"
    lachin.save()

    call_command("load_areas", "az")

    assert Area.objects.filter(code="AZ-LAC").count() == 1
    assert Area.objects.get(code="AZ-LAC").name == "Laçın"
    assert Area.objects.get(code="AZ-CUL").parent.code == "AZ-NX"
    assert Area.objects.count() == 78


def test_load_areas_works_for_any_country():
    call_command("load_areas", "GE")

    assert Area.objects.filter(code__startswith="GE-").exists()


@pytest.mark.parametrize("code", ["XX", "Azerbaijan", ""])
def test_load_areas_refuses_an_unknown_country(code):
    with pytest.raises(CommandError, match="Unknown country code"):
        call_command("load_areas", code)
    assert not Area.objects.exists()


def signature():
    return sorted(
        Casualty.objects.values_list(
            "incident__reference",
            "incident__area__code",
            "incident__occurred_on",
            "outcome",
            "status",
            "sex",
            "age_group",
        )
    )


def test_generated_casualties_are_synthetic_and_deterministic_for_a_seed():
    call_command("load_areas", "AZ")
    call_command("generate_casualties", count=120, seed=7, verbosity=0)
    first = signature()
    Incident.objects.all().delete()
    from victims.models import ReferenceCounter

    ReferenceCounter.objects.all().delete()

    call_command("generate_casualties", count=120, seed=7, verbosity=0)

    assert len(first) == 120
    assert signature() == first
    assert set(Incident.objects.values_list("source_type", flat=True)) == {"synthetic"}
    assert has_synthetic_data()
    assert not Casualty.objects.exclude(outcome="injured").exclude(injury="").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"count": 0}, "between 1 and 1,000,000"),
        ({"count": 10, "start": "yesterday"}, "Bad --start"),
        ({"count": 10}, "No areas"),
    ],
)
def test_generate_casualties_refuses_bad_arguments(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_casualties", verbosity=0, **options)
    assert not Incident.objects.exists()
