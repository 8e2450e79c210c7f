"""Group notes in the API: ``"visibility": "group"`` with ``"group": "<group IRI>"``
(docs/reading-and-annotating.md, "Groups")."""

import json

import pytest
from django.urls import reverse

from documents.annotations.rules import NOT_YOUR_GROUP
from documents.models import Annotation
from tests.factories import DocumentFactory, UserFactory, make_group

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return UserFactory(username="ada")


@pytest.fixture
def seminar(ada):
    return make_group(ada, name="Seminar")


def group_iri(slug):
    return f"{BASE}/groups/{slug}/"


def new_note(document, **terms):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "Read this together.",
        "target": {
            "source": BASE + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": "The first passage"},
        },
        **terms,
    }


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/ld+json")


def test_a_member_writes_a_group_note_and_reads_it_back_with_its_group(client, ada, seminar, document):
    client.force_login(ada)

    response = send(
        client,
        "post",
        reverse("api-annotation-list"),
        new_note(document, visibility="group", group=group_iri("seminar")),
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["visibility"], data["group"]) == ("group", group_iri("seminar"))
    assert data["@context"][1]["group"] == {"@id": f"{BASE}/ns/archive#group", "@type": "@id"}
    assert Annotation.objects.get().group == seminar


@pytest.mark.parametrize(
    "group",
    [
        group_iri("seminar"),
        group_iri("no-such-group"),
        f"{BASE}/documents/document-0/",
        "https://elsewhere.example/groups/seminar/",
    ],
    ids=["not a member", "no such group", "not a group", "another site"],
)
def test_a_group_one_is_not_in_is_refused_without_saying_whether_it_exists(client, seminar, document, group):
    client.force_login(UserFactory())

    response = send(
        client, "post", reverse("api-annotation-list"), new_note(document, visibility="group", group=group)
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == NOT_YOUR_GROUP
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("terms", "says"),
    [
        ({"visibility": "group"}, "A group note needs “group”"),
        ({"visibility": "public", "group": group_iri("seminar")}, "Only a group note names a group"),
    ],
)
def test_visibility_and_group_go_together(client, ada, seminar, document, terms, says):
    client.force_login(ada)

    response = send(client, "post", reverse("api-annotation-list"), new_note(document, **terms))

    assert response.status_code == 400
    assert response.json()["detail"].startswith(says)


def test_a_reply_takes_its_threads_group(client, ada, seminar, document):
    client.force_login(ada)
    root = send(
        client,
        "post",
        reverse("api-annotation-list"),
        new_note(document, visibility="group", group=group_iri("seminar")),
    ).json()

    reply = send(
        client,
        "post",
        reverse("api-annotation-list"),
        {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "replying",
            "bodyValue": "Yes.",
            "target": root["id"],
        },
    ).json()

    assert (reply["visibility"], reply["group"]) == ("group", group_iri("seminar"))


def test_the_author_moves_a_note_out_of_the_group_and_back_with_put(client, ada, seminar, document):
    client.force_login(ada)
    created = send(
        client,
        "post",
        reverse("api-annotation-list"),
        new_note(document, visibility="group", group=group_iri("seminar")),
    )
    url = created["Location"]

    public = send(client, "put", url, new_note(document, visibility="public")).json()
    back = send(client, "put", url, new_note(document, visibility="group", group=group_iri("seminar"))).json()

    assert (public["visibility"], "group" in public) == ("public", False)
    assert (back["visibility"], back["group"]) == ("group", group_iri("seminar"))


def test_the_containers_filter_by_group(client, ada, seminar):
    document = DocumentFactory()
    other = make_group(ada, name="Other")
    client.force_login(ada)
    for group in [seminar, other]:
        send(
            client,
            "post",
            reverse("api-annotation-list"),
            new_note(document, visibility="group", group=group_iri(group.slug)),
        )

    everywhere = client.get(reverse("api-annotation-list"), {"group": "seminar"}).json()
    here = client.get(reverse("api-document-annotations", args=[document.slug]), {"group": "other"}).json()
    unknown = client.get(reverse("api-annotation-list"), {"group": "nope"}).json()

    assert [item["group"] for item in everywhere["first"]["items"]] == [group_iri("seminar")]
    assert [item["group"] for item in here["first"]["items"]] == [group_iri("other")]
    assert unknown["total"] == 0


def test_an_export_of_group_notes_imports_back_into_the_group_for_a_member_only(
    client, ada, seminar, document
):
    client.force_login(ada)
    send(
        client,
        "post",
        reverse("api-annotation-list"),
        new_note(document, visibility="group", group=group_iri("seminar")),
    )
    exported = client.get(reverse("my-annotations-export", args=["jsonld"])).json()
    Annotation.objects.all().delete()

    again = send(client, "post", reverse("api-annotation-list"), exported)
    stranger = UserFactory()
    client.force_login(stranger)
    copied = send(client, "post", reverse("api-annotation-list"), exported)

    assert again.status_code == 200 and again.json()["imported"] == 1
    assert Annotation.objects.get(author=ada).group == seminar
    # Ada's note in someone else's import is their private copy, never a note in her group.
    assert copied.status_code == 200
    copy = Annotation.objects.get(author=stranger)
    assert (copy.visibility, copy.group, copy.creator_name) == ("private", None, ada.username)


def test_the_schema_describes_the_group_visibility(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    schemas = schema["components"]["schemas"]
    assert schemas["VisibilityEnum"]["enum"] == ["private", "public", "group"]
    assert schemas["AnnotationSchema"]["properties"]["group"]["format"] == "uri"
