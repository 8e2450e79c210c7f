"""Reading groups (docs/reading-and-annotating.md, "Groups"): my groups, a group's page, its invitation links
and controls."""

from django.urls import path

from documents.groups import views as groups

urlpatterns = [
    path("groups/", groups.group_list, name="group-list"),
    path("groups/<slug:slug>/", groups.group_detail, name="group-detail"),
    path("groups/<slug:slug>/join/<str:token>/", groups.group_join, name="group-join"),
    path("groups/<slug:slug>/leave/", groups.group_leave, name="group-leave"),
    path("groups/<slug:slug>/invitations/", groups.group_invite, name="group-invite"),
    path("groups/<slug:slug>/change/", groups.group_change, name="group-change"),
    path("groups/<slug:slug>/invitations/<int:pk>/revoke/", groups.group_revoke, name="group-revoke"),
    path("groups/<slug:slug>/members/<int:user_pk>/remove/", groups.group_remove, name="group-remove"),
    path("groups/<slug:slug>/members/<int:user_pk>/moderator/", groups.group_promote, name="group-promote"),
    path("groups/<slug:slug>/notes/<uuid:pk>/hide/", groups.group_hide_note, name="group-hide-note"),
    path("groups/<slug:slug>/notes/<uuid:pk>/restore/", groups.group_restore_note, name="group-restore-note"),
]
