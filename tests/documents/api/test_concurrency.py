"""Many requests at once against a real server: one winner, no 500, nothing resurrected or lost.

Each test releases its requests together from a pool of threads against
pytest-django's live server, on whichever database the suite runs on (a file
for SQLite, so that the server's threads and the test share it). Scripts
authenticate with tokens; curators use the admin with a session.
"""

from __future__ import annotations

import importlib
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.test import Client

from documents.accounts.tokens import issue_token
from documents.annotations import services, writes
from documents.models import CURATORS, Annotation, Document
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db(transaction=True)

ANNO = "http://www.w3.org/ns/anno.jsonld"
CSRF = "c" * 32


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


def request(url: str, method: str = "GET", *, data=None, headers=None, form=None) -> Answer:
    body = None
    headers = dict(headers or {})
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/ld+json"
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    sent = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(sent, timeout=60) as answer:  # noqa: S310
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))


def together(*calls):
    """Run the calls in threads released at the same moment; their answers in the same order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def token(user) -> dict[str, str]:
    return {"Authorization": f"Token {issue_token(user=user)[1]}"}


def session(user) -> dict[str, str]:
    """Headers for a logged-in browser: its session cookie and a CSRF cookie to echo."""
    client = Client()
    client.force_login(user)
    assert client.session[SESSION_KEY]
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"}


def new_annotation(base: str, document, comment: str = "Note", exact: str = "The first passage"):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": comment,
        "visibility": "public",
        "target": {
            "source": base + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": exact},
        },
    }


def edited(representation: dict, comment: str) -> dict:
    return {key: value for key, value in representation.items() if key != "body"} | {"bodyValue": comment}


def server_errors(answers) -> list[int]:
    return [answer.status for answer in answers if answer.status >= 500]


@pytest.fixture(autouse=True)
def curators_group():
    """Tests on a live server empty every table after them, the groups of the data migration too."""
    migration = importlib.import_module("documents.migrations.0002_groups")
    group, _ = Group.objects.get_or_create(name=CURATORS)
    for app_label, codenames in migration.CURATOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


@pytest.fixture
def base(live_server) -> str:
    return live_server.url


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def document():
    return DocumentFactory()


def test_parallel_puts_with_one_etag_have_exactly_one_winner(base, author, document):
    annotation = AnnotationFactory(document=document, author=author, visibility="public")
    url = f"{base}/api/annotations/{annotation.pk}/"
    auth = token(author)
    read = request(url, headers=auth)
    etag = read.headers["ETag"]

    answers = together(
        *[
            partial(
                request,
                url,
                "PUT",
                data=edited(read.json(), f"writer {n}"),
                headers=auth | {"If-Match": etag},
            )
            for n in range(20)
        ]
    )

    statuses = sorted(answer.status for answer in answers)
    assert statuses == [200] + [412] * 19
    winner = next(answer for answer in answers if answer.status == 200).json()
    final = request(url, headers=auth).json()
    assert final["body"] == winner["body"]
    assert final["body"][0]["value"].startswith("writer ")


def test_a_put_racing_a_delete_never_brings_the_annotation_back(base, author, document):
    auth = token(author)
    replier = UserFactory()
    for _ in range(4):
        annotation = AnnotationFactory(document=document, author=author, visibility="public")
        reply = request(
            f"{base}/api/annotations/",
            "POST",
            data={
                "@context": ANNO,
                "type": "Annotation",
                "motivation": "replying",
                "bodyValue": "A reply",
                "target": f"{base}/api/annotations/{annotation.pk}/",
            },
            headers=token(replier),
        )
        assert reply.status == 201
        url = f"{base}/api/annotations/{annotation.pk}/"
        read = request(url, headers=auth)
        etag = read.headers["ETag"]
        changed = edited(read.json(), "Changed")

        answers = together(
            partial(request, url, "DELETE", headers=auth | {"If-Match": etag}),
            *[partial(request, url, "PUT", data=changed, headers=auth | {"If-Match": etag})] * 3,
        )

        deleted, puts = answers[0], answers[1:]
        assert server_errors(answers) == []
        assert sum(answer.status in (200, 204) for answer in answers) == 1
        if deleted.status == 204:
            assert {answer.status for answer in puts} <= {404, 412}
            assert request(url, headers=auth).status == 404
            assert not Annotation.objects.filter(pk=annotation.pk).exists()
            assert not Annotation.objects.filter(root_id=annotation.pk).exists()
        else:
            assert deleted.status == 412
            assert Annotation.objects.get(pk=annotation.pk).comment == "Changed"
            assert Annotation.objects.filter(parent_id=annotation.pk).count() == 1


def test_replies_sent_while_their_parent_is_deleted_leave_no_orphan(base, author, document):
    auth = token(author)
    repliers = [token(replier) for replier in UserFactory.create_batch(6)]
    for _ in range(2):
        parent = AnnotationFactory(document=document, author=author, visibility="public")
        url = f"{base}/api/annotations/{parent.pk}/"
        reply = {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "replying",
            "bodyValue": "Too late?",
            "target": url,
        }

        answers = together(
            partial(request, url, "DELETE", headers=auth),
            *[
                partial(request, f"{base}/api/annotations/", "POST", data=reply, headers=key)
                for key in repliers
            ],
        )

        assert server_errors(answers) == []
        assert answers[0].status == 204
        assert {answer.status for answer in answers[1:]} <= {201, 400}
        assert not Annotation.objects.filter(pk=parent.pk).exists()
        assert not Annotation.objects.filter(parent_id=parent.pk).exists()
        assert not Annotation.objects.filter(root_id=parent.pk).exists()


def admin_action(base, headers, action: str, annotation, **extra) -> Answer:
    form = {
        "action": action,
        "_selected_action": [str(annotation.pk)],
        "index": "0",
        "csrfmiddlewaretoken": CSRF,
        **extra,
    }
    return request(f"{base}/admin/documents/annotation/", "POST", form=form, headers=headers)


def test_a_curators_hide_is_never_undone_by_the_authors_concurrent_edits(base, author, document):
    curator = CuratorFactory()
    annotation = AnnotationFactory(document=document, author=author, visibility="public")
    url = f"{base}/api/annotations/{annotation.pk}/"
    auth = token(author)
    read = request(url, headers=auth).json()

    cookies = session(curator)

    answers = together(
        partial(admin_action, base, cookies, "hide", annotation, reason="Off topic"),
        *[partial(request, url, "PUT", data=edited(read, f"edit {n}"), headers=auth) for n in range(8)],
    )

    assert server_errors(answers) == []
    assert answers[0].status == 302
    annotation.refresh_from_db()
    assert annotation.hidden
    assert (annotation.hidden_by, annotation.hidden_reason) == (curator, "Off topic")
    assert annotation.comment.startswith("edit ")


def test_curators_hiding_and_restoring_at_once_leave_a_consistent_state(base, author, document):
    curators = [(curator, session(curator)) for curator in CuratorFactory.create_batch(3)]
    for _ in range(3):
        annotation = AnnotationFactory(document=document, author=author, visibility="public")
        hides = [
            partial(admin_action, base, h, "hide", annotation, reason=f"by {c.username}") for c, h in curators
        ]
        restores = [partial(admin_action, base, h, "restore", annotation) for _, h in curators]

        answers = together(*hides, *restores)

        assert server_errors(answers) == []
        annotation.refresh_from_db()
        if annotation.hidden:
            assert annotation.hidden_at is not None
            assert annotation.hidden_reason == f"by {annotation.hidden_by.username}"
        else:
            assert (annotation.hidden_by, annotation.hidden_at, annotation.hidden_reason) == (None, None, "")


def test_hiding_an_annotation_its_author_deletes_is_no_error(base, author, document):
    cookies = [session(curator) for curator in CuratorFactory.create_batch(4)]
    annotation = AnnotationFactory(document=document, author=author, visibility="public")
    url = f"{base}/api/annotations/{annotation.pk}/"
    auth = token(author)

    answers = together(
        partial(request, url, "DELETE", headers=auth),
        *[partial(admin_action, base, h, "hide", annotation, reason="Spam") for h in cookies],
    )

    assert server_errors(answers) == []
    assert answers[0].status == 204
    assert not Annotation.objects.filter(pk=annotation.pk).exists()


def test_a_text_edit_racing_new_annotations_leaves_none_on_the_old_revision(base, author):
    cookies = session(CuratorFactory())
    document = DocumentFactory(text="The first passage.\n\nThe second passage.")
    auth = token(author)
    texts = ["An inserted passage.\n\n" + document.text, "Moved: " + document.text]
    for text in texts:
        fields = {
            "title": document.title,
            "slug": document.slug,
            "creator": document.creator,
            "date": document.date.isoformat(),
            "type": document.type,
            "language": "en",
            "text": text,
            "status": "published",
            "tags": "",
            "csrfmiddlewaretoken": CSRF,
        }
        edit = f"{base}/admin/documents/document/{document.pk}/change/"

        answers = together(
            partial(request, edit, "POST", form=fields, headers=cookies),
            *[
                partial(
                    request,
                    f"{base}/api/annotations/",
                    "POST",
                    data=new_annotation(base, document, f"n{n}", exact="second passage"),
                    headers=auth,
                )
                for n in range(8)
            ],
        )

        assert server_errors(answers) == []
        assert answers[0].status == 302
        assert {answer.status for answer in answers[1:]} <= {201, 400}
        current = Document.objects.get(pk=document.pk)
        assert current.text == text
        for annotation in current.annotations.all():
            if annotation.anchor != Annotation.Anchor.ORPHANED:
                assert annotation.revision == current.revision
                assert current.canonical_text[annotation.start : annotation.end] == annotation.exact


def test_importing_one_file_several_times_at_once_stores_it_once(base, author, document):
    auth = token(author)
    items = [
        new_annotation(base, document, "One", exact="first passage") | {"id": "urn:example:one"},
        new_annotation(base, document, "Two", exact="A heading") | {"id": "urn:example:two"},
    ]

    answers = together(*[partial(request, f"{base}/api/annotations/", "POST", data=items, headers=auth)] * 6)

    assert server_errors(answers) == []
    assert [answer.status for answer in answers] == [200] * 6
    reports = sorted((len(a.json()["items"]), len(a.json()["already"]), a.json()["refused"]) for a in answers)
    assert reports == [(0, 2, [])] * 5 + [(2, 0, [])]
    assert sorted(Annotation.objects.filter(author=author).values_list("via", flat=True)) == [
        "urn:example:one",
        "urn:example:two",
    ]


def test_importing_one_file_without_ids_several_times_at_once_stores_it_once(base, author, document):
    """An export re-posted with its ids removed, six times at once: the identical notes are found
    under the importer's lock, so each is stored once (docs/reading-and-annotating.md, "Exports and
    imports")."""
    auth = token(author)
    items = [
        new_annotation(base, document, "One", exact="first passage"),
        new_annotation(base, document, "Two", exact="A heading"),
    ]

    answers = together(*[partial(request, f"{base}/api/annotations/", "POST", data=items, headers=auth)] * 6)

    assert server_errors(answers) == []
    assert [answer.status for answer in answers] == [200] * 6
    assert sorted(len(answer.json()["already"]) for answer in answers) == [0] + [2] * 5
    assert Annotation.objects.filter(author=author).count() == 2


