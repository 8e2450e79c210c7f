"""Tags: a slug says nothing about the other tags there are, and every path makes tags one way."""

import re
import textwrap
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from taggit.models import Tag

from documents.annotations import services, tags
from documents.annotations.writes import Target
from tests.factories import CuratorFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

VARIANTS = ["Secret Plan", "secret plan", "Secret-Plan", "SECRET PLAN", "secret-plan", "Secret Plan!"]


def annotate(author, document, *names, visibility="private"):
    return services.create_annotation(
        author=author, document=document, target=Target(exact="first"), tags=names, visibility=visibility
    )


def slug_alone(name: str) -> str:
    """The slug ``name`` gets in an archive where no other tag exists."""
    Tag.objects.all().delete()
    slug = tags.tags_named([name])[0].slug
    Tag.objects.all().delete()
    return slug


@pytest.mark.parametrize("second", VARIANTS)
def test_a_slug_does_not_depend_on_which_other_tags_exist(user, other_user, document, second):
    expected = slug_alone(second)
    for first in VARIANTS:
        if first != second:
            annotate(user, document, first)

    annotation = annotate(other_user, document, second)

    (tag,) = annotation.tags.all()
    assert tag.slug == expected
    assert not re.search(r"_\d+$", tag.slug)


def test_each_spelling_keeps_its_own_name_and_slug(user, other_user, document):
    annotate(user, document, "Secret Plan")

    mine = annotate(other_user, document, "secret plan")

    assert list(mine.tags.names()) == ["secret plan"], "never another user's spelling"
    assert len({tag.slug for tag in Tag.objects.all()}) == 2


def test_the_same_name_is_the_same_tag(user, other_user, document):
    annotate(user, document, "Secret Plan")
    annotate(other_user, document, "Secret Plan")

    assert Tag.objects.filter(name="Secret Plan").count() == 1


def test_a_plain_name_is_its_own_slug():
    assert tags.tag_slug("rome-statute") == "rome-statute"
    assert tags.tag_slug("état") == "état"


def test_other_names_get_their_slugified_form_and_a_stable_digest():
    slug = tags.tag_slug("Secret Plan")

    assert re.fullmatch(r"secret-plan--[a-z2-7]{12}", slug)
    assert tags.tag_slug("Secret Plan") == slug
    assert tags.tag_slug("secret plan") != slug


@given(st.text(min_size=1, max_size=100))
def test_any_name_has_a_slug_that_fits(name):
    slug = tags.tag_slug(name)

    assert slug
    assert len(slug) <= 100
    assert re.fullmatch(r"[-\w]+", slug)


@given(st.text(min_size=1, max_size=100), st.text(min_size=1, max_size=100))
def test_different_names_have_different_slugs(first, second):
    if first != second:
        assert tags.tag_slug(first) != tags.tag_slug(second)


def test_a_tag_from_before_that_holds_a_plain_slug_does_not_block_the_name(document, user):
    Tag.objects.create(name="Secret Plan", slug="secret-plan")

    annotation = annotate(user, document, "secret-plan")

    (tag,) = annotation.tags.all()
    assert (tag.name, tag.slug) == ("secret-plan", tags.tag_slug("secret-plan", digest=True))


def test_editing_an_annotations_tags_makes_them_the_same_way(user, other_user, document):
    annotate(user, document, "Secret Plan")
    annotation = annotate(other_user, document, "x")

    services.update_annotation(annotation, tags=["secret plan"])

    assert annotation.tags.get().slug == tags.tag_slug("secret plan")


def test_importing_documents_makes_tags_the_same_way(tmp_path, user, document):
    annotate(user, document, "Secret Plan")
    path = tmp_path / "doc.md"
    path.write_text(
        textwrap.dedent(
            """\
            ---
            title: A letter
            slug: a-letter
            tags: secret plan, rome-statute
            ---
            Text.
            """
        )
    )

    call_command("import_documents", str(path), stdout=StringIO())

    imported = DocumentFactory._meta.model.objects.get(slug="a-letter")
    assert sorted(imported.tags.values_list("slug", flat=True)) == sorted(
        [tags.tag_slug("secret plan"), "rome-statute"]
    )


def test_the_admin_makes_tags_the_same_way(client, user, document):
    annotate(user, document, "Secret Plan")
    client.force_login(CuratorFactory())

    response = client.post(
        reverse("admin:taggit_tag_add"),
        {
            "name": "secret plan",
            "documents_taggeddocument_items-TOTAL_FORMS": "0",
            "documents_taggeddocument_items-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert Tag.objects.get(name="secret plan").slug == tags.tag_slug("secret plan")


def test_a_tag_page_is_found_by_the_new_slug(client, document):
    annotate(UserFactory(), document, "Secret Plan", visibility="public")

    response = client.get(reverse("tag-detail", args=[tags.tag_slug("Secret Plan")]))

    assert response.status_code == 200
