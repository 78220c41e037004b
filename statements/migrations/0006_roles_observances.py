"""Observances: editors see them, publishers manage them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["view_observance"],
    "Publishers": ["view_observance", "add_observance", "change_observance"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="statements", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("statements", "0005_search_index")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
