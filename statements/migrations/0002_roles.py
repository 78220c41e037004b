"""The Editors and Publishers groups and their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("statements", "view_statement"),
    ("statements", "add_statement"),
    ("statements", "change_statement"),
    ("statements", "view_attachment"),
    ("statements", "add_attachment"),
    ("statements", "change_attachment"),
    ("statements", "delete_attachment"),
    ("statements", "view_topic"),
    ("statements", "add_topic"),
    ("statements", "change_topic"),
    ("statements", "view_organisation"),
    ("statements", "view_statementevent"),
]
PUBLISHER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("statements", "publish_statement"),
    ("statements", "add_organisation"),
    ("statements", "change_organisation"),
    ("statements", "delete_topic"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in (("Editors", EDITOR_PERMISSIONS), ("Publishers", PUBLISHER_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
