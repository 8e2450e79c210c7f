"""Migration 0003 on data made before it: hidden branches are marked, unreachable tags re-slugged."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.tags import tag_slug

BEFORE = [
    ("documents", "0002_groups"),
    ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
]
AFTER = [("documents", "0003_hidden_branches_and_tag_slugs")]


@pytest.fixture
def old_state():
    """The apps as of ``BEFORE``; afterwards the latest schema again."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    return executor.loader.project_state(AFTER).apps


@pytest.mark.django_db(transaction=True)
def test_0003_hides_every_reply_below_a_hidden_one_and_reslugs_only_tags_without_a_page(old_state):
    apps = old_state
    User = apps.get_model("auth", "User")
    Document = apps.get_model("documents", "Document")
    Annotation = apps.get_model("documents", "Annotation")
    Tag = apps.get_model("taggit", "Tag")
    TaggedAnnotation = apps.get_model("documents", "TaggedAnnotation")
    author = User.objects.create(username="author")
    document = Document.objects.create(title="D", slug="d", status="published", text="Alpha.")

    def note(parent=None, visibility="public", **fields):
        root = (parent.root or parent) if parent else None
        return Annotation.objects.create(
            document=document, author=author, visibility=visibility, parent=parent, root=root, **fields
        )

    root = note()
    hidden = note(parent=root, hidden=True)
    below = note(parent=hidden)
    deepest = note(parent=below)
    beside = note(parent=root)
    private_only = Tag.objects.create(name="Secret Plan", slug="secret-plan")
    public = Tag.objects.create(name="secret plan", slug="secret-plan_1")
    TaggedAnnotation.objects.create(content_object=note(visibility="private"), tag=private_only)
    TaggedAnnotation.objects.create(content_object=beside, tag=public)

    apps = migrate_forward()

    Annotation = apps.get_model("documents", "Annotation")
    flagged = set(Annotation.objects.filter(ancestor_hidden=True).values_list("pk", flat=True))
    assert flagged == {below.pk, deepest.pk}
    slugs = dict(apps.get_model("taggit", "Tag").objects.values_list("name", "slug"))
    assert slugs == {"Secret Plan": tag_slug("Secret Plan"), "secret plan": "secret-plan_1"}
