from django.db import migrations, models
import django.utils.timezone


def create_rows(apps, schema_editor):
    PublicVersion = apps.get_model("pagecache", "PublicVersion")
    for surface in ("statements", "register"):
        PublicVersion.objects.get_or_create(surface=surface)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("statements", "0012_figures_snapshot"),
        ("victims", "0006_snapshots"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                ("surface", models.CharField(choices=[("statements", "Statements"), ("register", "Casualty register")], max_length=20, primary_key=True, serialize=False, verbose_name="surface")),
                ("version", models.PositiveBigIntegerField(default=1, verbose_name="version")),
                ("nonce", models.BigIntegerField(default=0, verbose_name="nonce")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="changed at")),
                ("next_change_at", models.DateTimeField(null=True, verbose_name="next change by the clock")),
            ],
            options={
                "verbose_name": "public version",
                "verbose_name_plural": "public versions",
                "constraints": [models.CheckConstraint(condition=models.Q(("surface__in", ["statements", "register"])), name="public_version_surface_is_known")],
            },
        ),
        migrations.RunPython(create_rows, migrations.RunPython.noop),
    ]
