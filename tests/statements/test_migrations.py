"""The renames of issue 12 keep existing data: a database holding statements, editions, their
history, attachments, audit rows and the groups' permissions under the old names comes out of
the migration with every row under the new names (and goes back again)."""

import datetime

import pytest
from django.contrib.auth import models as auth
from django.contrib.contenttypes import models as contenttypes
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("statements", "0007_upload_names_chosen_by_the_project")]
AFTER = [("statements", "0008_statement_and_edition_names")]


def migrate(targets):
    """Migrate as `manage.py migrate` does (which also renames the content types), and return
    the models as they are at `targets`."""
    for app_label, name in targets:
        call_command("migrate", app_label, name, verbosity=0)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def fill_old_database(apps) -> dict:
    Organisation = apps.get_model("statements", "Organisation")
    Topic = apps.get_model("statements", "Topic")
    Document = apps.get_model("statements", "StatementDocument")
    Edition = apps.get_model("statements", "Statement")
    History = apps.get_model("statements", "HistoricalStatement")
    Attachment = apps.get_model("statements", "Attachment")
    Event = apps.get_model("statements", "StatementEvent")

    issuer = Organisation.objects.create(name_en="Ministry of Foreign Affairs")
    topic = Topic.objects.create(slug="mine-action", name_en="Mine action")
    english = Document.objects.create(language="en")
    azerbaijani = Document.objects.create(language="az", translation_key=english.translation_key)
    now = timezone.now()
    first = Edition.objects.create(
        document=english,
        number=1,
        state="published",
        title="On mine awareness day",
        slug="mine-awareness-day",
        summary="Summary",
        body="<p>Text</p>",
        issued_on=datetime.date(2024, 4, 4),
        issuer=issuer,
        go_live_at=now,
        public_updated_at=now,
    )
    first.topics.add(topic)
    second = Edition.objects.create(
        document=english,
        number=2,
        title="On mine awareness day (corrected)",
        slug="mine-awareness-day",
        summary="Summary",
        issued_on=datetime.date(2024, 4, 4),
        issuer=issuer,
    )
    translation = Edition.objects.create(
        document=azerbaijani,
        title="Minalardan maarifləndirmə günü",
        slug="mina-gunu",
        summary="Xülasə",
        issued_on=datetime.date(2024, 4, 4),
        issuer=issuer,
    )
    azerbaijani.translated_from = first
    azerbaijani.save()
    History.objects.create(
        id=first.pk,
        document_id=english.pk,
        number=1,
        state="published",
        title="On mine awareness day",
        slug="mine-awareness-day",
        kind="statement",
        summary="Summary",
        body="<p>Text</p>",
        issued_on=datetime.date(2024, 4, 4),
        issuer_id=issuer.pk,
        minor_change=False,
        created_at=now,
        updated_at=now,
        sha256="",
        history_date=now,
        history_type="+",
    )
    Attachment.objects.create(statement=first, title="Map", file="attachments/a.pdf")
    Event.objects.create(document=english, statement=second, edition_number=2, action="create")
    return {
        "english": english.pk,
        "azerbaijani": azerbaijani.pk,
        "first": first.pk,
        "second": second.pk,
        "translation": translation.pk,
        "topic": topic.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_renames_keep_every_row_and_the_groups_permissions():
    # From the first migration up, with the content types, permissions and groups the old
    # migrations made, as an older database holds them (not those a flush between
    # transactional tests recreates for today's models).
    migrate([("statements", "0001_initial")])
    contenttypes.ContentType.objects.filter(app_label="statements").delete()
    contenttypes.ContentType.objects.clear_cache()
    auth.Group.objects.filter(name__in=["Editors", "Publishers"]).delete()
    old = migrate(BEFORE)
    ids = fill_old_database(old)
    Permission = old.get_model("auth", "Permission")
    assert Permission.objects.filter(codename="change_statement").exists()

    new = migrate(AFTER)

    Statement = new.get_model("statements", "Statement")
    Edition = new.get_model("statements", "Edition")
    english = Statement.objects.get(pk=ids["english"])
    assert english.language == "en"
    assert sorted(english.editions.values_list("pk", flat=True)) == [ids["first"], ids["second"]]
    first = Edition.objects.get(pk=ids["first"])
    assert first.title == "On mine awareness day"
    assert list(first.topics.values_list("pk", flat=True)) == [ids["topic"]]
    assert Statement.objects.get(pk=ids["azerbaijani"]).translated_from_id == ids["first"]
    assert Edition.objects.get(pk=ids["translation"]).document_id == ids["azerbaijani"]
    assert new.get_model("statements", "HistoricalEdition").objects.get().title == first.title
    assert new.get_model("statements", "Attachment").objects.get().edition_id == ids["first"]
    event = new.get_model("statements", "StatementEvent").objects.get()
    assert (event.document_id, event.edition_id) == (ids["english"], ids["second"])

    # The Editors keep the right to edit editions, under the permission's new name; the
    # Publishers keep theirs to publish.
    Group = new.get_model("auth", "Group")
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"view_edition", "add_edition", "change_edition"} <= editors
    assert "change_statement" not in editors
    publishers = Group.objects.get(name="Publishers").permissions.values_list("codename", flat=True)
    assert "publish_statement" in publishers
    ContentType = new.get_model("contenttypes", "ContentType")
    assert (
        ContentType.objects.get(app_label="statements", model="edition")
        .permission_set.filter(codename="change_edition")
        .exists()
    )

    back = migrate(BEFORE)
    assert back.get_model("statements", "Statement").objects.count() == 3
    assert back.get_model("statements", "StatementDocument").objects.count() == 2
    assert (
        back.get_model("auth", "Group")
        .objects.get(name="Editors")
        .permissions.filter(codename="change_statement", content_type__model="statement")
        .exists()
    )

    call_command("migrate", verbosity=0)
