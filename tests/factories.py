import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from statements.models import Edition, Organisation, Statement, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Ministry {n}")
    name_az = factory.LazyAttribute(lambda o: f"{o.name_en} (az)")
    name_ru = factory.LazyAttribute(lambda o: f"{o.name_en} (ru)")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    language = "en"


class EditionFactory(factory.django.DjangoModelFactory):
    """A draft first edition."""

    class Meta:
        model = Edition

    document = factory.SubFactory(StatementFactory)
    title = factory.Sequence(lambda n: f"Statement number {n}")
    slug = factory.Sequence(lambda n: f"statement-{n}")
    summary = "A short summary of the statement."
    body = "<p>The text of the statement.</p>"
    issued_on = datetime.date(2024, 4, 4)
    issuer = factory.SubFactory(OrganisationFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "victims.Area"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AZ-T{n:02d}")
    name = factory.Sequence(lambda n: f"District {n}")


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "victims.Incident"

    occurred_on = datetime.date(2023, 5, 10)
    area = factory.SubFactory(AreaFactory)
    source_type = "official"
    verification = "verified"
    # Record keys are random in the register. Here they are 0, so a cell's perturbation
    # depends only on its name and the test SECRET_KEY: figures in tests do not change from
    # run to run. Tests of the disclosure method set keys themselves (test_attacks.py).
    record_key = 0


class CasualtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "victims.Casualty"

    incident = factory.SubFactory(IncidentFactory)
    outcome = "injured"
    status = "civilian"
    sex = "male"
    age_group = "30-44"
    record_key = 0  # see IncidentFactory
