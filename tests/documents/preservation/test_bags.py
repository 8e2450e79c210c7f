"""``export_bag`` and ``import_bag``: the whole archive out as a BagIt bag and back into an empty
database, compared over the API as every reader sees it (docs/preservation.md)."""

import json

import bagit
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from taggit.models import Tag

from documents.accounts.tokens import issue_token
from documents.annotations import moderation, text_changes
from documents.annotations.anchoring import Selector
from documents.annotations.models import Annotation, Flag
from documents.annotations.services import create_annotation
from documents.archive.models import Collection, Document, DocumentRevision, WithdrawnDocument
from documents.groups.models import Group
from documents.search.models import SearchEntry
from tests.factories import CollectionFactory, CuratorFactory, DocumentFactory, UserFactory, make_group
from tests.mail import run_worker

pytestmark = pytest.mark.django_db

TEXT = "# Minutes\n\nThe council met at noon.\n\n> We shall build the canal.\n\n- Item one"


def _archive():
    """A small archive with one of everything a restore must bring back."""
    curator = CuratorFactory(username="curie", first_name="Marie", last_name="Curie")
    ada, bob, cy = (UserFactory(username=name) for name in ("ada", "bob", "cy"))
    rivers = CollectionFactory(slug="rivers", title="Rivers")
    CollectionFactory(slug="empty", title="Empty")
    minutes = DocumentFactory(slug="minutes", text=TEXT, tags=["canals"], collections=[rivers])
    DocumentFactory(slug="plan", status="draft", text="A draft plan\u00a0with 𝔘nicode.")
    seminar = make_group(ada, bob, name="Seminar")

    def note(author, exact, **kwargs):
        return create_annotation(author=author, document=minutes, target=Selector(exact=exact), **kwargs)

    public = note(ada, "council", comment="Which *council*?", tags=["Governance"], visibility="public")
    create_annotation(author=bob, parent=public, comment="The city's.")
    note(ada, "noon", comment="Mine alone.")
    note(bob, "canal", comment="For the seminar.", visibility="group", group=seminar)
    hidden = note(cy, "met", comment="Spam.", visibility="public")
    moderation.hide_annotation(hidden, by=curator, reason="Off topic.")
    note(cy, "Item one", comment="Will be orphaned.", visibility="public")
    create_annotation(
        author=cy, document=minutes, target=Selector(), comment="A page note.", visibility="public"
    )
    moderation.flag_annotation(annotation_id=public.pk, user=cy, reason="Rude?")
    dismissed, _ = moderation.flag_annotation(annotation_id=public.pk, user=bob, reason="Off topic?")
    moderation.dismiss_flag(flag_id=dismissed.pk, by=curator)
    withdrawn = DocumentFactory(slug="withdrawn", text="Published, then withdrawn.", collections=[rivers])
    text_changes.set_document_status(withdrawn, "draft")
    minutes.text = TEXT.replace("Item one", "Item two").replace("noon", "midday")
    text_changes.save_document(minutes, by=curator, summary="Corrected.")
    return curator


def _as(username: str | None) -> Client:
    if username is None:
        return Client()
    _, key = issue_token(user=get_user_model().objects.get(username=username))
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _all(client: Client, url: str) -> list:
    items, page = [], client.get(url).json()
    page = page.get("first", page)
    while page:
        if isinstance(page, str):
            page = client.get(page).json()
        items += page.get("items", page.get("results", []))
        page = page.get("next")
    return items


def _seen() -> dict:
    """What each reader sees over the API, and the records no page shows whole."""
    seen = {}
    for reader in (None, "ada", "bob", "cy", "curie"):
        client = _as(reader)
        documents = _all(client, "/api/documents/")
        seen[reader] = {
            "documents": documents,
            "each": {
                slug: (answer.status_code, answer.json())
                for slug in ("minutes", "plan")
                for answer in [client.get(f"/api/documents/{slug}/")]
            },
            "annotations": sorted(_all(client, "/api/annotations/"), key=lambda a: a["id"]),
        }
    seen["records"] = {
        "revisions": list(
            DocumentRevision.objects.values_list("document__slug", "number", "text", "created")
        ),
        "drafts": list(
            Document.objects.filter(status="draft").values_list("slug", "text", "created", "modified")
        ),
        "notes": sorted(
            Annotation.objects.values_list(
                "id",
                "author__username",
                "visibility",
                "group__slug",
                "hidden",
                "hidden_by__username",
                "ancestor_hidden",
                "anchor",
                "revision",
                "original_exact",
                "quoted_revision",
                "parent",
                "root",
                "start",
                "end",
                "exact",
                "created",
                "modified",
                "comment_html",
            )
        ),
        "groups": list(Group.objects.values_list("slug", "memberships__user__username", "memberships__role")),
        "users": list(
            get_user_model()
            .objects.order_by("username")
            .values_list(
                "username", "first_name", "last_name", "email", "is_staff", "date_joined", "groups__name"
            )
        ),
        "collections": list(Collection.objects.values_list("slug", "title", "created", "documents__slug")),
        "flags": sorted(
            Flag.objects.values_list(
                "annotation",
                "flagger__username",
                "reason",
                "created",
                "flagged_quote",
                "flagged_comment",
                "flagged_tags",
                "dismissed_by__username",
                "dismissed_at",
            )
        ),
        "withdrawn": list(WithdrawnDocument.objects.values_list("slug", "withdrawn", "collections")),
    }
    return seen


def _empty_the_database():
    WithdrawnDocument.objects.all().delete()
    Annotation.objects.all().delete()
    Group.objects.all().delete()
    Document.objects.all().delete()
    Collection.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