def test_parallel_new_annotations_with_one_new_tag_all_succeed(base, author, document):
    auth = token(author)
    data = new_annotation(base, document) | {
        "body": [
            {"type": "TextualBody", "value": "Brand new tag", "purpose": "tagging"},
        ]
    }
    data.pop("bodyValue")

    answers = together(*[partial(request, f"{base}/api/annotations/", "POST", data=data, headers=auth)] * 10)

    assert [answer.status for answer in answers] == [201] * 10
    assert Annotation.objects.filter(author=author, tags__name="Brand new tag").count() == 10


def test_curators_saving_the_same_revision_at_once_one_wins_the_others_keep_their_text(base):
    """Each edit starts from revision 1: one is saved as revision 2, every other is refused with its
    text still in the form, the winner named and the changes made meanwhile shown; nothing is half-written."""
    document = DocumentFactory(text="The first passage.")
    people = [CuratorFactory() for _ in range(4)]
    curators = [session(person) for person in people]
    edit = f"{base}/admin/documents/document/{document.pk}/change/"

    def fields(n):
        return {
            "title": document.title,
            "slug": document.slug,
            "creator": document.creator,
            "date": document.date.isoformat(),
            "type": document.type,
            "language": "en",
            "text": f"The first passage, corrected by curator {n}.",
            "base_revision": "1",
            "status": "published",
            "tags": "",
            "csrfmiddlewaretoken": CSRF,
        }

    answers = together(
        *[partial(request, edit, "POST", form=fields(n), headers=h) for n, h in enumerate(curators)]
    )

    assert server_errors(answers) == []
    assert sorted(answer.status for answer in answers) == [200, 200, 200, 302]
    current = Document.objects.get(pk=document.pk)
    winner = next(n for n, answer in enumerate(answers) if answer.status == 302)
    assert (current.revision, current.text) == (2, f"The first passage, corrected by curator {winner}.")
    assert list(current.revisions.values_list("number", flat=True)) == [2, 1]
    for n, answer in enumerate(answers):
        if answer.status == 200:
            page = answer.body.decode()
            assert f"after you opened revision 1 (by {people[winner]}, on " in page
            assert f"corrected by curator {n}." in page


