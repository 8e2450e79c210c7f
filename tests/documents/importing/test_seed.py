"""The seed fixtures and ``load_seed``: faithful to the source page, idempotent, never overwriting."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from taggit.models import Tag

from documents.annotations import text_changes
from documents.archive import text as text_module
from documents.models import Collection, Document, TaggedDocument

pytestmark = pytest.mark.django_db

FIXTURES = settings.FIXTURE_DIRS[0]
SEED_SOURCE = (FIXTURES / "sources" / "signing-statement-page.txt").read_text(encoding="utf-8")
NBSP = "\u00a0"
PAGE = "clinton-administration"
STATEMENT = "statement-on-signature-of-the-icc-treaty"
TAGS = ["international-criminal-court", "rome-statute", "united-states"]


def load_seed() -> str:
    out = StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


def test_first_run_creates_the_documents_collection_and_tags():
    output = load_seed()

    assert "12 created, 0 left alone" in output
    assert set(Document.objects.values_list("slug", flat=True)) == {PAGE, STATEMENT}
    collection = Collection.objects.get()
    assert collection.title == "The United States and the International Criminal Court"
    for document in Document.objects.all():
        assert list(document.collections.all()) == [collection]
        assert sorted(document.tags.names()) == TAGS


def test_second_run_creates_nothing():
    load_seed()

    output = load_seed()

    assert "0 created, 12 left alone" in output
    assert Document.objects.count() == 2
    assert Collection.objects.count() == 1
    assert Tag.objects.count() == 3
    assert TaggedDocument.objects.count() == 6


def test_a_curators_edits_survive_a_second_run():
    load_seed()
    statement = Document.objects.get(slug=STATEMENT)
    statement.title = "Statement on signing the Rome Statute"
    statement.text += "\n\nA curator's note."
    statement.status = Document.Status.DRAFT
    text_changes.save_document(statement)
    statement.tags.remove("united-states")
    statement.collections.clear()

    load_seed()

    statement = Document.objects.get(slug=STATEMENT)
    assert statement.title == "Statement on signing the Rome Statute"
    assert statement.text.endswith("A curator's note.")
    assert statement.revision == 2
    assert statement.status == Document.Status.DRAFT
    assert sorted(statement.tags.names()) == ["international-criminal-court", "rome-statute"]
    assert not statement.collections.exists()


def test_a_deleted_seed_document_comes_back_with_its_tags():
    load_seed()
    Document.objects.get(slug=PAGE).delete()

    output = load_seed()

    assert "4 created" in output
    assert sorted(Document.objects.get(slug=PAGE).tags.names()) == TAGS


def test_seed_documents_are_published_with_a_publication_time():
    load_seed()

    for document in Document.objects.all():
        assert document.is_published
        assert document.published_at is not None
        assert document.revision == 1


def test_statement_is_the_two_quoted_passages_verbatim():
    load_seed()

    statement = Document.objects.get(slug=STATEMENT)

    assert len(statement.passages) == 2
    for passage in statement.passages:
        assert f'"{passage.text}' in SEED_SOURCE, "each passage starts right after an opening quotation mark"
    assert statement.passages[0].text.startswith("reaffirm our strong support")
    assert statement.passages[1].text.endswith("before choosing to become subject to its jurisdiction.")
    assert f"jurisdiction.{NBSP}But more must be done." in statement.canonical_text


def test_statement_metadata_is_what_the_page_supports():
    load_seed()

    statement = Document.objects.get(slug=STATEMENT)

    assert statement.title == "Statement on Signature of the International Criminal Court Treaty"
    assert statement.title in SEED_SOURCE
    assert statement.creator == "William J. Clinton"
    assert statement.date == datetime.date(2000, 12, 31)
    assert statement.type == Document.Type.STATEMENT
    assert "Clinton Administration" in statement.source


def test_page_keeps_its_prose_quotations_question_and_photo_credit_verbatim():
    load_seed()

    page = Document.objects.get(slug=PAGE)

    assert page.title == "Clinton Administration"
    assert page.type == Document.Type.WEB_PAGE
    for passage in page.passages:
        assert passage.text in SEED_SOURCE
    kinds = {passage.text: passage.kind for passage in page.passages}
    assert kinds["UN Photo/Eskinder Debebe"] == text_module.PARAGRAPH
    assert kinds[f"Why did President Clinton sign the Rome Statute?{NBSP}"] == text_module.HEADING
    quotations = [p.text for p in page.passages if p.kind == text_module.QUOTATION]
    assert [q[:10] for q in quotations] == ['"reaffirm ', '"Signature']


def test_page_puts_the_copyright_in_rights_and_drops_the_footer_icons():
    load_seed()

    page = Document.objects.get(slug=PAGE)

    assert page.rights == "© 2017 AMICC All Rights Reserved."
    assert page.rights in SEED_SOURCE
    assert page.publisher.startswith("AMICC")
    assert "©" not in page.canonical_text
    for footer in ("Facebook", "Twitter", "LinkedIn", "•"):
        assert footer not in page.canonical_text


def test_every_non_breaking_space_of_the_source_is_stored():
    load_seed()

    page = Document.objects.get(slug=PAGE)
    statement = Document.objects.get(slug=STATEMENT)

    assert SEED_SOURCE.count(NBSP) == 10
    assert page.canonical_text.count(NBSP) + page.publisher.count(NBSP) == 10
    assert statement.canonical_text.count(NBSP) == 1
    stored = dict(Document.objects.values_list("slug", "text"))
    assert stored[PAGE].count(NBSP) == 9
    assert stored[STATEMENT].count(NBSP) == 1


def test_fixture_uses_natural_keys_only():
    objects = json.loads((FIXTURES / "seed.json").read_text(encoding="utf-8"))

    assert all("pk" not in obj for obj in objects)
    assert {obj["model"] for obj in objects} == {
        "documents.collection",
        "documents.document",
        "taggit.tag",
        "documents.taggeddocument",
    }


def test_fixture_also_loads_with_loaddata():
    call_command("loaddata", "seed", verbosity=0)

    assert Document.objects.get(slug=STATEMENT).creator == "William J. Clinton"
    assert Document.objects.count() == 2
    assert TaggedDocument.objects.count() == 6


def test_a_bad_fixture_loads_nothing_and_names_the_file(tmp_path, settings):
    (tmp_path / "a-good.json").write_text(
        json.dumps([{"model": "documents.collection", "fields": {"title": "Treaties", "slug": "treaties"}}]),
        encoding="utf-8",
    )
    bad = tmp_path / "b-bad.json"
    bad.write_text(
        json.dumps([{"model": "documents.document", "fields": {"title": "Bad", "slug": "bad", "text": "#"}}]),
        encoding="utf-8",
    )
    settings.FIXTURE_DIRS = [tmp_path]

    with pytest.raises(CommandError) as error:
        load_seed()

    assert str(error.value).startswith(f"{bad}: documents.Document “Bad”: text: Line 1:")
    assert not Collection.objects.exists()


def test_a_fixture_referring_to_a_missing_object_is_refused(tmp_path, settings):
    bad = tmp_path / "seed.json"
    bad.write_text(
        json.dumps(
            [{"model": "documents.taggeddocument", "fields": {"content_object": ["nowhere"], "tag": ["x"]}}]
        ),
        encoding="utf-8",
    )
    settings.FIXTURE_DIRS = [tmp_path]

    with pytest.raises(CommandError) as error:
        load_seed()

    assert str(error.value).startswith(f"{bad}: ")
