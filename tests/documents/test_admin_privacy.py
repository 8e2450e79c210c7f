"""What the curators' admin shows of groups, invitations and others' notes (docs/reading-and-annotating.md,
"Privacy").

A curator is a reader like any other where notes and groups are concerned: the
admin's "view on site" redirect, its delete confirmations, filters, autocomplete
and every page reachable from its index follow ``visible_to`` and group
membership. Checked for a curator in no group, in the group, and moderating it.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag

from documents.annotations import moderation, services, writes
from documents.groups import services as groups
from documents.models import Annotation, Document, Flag, Group, Invitation, Membership
from tests.factories import CollectionFactory, CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

ROLES = ["in no group", "member", "moderator"]
# Words that name what a curator in no group may not learn: others' private and group notes'
# authors, comments and tags, and the groups themselves.
UNSEEN_WORDS = ["hermit", "mentor", "stranger", "wombat", "Seminar", "Closed circle", "hermit-only"]


def write(author, document, *, visibility="public", group=None, comment="", tags=()):
    return services.create_annotation(
        author=author,
        document=document,
        target=writes.Target(exact="first passage"),
        comment=comment,
        tags=list(tags),
        visibility=visibility,
        group=group,
    )


@pytest.fixture
def world(db):
    """A seminar "mentor" moderates and a closed circle "stranger" keeps, each with a link;
    a document with a public note, "hermit"'s private one and a note in each group, all tagged
    "shared"; and a curator whose place in the seminar each test sets (``as_curator``)."""
    mentor, stranger, hermit = (UserFactory(username=name) for name in ["mentor", "stranger", "hermit"])
    publicist = UserFactory(username="publicist")
    seminar = make_group(mentor, name="Seminar")
    circle = make_group(stranger, name="Closed circle")
    document = DocumentFactory(slug="signature", title="Statement on Signature")
    notes = {
        "public": write(publicist, document, comment="Open words.", tags=["shared"]),
        "private": write(
            hermit, document, visibility="private", comment="wombat", tags=["shared", "hermit-only"]
        ),
        "seminar": write(mentor, document, visibility="group", group=seminar, tags=["shared"]),
        "circle": write(
            stranger, document, visibility="group", group=circle, comment="wombat", tags=["shared"]
        ),
    }
    links = {
        "seminar": groups.create_invitation(group=seminar, by=mentor),
        "circle": groups.create_invitation(group=circle, by=stranger),
    }
    return {
        "document": document,
        "notes": notes,
        "groups": {"seminar": seminar, "circle": circle},
        "links": links,
        "people": {"mentor": mentor, "stranger": stranger, "hermit": hermit},
    }


def as_curator(client, world, role):
    """Log a curator in, placed in the seminar as ``role`` says."""
    curator = CuratorFactory()
    seminar, mentor = world["groups"]["seminar"], world["people"]["mentor"]
    if role != "in no group":
        link = groups.create_invitation(group=seminar, by=mentor)
        groups.join_group(slug=seminar.slug, token=link.token, user=curator)
    if role == "moderator":
        groups.make_moderator(group=seminar, by=mentor, member=curator)
    client.force_login(curator)
    return curator


def view_on_site(client, obj, object_id=None):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return client.get(
        reverse("admin:view_on_site", args=[content_type.pk, obj.pk if object_id is None else object_id])
    )


# --- "View on site": /admin/r/<content type>/<id>/ ------------------------------------------------

# What each curator is sent on to; everything else answers 404.
REDIRECTS = {
    "the document": set(ROLES),
    "a public note": set(ROLES),
    "another's private note": set(),
    "the seminar": {"member", "moderator"},
    "a seminar note": {"member", "moderator"},
    "the seminar's invitation": {"moderator"},
    "the closed circle": set(),
    "a closed circle note": set(),
    "the closed circle's invitation": set(),
}
OBJECTS = {
    "the document": lambda w: w["document"],
    "a public note": lambda w: w["notes"]["public"],
    "another's private note": lambda w: w["notes"]["private"],
    "the seminar": lambda w: w["groups"]["seminar"],
    "a seminar note": lambda w: w["notes"]["seminar"],
    "the seminar's invitation": lambda w: w["links"]["seminar"],
    "the closed circle": lambda w: w["groups"]["circle"],
    "a closed circle note": lambda w: w["notes"]["circle"],
    "the closed circle's invitation": lambda w: w["links"]["circle"],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(OBJECTS))
def test_view_on_site_sends_curators_only_where_they_may_read(client, world, role, kind):
    as_curator(client, world, role)
    obj = OBJECTS[kind](world)

    response = view_on_site(client, obj)

    if role in REDIRECTS[kind]:
        assert response.status_code == 302
        assert response["Location"].endswith(obj.get_absolute_url())
    else:
        assert response.status_code == 404
        body = response.content.decode()
        for link in world["links"].values():
            assert link.token not in body
        assert "Location" not in response


@pytest.mark.parametrize(
    "object_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000", "%20", "x" * 300]
)
def test_view_on_site_answers_404_for_an_annotation_id_that_names_none(client, world, object_id):
    as_curator(client, world, "in no group")

    response = view_on_site(client, world["notes"]["public"], object_id)

    assert response.status_code == 404


def test_view_on_site_answers_404_for_what_has_no_page(client, world):
    """Models with no public address, and content types that name no model, are a plain 404."""
    curator = as_curator(client, world, "moderator")
    flag = Flag.objects.create(annotation=world["notes"]["public"], flagger=curator, reason="Spam")
    membership = Membership.objects.get(user=curator)
    orphan_type = ContentType.objects.create(app_label="documents", model="nolongerthere")

    assert view_on_site(client, flag).status_code == 404
    assert view_on_site(client, membership).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[orphan_type.pk, 1])).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[987654, 1])).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[10**20, 1])).status_code == 404
    assert client.get("/admin/r/abc/1/").status_code == 404
    invitation_type = ContentType.objects.get_for_model(Invitation)
    for pk in ["99999999999999999999", "-1", "1.5", "x"]:
        assert client.get(reverse("admin:view_on_site", args=[invitation_type.pk, pk])).status_code == 404


def test_view_on_site_sends_no_invitation_token_to_a_curator_in_no_group(client, world):
    """The attack as reported: walk every invitation id, collect the links, join."""
    as_curator(client, world, "in no group")
    content_type = ContentType.objects.get_for_model(Invitation)
    last = Invitation.objects.order_by("-pk").first().pk

    answers = [
        client.get(reverse("admin:view_on_site", args=[content_type.pk, pk])) for pk in range(1, last + 3)
    ]

    assert {answer.status_code for answer in answers} == {404}


def test_every_object_in_the_archive_is_sent_on_only_when_its_page_is_readable(client, world):
    """Every content type × every row: no redirect names a token or a group the curator is not in."""
    as_curator(client, world, "member")
    secrets = [
        world["links"]["circle"].token,
        world["groups"]["circle"].slug,
        world["links"]["seminar"].token,
    ]
    private = str(world["notes"]["private"].pk)

    for content_type in ContentType.objects.all():
        model = content_type.model_class()
        if model is None:
            continue
        for pk in model._default_manager.values_list("pk", flat=True):
            response = client.get(reverse("admin:view_on_site", args=[content_type.pk, pk]))
            assert response.status_code in (302, 404), (model, pk)
            location = response.get("Location", "")
            assert not any(secret in location for secret in secrets), (model, pk, location)
            assert private not in location, (model, pk)


# --- Delete confirmations ----------------------------------------------------------------------


def unseen_words(role) -> list[str]:
    if role == "in no group":
        return UNSEEN_WORDS
    return ["hermit", "stranger", "wombat", "Closed circle", "hermit-only"]


def seen_notes(world, role) -> list[Annotation]:
    notes = [world["notes"]["public"]]
    return notes if role == "in no group" else [*notes, world["notes"]["seminar"]]


def assert_lists_only_what_they_may_see(response, world, role):
    assert response.status_code == 200
    body = response.content.decode()
    for word in unseen_words(role):
        assert word not in body, word
    counts = dict(response.context["model_count"])
    assert counts.get("tagged annotations") == len(seen_notes(world, role))
    # No number anywhere may count what the curator may not see.
    listed = re.findall(r"tagged with", body)
    assert len(listed) == len(seen_notes(world, role))


@pytest.mark.parametrize("role", ROLES)
def test_the_tag_delete_page_lists_only_notes_the_curator_may_see(client, world, role):
    as_curator(client, world, role)
    tag = Tag.objects.get(name="shared")

    response = client.get(reverse("admin:taggit_tag_delete", args=[tag.pk]))

    assert_lists_only_what_they_may_see(response, world, role)


@pytest.mark.parametrize("role", ROLES)
def test_delete_selected_lists_only_notes_the_curator_may_see(client, world, role):
    as_curator(client, world, role)
    tag = Tag.objects.get(name="shared")

    response = client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [tag.pk]},
    )

    assert_lists_only_what_they_may_see(response, world, role)


def test_the_line_on_what_is_not_listed_depends_on_the_model_never_on_the_rows(client, world):
    """It shows for a tag on public notes alone as for one on private notes too, never for a collection."""
    from documents.admin_site import UNLISTED

    as_curator(client, world, "in no group")
    lonely = write(UserFactory(), world["document"], tags=["lonely"])
    pages = {
        name: client.get(reverse("admin:taggit_tag_delete", args=[Tag.objects.get(name=name).pk]))
        for name in ["lonely", "shared"]
    }
    collection = client.get(reverse("admin:documents_collection_delete", args=[CollectionFactory().pk]))

    assert lonely.tags.names()
    for response in pages.values():
        assert UNLISTED in response.content.decode()
    assert UNLISTED not in collection.content.decode()
    assert "Are you sure" in collection.content.decode()


def test_what_is_deleted_is_always_listed_whatever_its_model(client, world):
    """The rows a curator chose on a changelist are theirs to see: an access attempt is listed on
    its own delete page, with no line about what is not listed (nothing can be)."""
    from axes.models import AccessAttempt

    from documents.admin_site import UNLISTED

    as_curator(client, world, "in no group")
    attempt = AccessAttempt.objects.create(
        username="locked-out", ip_address="203.0.113.9", failures_since_start=5
    )

    response = client.get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]))

    assert response.status_code == 200
    assert f"/admin/axes/accessattempt/{attempt.pk}/change/" in str(response.context["deleted_objects"])
    assert dict(response.context["model_count"]) == {"access attempts": 1}
    assert UNLISTED not in response.content.decode()


def test_deleting_a_tag_still_removes_it_from_notes_the_curator_may_not_see(client, world):
    """Only the listing follows visible_to; the deletion is the one the curator confirmed."""
    as_curator(client, world, "in no group")
    tag = Tag.objects.get(name="shared")

    response = client.post(reverse("admin:taggit_tag_delete", args=[tag.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Tag.objects.filter(name="shared").exists()
    assert list(world["notes"]["private"].tags.names()) == ["hermit-only"]


@pytest.mark.parametrize("role", ROLES)
def test_the_document_delete_pages_list_no_note_the_curator_may_not_see(client, world, role):
    """Notes are their authors' words, so a document that carries any cannot be deleted here
    (docs/curators.md, "Curators"); the refusal names the kind, never a note, an author or a number."""
    as_curator(client, world, role)
    document = world["document"]

    single = client.get(reverse("admin:documents_document_delete", args=[document.pk]))
    bulk = client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [document.pk]},
    )

    for response in (single, bulk):
        assert response.status_code == 200
        body = response.content.decode()
        for word in unseen_words(role):
            assert word not in body, word
        assert "annotation" in response.context["perms_lacking"]
        listed = str(response.context.get("deleted_objects") or response.context.get("deletable_objects"))
        for note in world["notes"].values():
            assert (str(note) in listed) is (note in seen_notes(world, role)), note
        counts = dict(response.context["model_count"])
        assert counts["annotations"] == len(seen_notes(world, role))


def test_deleting_an_account_lists_none_of_its_groups_or_private_notes(client, world):
    """A superuser is a curator too: the account's memberships of groups they are not in,
    its private notes' tags and its API tokens are not listed."""
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    loner = UserFactory(username="loner")
    circle = world["groups"]["circle"]
    groups.join_group(slug=circle.slug, token=world["links"]["circle"].token, user=loner)
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_user_delete", args=[loner.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Closed circle" not in body
    assert "memberships" not in dict(response.context["model_count"])
    assert "loner" in body


