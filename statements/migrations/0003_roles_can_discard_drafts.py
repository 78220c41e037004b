"""Editors and Publishers may discard drafts. A statement that has been public can still be
deleted by a superuser only (StatementAdmin.has_delete_permission)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="statements", codename="delete_statement"
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    """Undo `grant`; a database without the permission (or the groups) has nothing to undo."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="statements", codename="delete_statement"
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("statements", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
