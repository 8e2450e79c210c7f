"""Migrations on data made before them: 0003 marks hidden branches and re-slugs unreachable tags;
0012 starts anonymous readers' annotation version where the full one is."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.annotations.tags import tag_slug

BEFORE = [
    ("documents", "0002_groups"),
    ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
]
AFTER = [("documents", "0003_hidden_branches_and_tag_slugs")]


def state_at(before):
    """The apps as of ``before``; afterwards the latest schema again."""
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    yield executor.loader.project_state(before).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_state():
    yield from state_at(BEFORE)


@pytest.fixture
def state_at_0011():
    yield from state_at([("documents", "0011_visibility_indexes")])


def migrate_forward(after=AFTER):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    return executor.loader.project_state(after).apps


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


@pytest.mark.django_db(transaction=True)
def test_0012_starts_the_public_annotation_version_at_the_full_one(state_at_0011):
    """Anonymous pages kept under an earlier version's key must never be found again."""
    Document = state_at_0011.get_model("documents", "Document")
    document = Document.objects.create(title="D", slug="d", status="published", text="Alpha.")
    Document.objects.filter(pk=document.pk).update(annotations_version=7)

    apps = migrate_forward([("documents", "0012_public_annotations_version")])

    versions = apps.get_model("documents", "Document").objects.values_list(
        "annotations_version", "public_annotations_version"
    )
    assert list(versions) == [(7, 7)]