@pytest.mark.parametrize("admin_class", [type(model_admin) for model_admin in admin.site._registry.values()])
def test_every_registered_admin_lists_deletions_through_the_one_rule(admin_class):
    from documents.admin_site import ListsWhatTheyMaySee

    assert issubclass(admin_class, ListsWhatTheyMaySee)


# --- Filters and lookups in the address -----------------------------------------------------------


@pytest.mark.parametrize(
    "changelist, lookup",
    [
        ("admin:documents_document_changelist", "annotations__isnull"),
        ("admin:documents_document_changelist", "annotations__gt"),
        ("admin:taggit_tag_changelist", "annotation__isnull"),
        ("admin:taggit_tag_changelist", "documents_taggedannotation_items__isnull"),
        ("admin:documents_annotation_changelist", "notifications__isnull"),
        ("admin:documents_annotation_changelist", "replies__isnull"),
    ],
)
def test_a_lookup_through_notes_in_the_address_is_refused(client, world, changelist, lookup):
    """Django lets a query string follow any one relation; through notes that would tell a
    curator which documents and tags carry notes they may not see."""
    as_curator(client, world, "in no group")
    DocumentFactory(slug="quiet", title="Quiet")
    write(world["people"]["hermit"], Document.objects.get(slug="quiet"), visibility="private")

    value = "00000000-0000-0000-0000-000000000000" if lookup.endswith("__gt") else "False"
    response = client.get(reverse(changelist), {lookup: value})

    assert response.status_code == 400


