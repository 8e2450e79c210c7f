"""Curators merge tags: every use moves, public and private, and nothing private is revealed."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from documents.annotations import services
from documents.models import TaggedAnnotation
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:taggit_tag_changelist"


def test_merging_moves_document_and_annotation_uses_public_and_private(document, user, other_user):
    tagged_doc = DocumentFactory(tags=["icc"])
    both = DocumentFactory(tags=["icc", "international-criminal-court"])
    public = AnnotationFactory(document=document, author=user, visibility="public", tags=["icc"])
    private = AnnotationFactory(document=document, author=other_user, visibility="private", tags=["icc"])
    keep = Tag.objects.get(name="international-criminal-court")

    merged = services.merge_tags(
        into=keep, tags=Tag.objects.filter(name__in=["icc", "international-criminal-court"])
    )

    assert merged == 1
    assert not Tag.objects.filter(name="icc").exists()
    for document_ in (tagged_doc, both):
        assert list(document_.tags.names()) == ["international-criminal-court"]
    for note in (public, private):
        assert list(note.tags.names()) == ["international-criminal-court"]
    assert TaggedAnnotation.objects.filter(tag=keep).count() == 2


def test_an_object_with_several_merged_tags_keeps_one_copy(document, user):
    note = AnnotationFactory(document=document, author=user, tags=["icc", "ICC court", "court"])
    keep = Tag.objects.get(name="court")
    services.merge_tags(into=keep, tags=list(Tag.objects.all()))
    assert list(note.tags.names()) == ["court"]


def test_the_admin_asks_which_tag_to_keep_then_merges_and_names_tags_only(
    client, curator, document, other_user
):
    DocumentFactory(tags=["icc", "international-criminal-court"])
    AnnotationFactory(
        document=document, author=other_user, visibility="private", tags=["icc"], comment="Secret"
    )
    icc, long = Tag.objects.get(name="icc"), Tag.objects.get(name="international-criminal-court")
    client.force_login(curator)
    data = {"action": "merge", ACTION_CHECKBOX_NAME: [str(icc.pk), str(long.pk)]}

    ask = client.post(reverse(CHANGELIST), data)
    assert ask.status_code == 200
    assert "Keep this tag" in ask.content.decode()

    done = client.post(reverse(CHANGELIST), data | {"into": str(long.pk)}, follow=True)
    text = done.content.decode()
    assert "Merged 1 tag into “international-criminal-court”." in text
    assert "Secret" not in text
    assert list(Tag.objects.values_list("name", flat=True)) == ["international-criminal-court"]


def test_a_single_tag_cannot_be_merged(client, curator):
    DocumentFactory(tags=["icc"])
    client.force_login(curator)
    data = {"action": "merge", ACTION_CHECKBOX_NAME: [str(Tag.objects.get().pk)]}
    response = client.post(reverse(CHANGELIST), data, follow=True)
    assert "Select two or more tags to merge." in response.content.decode()
    assert Tag.objects.count() == 1
