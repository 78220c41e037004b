"""Names that say what things are: the language version with a stable id and a URL is a
`Statement` (was `StatementDocument`); one version of its text in the workflow is an `Edition`
(was `Statement`). The tables, the history tables and the foreign keys are renamed in place, so
every row is kept; the content types follow (Django's contenttypes app renames them after each
RenameModel) and so do the permissions' codenames, so that the Editors and Publishers groups keep
what they were given.
"""

from django.db import migrations

# (old model name, new model name) in the order of the operations below.
RENAMED = [
    ("statement", "edition"),
    ("historicalstatement", "historicaledition"),
    ("historicalstatement_topics", "historicaledition_topics"),
    ("statementdocument", "statement"),
]
DEFAULT_ACTIONS = ("add", "change", "delete", "view")


def _rename_codenames(apps, pairs):
    """For each (current model name, wanted model name): the content type is already called
    `current`; its default permissions' codenames end in `from_name` and should end in
    `to_name`."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, from_name, to_name in pairs:
        content_type = ContentType.objects.filter(app_label="statements", model=model).first()
        if content_type is None:  # a database whose permissions were never created
            continue
        for action in DEFAULT_ACTIONS:
            Permission.objects.filter(
                content_type=content_type, codename=f"{action}_{from_name}"
            ).update(codename=f"{action}_{to_name}")


def rename_permissions(apps, schema_editor):
    # Runs after the renames: the content types already carry the new names.
    _rename_codenames(apps, [(new, old, new) for old, new in RENAMED])


def restore_permissions(apps, schema_editor):
    # Runs before the renames are undone: the content types still carry the new names.
    _rename_codenames(apps, [(new, new, old) for old, new in reversed(RENAMED)])


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0007_upload_names_chosen_by_the_project"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RenameModel("Statement", "Edition"),
        migrations.RenameModel("HistoricalStatement", "HistoricalEdition"),
        migrations.RenameModel("HistoricalStatement_topics", "HistoricalEdition_topics"),
        migrations.RenameField("HistoricalEdition_topics", "statement", "edition"),
        migrations.RenameModel("StatementDocument", "Statement"),
        migrations.RenameField("Attachment", "statement", "edition"),
        migrations.RenameField("StatementEvent", "statement", "edition"),
        migrations.AlterModelOptions(
            name="historicaledition_topics", options={"verbose_name": "HistoricalEdition_topics"}
        ),
        # Index names derive from the table's name.
        migrations.RenameIndex(
            "edition",
            new_name="statements__documen_7dfdc2_idx",
            old_name="statements__documen_044d6a_idx",
        ),
        migrations.RenameIndex(
            "edition",
            new_name="statements__state_15a66e_idx",
            old_name="statements__state_e33404_idx",
        ),
        migrations.RenameIndex(
            "edition",
            new_name="statements__issued__25a950_idx",
            old_name="statements__issued__832df3_idx",
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