def moved(representation: dict, visibility: str, group: str | None = None) -> dict:
    """The note as read, moved to another audience (docs/reading-and-annotating.md, "Groups": "Moving a
    note")."""
    sent = {key: value for key, value in representation.items() if key != "group"} | {
        "visibility": visibility
    }
    return sent | ({"group": group} if group else {})


def test_replies_sent_while_their_thread_moves_never_leave_the_group_they_were_written_in(base, document):
    author, *members = UserFactory.create_batch(4)
    seminar = make_group(author, *members, name="Seminar")
    auth = token(author)
    repliers = [token(member) for member in members]
    for _ in range(3):
        root = services.create_annotation(
            author=author,
            document=document,
            target=writes.Target(exact="first passage"),
            comment="Ours.",
            visibility="group",
            group=seminar,
        )
        url = f"{base}/api/annotations/{root.pk}/"
        public = moved(request(url, headers=auth).json(), "public")
        reply = {"@context": ANNO, "type": "Annotation", "motivation": "replying", "bodyValue": "Between us."}

        answers = together(
            partial(request, url, "PUT", data=public, headers=auth),
            *[
                partial(
                    request, f"{base}/api/annotations/", "POST", data=reply | {"target": url}, headers=key
                )
                for key in repliers
            ],
        )

        assert server_errors(answers) == []
        assert answers[0].status in (200, 400)
        assert {answer.status for answer in answers[1:]} == {201}
        root.refresh_from_db()
        replies = list(Annotation.objects.filter(root=root))
        if answers[0].status == 400:
            assert (root.visibility, root.group_id) == ("group", seminar.pk)
            assert {(r.visibility, r.group_id) for r in replies} == {("group", seminar.pk)}
        else:
            # Each reply was written after the move, to the thread as it then was: none was carried.
            assert root.visibility == "public"
            assert {r.visibility for r in replies} == {"public"}
            # Dated when written, after the move they waited for (not when their request began).
            assert all(r.created > root.modified for r in replies)


def test_a_curators_hide_racing_a_move_into_the_authors_group_leaves_the_hide_with_curators(base, document):
    author = UserFactory()
    own = make_group(author, name="Own")
    curators = [session(curator) for curator in CuratorFactory.create_batch(2)]
    auth = token(author)
    for _ in range(4):
        note = AnnotationFactory(document=document, author=author, visibility="public")
        url = f"{base}/api/annotations/{note.pk}/"
        into_own = moved(request(url, headers=auth).json(), "group", f"{base}/groups/{own.slug}/")

        answers = together(
            partial(request, url, "PUT", data=into_own, headers=auth),
            *[partial(admin_action, base, h, "hide", note, reason="Off topic") for h in curators],
        )

        assert server_errors(answers) == []
        note.refresh_from_db()
        if note.hidden:
            assert answers[0].status == 400
            assert (note.visibility, note.group_id) == ("public", None)
        else:
            assert answers[0].status == 200
            assert (note.visibility, note.group_id) == ("group", own.pk)