def test_the_declared_filters_still_work(client, world):
    as_curator(client, world, "in no group")
    tag = Tag.objects.get(name="shared")

    notes = client.get(reverse("admin:documents_annotation_changelist"), {"tags__id__exact": tag.pk})
    documents = client.get(reverse("admin:documents_document_changelist"), {"tags__id__exact": tag.pk})

    assert list(notes.context["cl"].result_list) == [world["notes"]["public"]]
    assert documents.status_code == 200


# --- A note's own page ---------------------------------------------------------------------------


def test_a_note_page_does_not_show_the_note_it_answers_when_that_is_hidden_from_the_curator(client, world):
    """A former member's own reply stays theirs; the group note it answers does not."""
    curator = as_curator(client, world, "member")
    reply = services.create_annotation(author=curator, parent=world["notes"]["seminar"], comment="Agreed.")
    groups.leave_group(group=world["groups"]["seminar"], user=curator)

    response = client.get(reverse("admin:documents_annotation_change", args=[reply.pk]))

    assert response.status_code == 200
    assert "mentor" not in response.content.decode()


# --- Recent actions and history --------------------------------------------------------------------


def test_recent_actions_drop_a_note_that_has_since_become_private(client, world):
    """A curator hid a public note and restored it; its author then made it private: the index no
    longer names it. (A hidden note itself never moves: see ``annotation_rules.check_move``.)"""
    as_curator(client, world, "in no group")
    public = world["notes"]["public"]
    client.post(reverse("admin:documents_annotation_hide", args=[public.pk]), {"reason": "Rude"})
    client.post(reverse("admin:documents_annotation_restore", args=[public.pk]))
    shown = client.get(reverse("admin:index")).content.decode()
    services.update_annotation(Annotation.objects.get(pk=public.pk), visibility="private")

    response = client.get(reverse("admin:index"))

    assert "publicist" in shown
    assert "publicist" not in response.content.decode()
    assert "Recent actions" in response.content.decode()


