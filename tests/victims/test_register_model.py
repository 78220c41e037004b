import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory
from victims.choices import age_group_for
from victims.models import Casualty, Incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_precision", "week"),
        ("place_type", "beach"),
        ("outside_contact_line", "maybe"),
        ("inside_mapped_area", "perhaps"),
        ("device_category", "grenade"),
        ("activity", "dancing"),
        ("source_type", "rumour"),
        ("verification", "certain"),
        ("production_year", 1500),
    ],
)
def test_the_database_refuses_each_bad_incident_value(field, value):
    incident = IncidentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("outcome", "missing"),
        ("status", "police"),
        ("sex", "other"),
        ("age_group", "18-25"),
        ("injury", "burns"),
        ("displacement", "tourist"),
    ],
)
def test_the_database_refuses_each_bad_casualty_value(field, value):
    casualty = CasualtyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Casualty.objects.filter(pk=casualty.pk).update(**{field: value})


def test_an_injury_is_recorded_for_the_injured_only():
    with pytest.raises(IntegrityError), transaction.atomic():
        CasualtyFactory(outcome="killed", injury="eye_injury")


def test_the_register_has_no_field_for_personal_data():
    forbidden = (
        "name",
        "first",
        "last",
        "surname",
        "birth",
        "dob",
        "address",
        "phone",
        "email",
        "photo",
        "image",
        "passport",
        "fin",
        "national_id",
        "latitude",
        "longitude",
        "coordinates",
        "gps",
    )
    for model in (Incident, Casualty):
        for field in model._meta.get_fields():
            assert not any(word in field.name.lower() for word in forbidden), (model, field.name)


def test_references_are_generated_once_and_never_reused():
    first = IncidentFactory()
    second = IncidentFactory()
    first_reference = first.reference
    first.delete()

    third = IncidentFactory()

    assert (first_reference, second.reference, third.reference) == (
        "INC-2023-0001",
        "INC-2023-0002",
        "INC-2023-0003",
    )
    second.save()
    assert Incident.objects.get(pk=second.pk).reference == "INC-2023-0002"


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, "0-4"),
        (4, "0-4"),
        (5, "5-11"),
        (17, "12-17"),
        (18, "18-29"),
        (44, "30-44"),
        (59, "45-59"),
        (60, "60+"),
        (101, "60+"),
    ],
)
def test_an_age_is_kept_only_as_its_group(age, group):
    assert age_group_for(age) == group


def test_saving_personal_data_is_refused_whatever_the_way_in():
    area = AreaFactory()

    with pytest.raises(ValidationError) as error:
        Incident.objects.create(
            occurred_on="2024-01-02",
            area=area,
            source_type="media",
            internal_note="Victim's brother: +994 50 123 45 67",
        )
    assert "a phone number" in str(error.value)
    assert not Incident.objects.exists()
