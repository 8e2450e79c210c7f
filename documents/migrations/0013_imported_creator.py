from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0012_public_annotations_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="imported_copy",
            field=models.BooleanField(
                default=False, help_text="Imported, written by someone else; private to its importer."
            ),
        ),
        migrations.AddField(
            model_name="annotation",
            name="creator_name",
            field=models.CharField(blank=True, help_text="Who wrote an imported copy.", max_length=150),
        ),
        migrations.AddField(
            model_name="annotation",
            name="creator_iri",
            field=models.CharField(blank=True, help_text="Their W3C creator id.", max_length=500),
        ),
    ]
