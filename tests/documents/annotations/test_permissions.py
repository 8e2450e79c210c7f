"""The visibility rule as a matrix: route × role × kind of annotation.

Each route answers one question, "does this reader see this annotation here?",
and the expected answer comes from one table, the contract's rule: private
annotations are their author's alone; hidden ones are seen by their author and
curators; public ones by everyone. Hiding hides the whole branch below: a
reply anywhere under a hidden annotation, written before or after the hiding,
is seen only by its author and curators.
"""

import json

import pytest
from django.urls import reverse

from documents.annotations import moderation, services, writes
from documents.groups import services as groups
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "other", "curator"]
KINDS = ["private", "public", "hidden", "reply to hidden reply", "deep reply in hidden branch"]
SEES = {
    "private": {"anonymous": False, "author": True, "other": False, "curator": False},
    "public": {"anonymous": True, "author": True, "other": True, "curator": True},
    "hidden": {"anonymous": False, "author": True, "other": False, "curator": True},
    "reply to hidden reply": {"anonymous": False, "author": True, "other": False, "curator": True},
    "deep reply in hidden branch": {"anonymous": False, "author": True, "other": False, "curator": True},
}


@pytest.fixture
def world(db):
    author = UserFactory(username="author")
    document = DocumentFactory(slug="doc", text="Alpha beta gamma delta epsilon.")
    annotations = {
        "private": AnnotationFactory(document=document, author=author, visibility="private", tags=["marker"]),
        "public": AnnotationFactory(document=document, author=author, visibility="public", tags=["marker"]),
        "hidden": AnnotationFactory(
            document=document,
            author=author,
            visibility="public",
            hidden=True,
            hidden_reason="x",
            tags=["marker"],
        ),
    }
    users = {"anonymous": None, "author": author, "other": UserFactory(), "curator": CuratorFactory()}
    annotations.update(hidden_branches(annotations["public"], author=author, curator=users["curator"]))
    return document, annotations, users


def hidden_branches(root, *, author, curator):
    """Replies by ``author`` under a reply of theirs that a curator hid.

    One is written after the hiding (it must inherit it; only those who still see
    the hidden reply, its author and curators, can answer it), one three levels
    down, by way of a third person's reply, was written before it (hiding must
    reach it).
    """
    third = UserFactory(username="third")
    first = services.create_annotation(author=author, parent=root, comment="A reply.", tags=["marker"])
    middle = services.create_annotation(author=third, parent=first, comment="Deeper.")
    deep = services.create_annotation(author=author, parent=middle, comment="Deepest.", tags=["marker"])
    moderation.hide_annotation(first, by=curator, reason="Off topic")
    later = services.create_annotation(author=author, parent=first, comment="Later.", tags=["marker"])
    return {"reply to hidden reply": later, "deep reply in hidden branch": deep}


