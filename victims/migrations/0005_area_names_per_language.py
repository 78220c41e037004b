from django.db import migrations, models


def fill_names(apps, schema_editor):
    """Existing areas get their names per language now (load_areas does it from here on)."""
    from victims import gazetteer

    Area = apps.get_model("victims", "Area")
    for area in Area.objects.all():
        names = gazetteer.names(area.code, area.name)
        for language, name in names.items():
            setattr(area, f"name_{language}", name)
        area.save(update_fields=[f"name_{language}" for language in names])


class Migration(migrations.Migration):
    dependencies = [("victims", "0004_record_keys")]

    operations = [
        migrations.AlterField(
            model_name="area",
            name="name",
            field=models.CharField(
                help_text="As ISO 3166-2 writes it, e.g. Laçın.",
                max_length=120,
                verbose_name="ISO 3166-2 name",
            ),
        ),
        migrations.AddField(
            model_name="area",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in English"),
        ),
        migrations.AddField(
            model_name="area",
            name="name_az",
            field=models.CharField(
                blank=True, max_length=120, verbose_name="name in Azerbaijani"
            ),
        ),
        migrations.AddField(
            model_name="area",
            name="name_ru",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in Russian"),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
    ]
