"""Hidden branches, and tags that tell no one about others' private tags.

- Replies below a hidden annotation are hidden too, at any depth
  (``ancestor_hidden``). Before, only a reply whose thread root was hidden was
  hidden with it; this marks every existing reply with a hidden annotation
  anywhere above it.
- ``VisibleTag``, a proxy of taggit's Tag for ``TagQuerySet.visible_to``.
- A tag's slug becomes a function of its name (documents/tags.py). Existing
  slugs are permalinks, so only tags that have no page anyone can open (carried
  by no document and no public annotation) get the new slug; that also drops
  the ``_1`` slugs that hinted at a private tag. Tags with a page keep theirs.
"""

import base64
import hashlib

from django.db import migrations, models
from django.utils.text import slugify


def tag_slug(name, digest=False):
    """documents.tags.tag_slug as of this migration."""
    plain = slugify(name, allow_unicode=True)
    if plain == name and not digest:
        return plain
    code = base64.b32encode(hashlib.sha256(name.encode()).digest()).decode().lower()[:12]
    return f"{plain[:86].rstrip('-_')}--{code}"


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


def reslug_unreachable_tags(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedDocument = apps.get_model("documents", "TaggedDocument")
    TaggedAnnotation = apps.get_model("documents", "TaggedAnnotation")
    reachable = set(TaggedDocument.objects.values_list("tag_id", flat=True))
    reachable |= set(
        TaggedAnnotation.objects.filter(content_object__visibility="public").values_list("tag_id", flat=True)
    )
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.exclude(pk__in=reachable).order_by("pk"):
        wanted = tag_slug(tag.name)
        if wanted == tag.slug:
            continue
        if wanted in taken:
            wanted = tag_slug(tag.name, digest=True)
        if wanted not in taken:
            taken.discard(tag.slug)
            taken.add(wanted)
            tag.slug = wanted
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_groups"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
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
        migrations.CreateModel(
            name="VisibleTag",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("taggit.tag",),
        ),
        migrations.RunPython(reslug_unreachable_tags, migrations.RunPython.noop),
    ]
