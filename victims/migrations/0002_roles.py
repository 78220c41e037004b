"""The Registrars and Register reviewers groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRARS = [
    "view_incident", "add_incident", "change_incident",
    "view_casualty", "add_casualty", "change_casualty", "delete_casualty",
    "view_area", "view_devicemodel", "add_devicemodel",
]
REVIEWERS = [
    *REGISTRARS,
    "verify_incident", "import_incident", "delete_incident",
    "change_area", "add_area", "change_devicemodel",
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Registrars", REGISTRARS), ("Register reviewers", REVIEWERS)):
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="victims", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), name
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Registrars", "Register reviewers"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