def test_recent_actions_keep_what_the_curator_still_sees_and_deleted(client, world):
    as_curator(client, world, "in no group")
    client.post(
        reverse("admin:documents_annotation_hide", args=[world["notes"]["public"].pk]), {"reason": "Rude"}
    )
    spare = DocumentFactory(title="A spare copy")
    client.post(reverse("admin:documents_document_delete", args=[spare.pk]), {"post": "yes"})

    body = client.get(reverse("admin:index")).content.decode()

    assert "publicist on" in body
    assert "A spare copy" in body


# --- Every page reachable from the index, and every autocomplete ---------------------------------

SKIP = re.compile(r"/admin/(logout|password_change|r)/|/admin/jsi18n/")


def crawl(client, start="/admin/", limit=300):
    """Every admin page reachable by links from ``start`` (GET only), with its body: each path once
    for each query parameter alone (a filter's other values, or two filters at once, show nothing new)."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            shape = (parts.path, frozenset(key for key, _ in parse_qsl(parts.query)))
            if len(shape[1]) > 1 or not parts.path.startswith("/admin/") or SKIP.search(target):
                continue
            if shape not in seen:
                seen.add(shape)
                queue.append(target)
    return pages


def test_no_admin_page_reachable_from_the_index_names_what_the_curator_may_not_see(client, world):
    curator = as_curator(client, world, "in no group")
    public = world["notes"]["public"]
    Flag.objects.create(annotation=public, flagger=curator, reason="Spam?")
    moderation.hide_annotation(
        public, by=curator, reason="Rude"
    )  # so Recent actions and history have entries

    pages = crawl(client)

    assert len(pages) > 30
    assert any(re.search(r"/taggit/tag/\d+/delete/", url) for url in pages)
    assert any(re.search(r"/documents/document/\d+/delete/", url) for url in pages)
    secrets = [*UNSEEN_WORDS, *(link.token for link in world["links"].values())]
    secrets += [str(note.pk) for key, note in world["notes"].items() if key != "public"]
    for url, response in pages.items():
        assert response.status_code in (200, 302, 400, 403, 404, 405), url
        body = response.content.decode() + response.get("Location", "")
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_no_autocomplete_names_what_the_curator_may_not_see(client, world):
    """Every relation of every model, asked with an empty term and with each unseen word."""
    as_curator(client, world, "in no group")
    # Note ids are UUIDs, so no other model's id can match one; groups are found by name.
    unseen = {str(note.pk) for key, note in world["notes"].items() if key != "public"}

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete):
                continue
            for term in ["", "hermit", "wombat", "mentor", "circle"]:
                response = client.get(
                    reverse("admin:autocomplete"),
                    {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": field.name,
                        "term": term,
                    },
                )
                assert response.status_code in (200, 403, 404), (model, field.name)
                if response.status_code == 200:
                    results = response.json()["results"]
                    names = " ".join(result["text"] for result in results)
                    assert not unseen & {result["id"] for result in results}, (model, field.name)
                    for word in UNSEEN_WORDS:
                        assert word not in names, (model, field.name, word)


def test_groups_memberships_and_invitations_have_no_admin_pages(client, world):
    """Groups are their members' (docs/reading-and-annotating.md, "Groups"): the admin registers none of
    them."""
    for model in (Group, Membership, Invitation):
        assert not admin.site.is_registered(model)
