"""The Curators and Scholars groups exist after migrate, with the permissions the admin relies on."""

import pytest
from django.contrib.auth.models import Group

from documents.models import CURATORS, SCHOLARS

pytestmark = pytest.mark.django_db

CURATOR_PERMISSIONS = {
    "documents.add_document",
    "documents.change_document",
    "documents.delete_document",
    "documents.view_document",
    "documents.add_collection",
    "documents.change_collection",
    "documents.delete_collection",
    "documents.view_collection",
    "documents.view_annotation",
    "documents.moderate_annotation",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "taggit.view_tag",
}


def permission_names(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_curators_group_has_exactly_the_curating_permissions():
    assert permission_names(Group.objects.get(name=CURATORS)) == CURATOR_PERMISSIONS


def test_curators_may_not_edit_or_delete_other_peoples_annotations_through_permissions():
    names = permission_names(Group.objects.get(name=CURATORS))
    assert "documents.change_annotation" not in names
    assert "documents.delete_annotation" not in names


def test_scholars_group_exists_without_admin_permissions():
    scholars = Group.objects.get(name=SCHOLARS)
    assert permission_names(scholars) == set()


def test_a_curator_user_gets_the_groups_permissions(curator):
    assert curator.has_perm("documents.change_document")
    assert curator.has_perm("documents.moderate_annotation")
    assert curator.has_perm("taggit.change_tag")
    assert not curator.has_perm("auth.change_user")