def test_a_restored_archive_reads_as_the_exported_one_to_every_reader(tmp_path):
    _archive()
    before = _seen()
    bag = tmp_path / "bag"
    call_command("export_bag", str(bag), verbosity=0)
    bagit.Bag(str(bag)).validate()

    _empty_the_database()
    call_command("import_bag", str(bag), verbosity=0)

    after = _seen()
    assert after == before
    assert before[None]["annotations"], "anonymous readers see the public notes"
    assert len(before["ada"]["annotations"]) > len(before[None]["annotations"])
    assert SearchEntry.objects.filter(annotation__isnull=False).exists(), "the index is rebuilt"


def test_restored_accounts_have_no_password_and_their_owners_can_set_one(tmp_path, client, mailoutbox):
    UserFactory(username="ada", email="ada@example.org")
    call_command("export_bag", str(tmp_path / "bag"), verbosity=0)
    assert "password" not in (tmp_path / "bag" / "data" / "users.jsonl").read_text()
    _empty_the_database()
    call_command("import_bag", str(tmp_path / "bag"), verbosity=0)
    ada = get_user_model().objects.get(username="ada")
    assert not ada.has_usable_password()

    client.post("/accounts/password_reset/", {"email": "ADA@example.org"})
    run_worker()
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


def test_the_bag_names_its_archive_and_counts_and_has_both_manifests(tmp_path, settings):
    settings.ARCHIVE_NAME = "The Canal Archive"
    _archive()
    call_command("export_bag", str(tmp_path / "bag"), verbosity=0)
    bag = bagit.Bag(str(tmp_path / "bag"))
    assert bag.info["Source-Organization"] == "The Canal Archive"
    assert bag.info["Archive-Documents-Count"] == "3"
    assert bag.info["Archive-Annotations-Count"] == str(Annotation.objects.count())
    assert bag.info["Archive-Withdrawn-Count"] == "1"
    assert set(bag.algorithms) == {"sha256", "sha512"}
    lines = (tmp_path / "bag" / "data" / "annotations.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    assert first["annotation"]["type"] == "Annotation"
    assert first["archive"]["author"] == "ada"


def test_a_tampered_file_is_refused_and_nothing_is_written(tmp_path):
    _archive()
    bag = tmp_path / "bag"
    call_command("export_bag", str(bag), verbosity=0)
    _empty_the_database()
    documents = bag / "data" / "documents.jsonl"
    documents.write_text(documents.read_text().replace("council", "counsel"))

    with pytest.raises(CommandError, match=r"not valid.*documents\.jsonl"):
        call_command("import_bag", str(bag), verbosity=0)
    assert not Document.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_bad_record_rolls_back_everything(tmp_path):
    _archive()
    bag = tmp_path / "bag"
    call_command("export_bag", str(bag), verbosity=0)
    _empty_the_database()
    annotations = bag / "data" / "annotations.jsonl"
    annotations.write_text(annotations.read_text().replace('"author":"cy"', '"author":"nobody"'))
    bagit.Bag(str(bag)).save(manifests=True)  # re-checksummed: a valid bag with a bad record

    with pytest.raises(CommandError, match="nobody"):
        call_command("import_bag", str(bag), verbosity=0)
    assert not get_user_model().objects.exists()
    assert not Document.objects.exists()


def test_a_database_that_holds_records_is_refused(tmp_path):
    DocumentFactory()
    call_command("export_bag", str(tmp_path / "bag"), verbosity=0)
    with pytest.raises(CommandError, match=r"already holds documents.*empty database"):
        call_command("import_bag", str(tmp_path / "bag"), verbosity=0)
    assert Document.objects.count() == 1


def test_export_refuses_a_directory_that_holds_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("export_bag", str(tmp_path), verbosity=0)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_directory_that_is_not_a_bag_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a bag"):
        call_command("import_bag", str(tmp_path), verbosity=0)


def test_a_document_without_revisions_is_restored_as_it_was(tmp_path):
    """The demo seed bulk-creates documents without revision rows; a bag brings them back as they are."""
    Document.objects.bulk_create(
        [Document(slug="demo-1", title="Demo", text="Bulk made.", status="published")]
    )
    call_command("export_bag", str(tmp_path / "bag"), verbosity=0)
    _empty_the_database()
    call_command("import_bag", str(tmp_path / "bag"), verbosity=0)
    restored = Document.objects.get(slug="demo-1")
    assert (restored.canonical_text, restored.revisions.count()) == ("Bulk made.", 0)


def test_every_model_is_carried_or_left_out_for_a_reason():
    from django.apps import apps

    from documents.preservation.export import CARRIED, LEFT_OUT

    assert set(apps.get_app_config("documents").get_models()) == set(CARRIED) | set(LEFT_OUT)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"anchor":"orphaned"', '"anchor":"lost"', "anchor “lost” is not one of"),
        ('"role":"member"', '"role":"owner"', "role “owner”"),
        ('"date_joined":', '"date_left":', "cannot be restored.*date_joined"),
    ],
)
def test_a_record_the_archive_cannot_hold_is_refused_and_nothing_is_written(tmp_path, old, new, message):
    _archive()
    bag = tmp_path / "bag"
    call_command("export_bag", str(bag), verbosity=0)
    _empty_the_database()
    for path in (bag / "data").glob("*.jsonl"):
        path.write_text(path.read_text().replace(old, new, 1))
    bagit.Bag(str(bag)).save(manifests=True)

    with pytest.raises(CommandError, match=message):
        call_command("import_bag", str(bag), verbosity=0)
    assert not get_user_model().objects.exists()
