"""Replies below a hidden annotation are hidden too, at any depth (``ancestor_hidden``).

Before, only a reply whose thread root was hidden was hidden with it; this marks
every existing reply that has a hidden annotation anywhere above it.
"""

from django.db import migrations, models


def mark_hidden_branches(apps, schema_editor):
    Annotation = apps.get_model("documents", "Annotation")
    children = {}
    for pk, parent_id in Annotation.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    below = set()
    pending = list(Annotation.objects.filter(hidden=True).values_list("pk", flat=True))
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in below:
                below.add(child)
                pending.append(child)
    below = list(below)
    for start in range(0, len(below), 500):
        Annotation.objects.filter(pk__in=below[start : start + 500]).update(ancestor_hidden=True)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="ancestor_hidden",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="An annotation this one answers, at any depth, is hidden; kept by the services.",
            ),
        ),
        migrations.RunPython(mark_hidden_branches, migrations.RunPython.noop),
    ]