def as_role(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def in_html(response, annotation) -> bool:
    return response.status_code == 200 and f"annotation-{annotation.pk}" in response.content.decode()


def in_items(data, annotation) -> bool:
    items = data.get("first", {}).get("items", []) if "first" in data else data.get("items", [])
    return any(str(annotation.pk) in (item if isinstance(item, str) else item["id"]) for item in items)


ROUTES = {
    "reading view": lambda c, a: in_html(c.get(a.document.get_absolute_url()), a),
    "panel fragment": lambda c, a: in_html(c.get(reverse("annotation-panel", args=[a.document.slug])), a),
    "annotation permalink": lambda c, a: c.get(reverse("annotation-detail", args=[a.pk])).status_code == 302,
    "tag page": lambda c, a: in_html(c.get(reverse("tag-detail", args=["marker"])), a),
    "API resource": lambda c, a: c.get(reverse("api-annotation-detail", args=[a.pk])).status_code == 200,
    "API container": lambda c, a: in_items(c.get(reverse("api-annotation-list")).json(), a),
    "API document container": lambda c, a: in_items(
        c.get(reverse("api-document-annotations", args=[a.document.slug])).json(), a
    ),
    "API container, IRIs": lambda c, a: in_items(
        c.get(reverse("api-annotation-list"), {"iris": "1"}).json(), a
    ),
    "API tag filter": lambda c, a: in_items(
        c.get(reverse("api-annotation-list"), {"tag": "marker"}).json(), a
    ),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_who_sees_what(client, world, route, role, kind):
    _, annotations, users = world

    seen = ROUTES[route](as_role(client, users, role), annotations[kind])

    # A tag page is a public place: it lists public annotations, even to their author.
    expected = SEES[kind][role] and not (route == "tag page" and kind == "private")
    assert seen is expected, f"{role} {'sees' if seen else 'does not see'} a {kind} annotation on {route}"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_total_counts_only_what_the_reader_sees(client, world, role):
    _, _, users = world
    as_role(client, users, role)

    total = client.get(reverse("api-annotation-list"), {"visibility": "private"}).json()["total"]

    assert total == (1 if role == "author" else 0)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_changes_and_others_learn_nothing(client, world, role, kind):
    _, annotations, users = world
    annotation = annotations[kind]
    as_role(client, users, role)
    url = reverse("api-annotation-detail", args=[annotation.pk])

    deleted = client.delete(url)
    replaced = client.put(url, json.dumps({"@context": "x"}), content_type="application/ld+json")

    if role == "author":
        assert deleted.status_code == 204
    elif not SEES[kind][role]:
        assert (deleted.status_code, replaced.status_code) == (404, 404)
    else:
        expected = 401 if role == "anonymous" else 403
        assert (deleted.status_code, replaced.status_code) == (expected, expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_profile_lists_only_my_own(client, world, role, kind):
    _, annotations, users = world
    as_role(client, users, role)

    response = client.get(reverse("profile"))

    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert in_html(response, annotations[kind]) is (role == "author")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_moderation_admin_shows_curators_public_and_hidden_only(client, world, role, kind):
    _, annotations, users = world
    as_role(client, users, role)

    response = client.get(reverse("admin:documents_annotation_changelist"))

    if role != "curator":
        assert response.status_code == 302
    else:
        shown = annotations[kind] in list(response.context["cl"].queryset)
        assert shown is SEES[kind]["curator"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_my_export_holds_only_my_own(client, world, role, kind):
    _, annotations, users = world
    as_role(client, users, role)

    response = client.get(reverse("my-annotations-export", args=["jsonld"]))

    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert (str(annotations[kind].pk) in response.content.decode()) is (role == "author")


@pytest.mark.parametrize("role", ROLES)
def test_annotations_on_a_draft_follow_the_document(client, world, role):
    document, annotations, users = world
    document.status = "draft"
    document.save()
    as_role(client, users, role)

    response = client.get(reverse("api-annotation-detail", args=[annotations["public"].pk]))

    assert response.status_code == (200 if role == "curator" else 404)


# --- The group dimension (docs/reading-and-annotating.md, "Groups")
# -------------------------------------------------------
#
# A group's notes are read by its current members; hidden ones (and the branch below) by their
# author and the group's moderators. A former member, another group's member, someone in no
# group, an anonymous reader and a curator who is not in the group see none of them, on any
# route. Each test is one route for one reader, over every kind of note.

GROUP_ROLES = [
    "author",
    "member",
    "moderator",
    "former member",
    "other group's member",
    "non-member",
    "anonymous",
    "curator",
]
GROUP_KINDS = ["group", "hidden group", "reply in hidden group branch", "other group"]
_IN_GROUP = {"author", "member", "moderator"}
GROUP_SEES = {
    "group": {role: role in _IN_GROUP for role in GROUP_ROLES},
    "hidden group": {role: role in {"author", "moderator"} for role in GROUP_ROLES},
    "reply in hidden group branch": {role: role in {"author", "moderator"} for role in GROUP_ROLES},
    "other group": {role: role == "other group's member" for role in GROUP_ROLES},
}
WORD = "quokka"


@pytest.fixture
def group_world(db):
    """A seminar moderated by "moderator", where "author" and "member" write; "former member"
    was removed; "other group's member" writes in a group of their own."""
    from tests.factories import make_group

    users = {role: UserFactory(username=role.replace(" ", "-").replace("'", "")) for role in GROUP_ROLES}
    users["anonymous"] = None
    users["curator"] = CuratorFactory()
    document = DocumentFactory(slug="doc", text="Alpha beta gamma delta epsilon.")
    seminar = make_group(
        users["moderator"], users["author"], users["member"], users["former member"], name="Seminar"
    )
    groups.remove_member(group=seminar, by=users["moderator"], member=users["former member"])
    other = make_group(users["other group's member"], name="Elsewhere")

    def write(author, group, words):
        return services.create_annotation(
            author=author,
            document=document,
            target=writes.Target(exact="beta gamma"),
            comment=f"{WORD} {words}",
            tags=["marker"],
            visibility="group",
            group=group,
        )

    notes = {
        "group": write(users["author"], seminar, "shared"),
        "hidden group": write(users["author"], seminar, "to hide"),
        "other group": write(users["other group's member"], other, "elsewhere"),
    }
    above = write(users["author"], seminar, "above a branch")
    notes["reply in hidden group branch"] = services.create_annotation(
        author=users["author"], parent=above, comment=f"{WORD} below", tags=["marker"]
    )
    for hidden in [notes["hidden group"], above]:
        moderation.hide_group_note(group=seminar, by=users["moderator"], annotation_id=hidden.pk, reason="No")
    return document, notes, users


def _contains(response, annotation) -> bool:
    return response.status_code == 200 and str(annotation.pk) in response.content.decode()


GROUP_ROUTES = {
    **{name: ROUTES[name] for name in ROUTES},
    "API group filter": lambda c, a: in_items(
        c.get(reverse("api-annotation-list"), {"group": a.group.slug}).json(), a
    ),
    "API document container, group filter": lambda c, a: in_items(
        c.get(reverse("api-document-annotations", args=[a.document.slug]), {"group": a.group.slug}).json(), a
    ),
    "API visibility filter": lambda c, a: in_items(
        c.get(reverse("api-annotation-list"), {"visibility": "group"}).json(), a
    ),
    "panel group filter": lambda c, a: in_html(
        c.get(reverse("annotation-panel", args=[a.document.slug]), {"group": a.group.slug}), a
    ),
    "document export": lambda c, a: _contains(
        c.get(reverse("document-annotations-export", args=[a.document.slug, "jsonld"])), a
    ),
    "search page": lambda c, a: _contains(c.get(reverse("search"), {"q": WORD}), a),
    "API search": lambda c, a: _contains(c.get(reverse("api-search"), {"q": WORD}), a),
    "group page": lambda c, a: _contains(c.get(reverse("group-detail", args=[a.group.slug])), a),
    "annotations feed": lambda c, a: _contains(c.get(reverse("feed-annotations")), a),
}
NEVER = {"tag page", "annotations feed"}
"""Public places: they list public notes only, whoever reads them."""


@pytest.mark.parametrize("role", GROUP_ROLES)
@pytest.mark.parametrize("route", list(GROUP_ROUTES))
def test_who_sees_group_notes_where(client, group_world, route, role):
    _, notes, users = group_world
    as_role(client, users, role)

    seen = {kind: GROUP_ROUTES[route](client, notes[kind]) for kind in GROUP_KINDS}

    expected = {kind: GROUP_SEES[kind][role] and route not in NEVER for kind in GROUP_KINDS}
    assert seen == expected, f"{role} on {route}"


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_the_api_total_counts_only_the_group_notes_the_reader_sees(client, group_world, role):
    _, _, users = group_world
    as_role(client, users, role)

    total = client.get(reverse("api-annotation-list"), {"visibility": "group"}).json()["total"]

    assert total == sum(GROUP_SEES[kind][role] for kind in GROUP_KINDS) + (role in {"author", "moderator"})


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_the_reading_view_counts_only_the_group_notes_the_reader_sees(client, group_world, role):
    document, _, users = group_world
    as_role(client, users, role)

    html = client.get(document.get_absolute_url()).content.decode()

    seen = sum(GROUP_SEES[kind][role] for kind in GROUP_KINDS) + (role in {"author", "moderator"})
    if seen:
        assert f"{seen} annotation{'' if seen == 1 else 's'}" in html
    else:
        assert "No annotations yet" in html
        assert "annotations-count" not in html


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_group_notes_on_the_profile_and_my_export_are_their_authors_alone(client, group_world, role):
    _, notes, users = group_world
    as_role(client, users, role)

    profile = client.get(reverse("profile"))
    export = client.get(reverse("my-annotations-export", args=["jsonld"]))

    if role == "anonymous":
        assert (profile.status_code, export.status_code) == (302, 302)
        return
    for kind in GROUP_KINDS:
        mine = notes[kind].author == users[role]
        assert in_html(profile, notes[kind]) is mine, (role, kind)
        assert (str(notes[kind].pk) in export.content.decode()) is mine, (role, kind)


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_the_admin_shows_curators_no_group_note_of_a_group_they_are_not_in(client, group_world, role):
    _, notes, users = group_world
    as_role(client, users, role)

    response = client.get(reverse("admin:documents_annotation_changelist"))

    if role != "curator":
        assert response.status_code == 302
    else:
        listed = set(response.context["cl"].queryset)
        assert not listed & set(notes.values())


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_a_group_notes_tags_are_named_only_to_those_who_see_it(group_world, role):
    from documents.models import VisibleTag

    _, notes, users = group_world
    notes["group"].tags.add("seminar-only")

    names = set(VisibleTag.objects.visible_to(users[role]).values_list("name", flat=True))

    assert ("seminar-only" in names) is GROUP_SEES["group"][role]


@pytest.mark.parametrize("role", GROUP_ROLES)
def test_only_the_author_changes_a_group_note_and_others_learn_nothing(client, group_world, role):
    _, notes, users = group_world
    as_role(client, users, role)
    url = reverse("api-annotation-detail", args=[notes["group"].pk])

    deleted = client.delete(url)

    if role == "author":
        assert deleted.status_code == 204
    elif not GROUP_SEES["group"][role]:
        assert deleted.status_code == 404
    else:
        assert deleted.status_code == 403
