"""Anonymous readers' pages are keyed by a version that only changes anyone may see move
(README, "Privacy"): a private or group note no longer changes their entity tags.

It starts at each document's ``annotations_version``, so no key an anonymous page was kept
under before comes back (both only ever move forward).
"""

from django.db import migrations, models
from django.db.models import F


def start_at_annotations_version(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.update(public_annotations_version=F("annotations_version"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0011_visibility_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="public_annotations_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(start_at_annotations_version, migrations.RunPython.noop),
    ]
