"""Revisions of a document's text: recorded by the one service, stale edits refused, quotes never
changed silently, reports per outcome, revert."""

import pytest
from django.db import connection, transaction

from documents.annotations import services, text_changes
from documents.annotations.text_changes import ReanchorReport, StaleRevision
from documents.annotations.writes import Target
from documents.models import Annotation, Document, DocumentRevision
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "# The statement\n\n"
    "We reaffirm our strong support for international accountability.\n\n"
    "The delicate mosaic may be shattered by a single blow."
)


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def annotate(doc, user, quote):
    return services.create_annotation(author=user, document=doc, target=Target(exact=quote))


def edit(doc, text, **kwargs):
    doc.text = text
    return text_changes.save_document(doc, **kwargs)


def test_a_new_document_stores_its_text_as_revision_one(doc):
    revision = doc.revisions.get()

    assert (revision.number, revision.text, revision.summary) == (1, TEXT, "First version.")


def test_every_text_change_stores_a_revision_with_who_and_why(doc, curator):
    edit(doc, TEXT.replace("may", "might"), by=curator, summary="Typo in the source.")

    doc.refresh_from_db()
    latest = doc.revisions.first()
    assert doc.revision == 2
    assert (latest.number, latest.author, latest.summary) == (2, curator, "Typo in the source.")
    assert "might" in latest.text
    assert doc.revisions.get(number=1).text == TEXT


def test_a_metadata_edit_stores_no_revision(doc):
    doc.title = "Renamed"
    assert text_changes.save_document(doc) is None

    assert doc.revisions.count() == 1


def test_a_changed_quote_keeps_the_authors_words_and_is_marked(doc, user):
    note = annotate(doc, user, "delicate mosaic may be shattered")

    report = edit(doc, TEXT.replace("may be", "might be"))

    note.refresh_from_db()
    assert report == ReanchorReport(changed=1)
    assert note.anchor == Annotation.Anchor.CHANGED
    assert note.exact == "delicate mosaic might be shattered"
    assert note.original_exact == "delicate mosaic may be shattered"
    assert (note.quoted_revision, note.revision) == (1, 2)


def test_a_later_edit_keeps_the_first_quote_and_revision(doc, user):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    edit(doc, TEXT.replace("may be", "might be"))
    doc.refresh_from_db()

    edit(doc, "# A new heading\n\n" + TEXT.replace("may be", "might be"))

    note.refresh_from_db()
    assert note.anchor == Annotation.Anchor.CHANGED
    assert (note.original_exact, note.quoted_revision, note.revision) == (
        "delicate mosaic may be shattered",
        1,
        3,
    )


def test_reverting_the_words_unmarks_the_change(doc, user, curator):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    edit(doc, TEXT.replace("may be", "might be"))

    report = text_changes.revert_document(doc, to=1, by=curator)

    note.refresh_from_db()
    doc.refresh_from_db()
    assert report == ReanchorReport(moved=0, unchanged=0, changed=1)
    assert (note.anchor, note.exact, note.original_exact) == (
        "reanchored",
        "delicate mosaic may be shattered",
        "",
    )
    assert doc.text == TEXT
    assert doc.revisions.first().summary == "Reverted to revision 1."
    assert doc.revision == 3


def test_the_author_accepts_the_new_wording(doc, user):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    edit(doc, TEXT.replace("may be", "might be"))

    text_changes.accept_changed_quote(note, by=user)

    note.refresh_from_db()
    assert (note.anchor, note.original_exact, note.quoted_revision) == ("anchored", "", None)


def test_only_the_author_accepts_a_changed_quote(doc, user, other_user):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    edit(doc, TEXT.replace("may be", "might be"))

    with pytest.raises(Annotation.DoesNotExist):
        text_changes.accept_changed_quote(note, by=other_user)


def test_an_orphan_is_reattached_by_selecting_new_words(doc, user):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    edit(doc, "# The statement\n\nWe reaffirm our strong support for international accountability.")
    note.refresh_from_db()
    assert (note.anchor, note.quoted_revision) == ("orphaned", 1)

    services.update_annotation(note, target=Target(exact="international accountability"))

    note.refresh_from_db()
    assert (note.anchor, note.exact, note.original_exact, note.quoted_revision) == (
        "anchored",
        "international accountability",
        "",
        None,
    )


def test_the_report_counts_each_outcome(doc, user):
    annotate(doc, user, "The statement")
    annotate(doc, user, "reaffirm our strong support")
    annotate(doc, user, "delicate mosaic may be shattered")
    annotate(doc, user, "a single blow")

    new_text = TEXT.replace("We reaffirm", "Today we reaffirm").replace("may be", "might be")
    report = edit(doc, new_text.replace(" by a single blow", "."))

    assert report == ReanchorReport(unchanged=1, moved=1, changed=1, orphaned=1)
    assert report.summary() == "annotations: 1 unchanged, 1 moved, 1 changed, 1 orphaned"


def test_a_paragraph_inserted_right_before_a_quote_moves_it_not_orphans_it(doc, user):
    note = annotate(doc, user, "reaffirm our strong support")

    report = edit(doc, TEXT.replace("We reaffirm", "A new paragraph by the curator.\n\nWe reaffirm"))

    note.refresh_from_db()
    assert report == ReanchorReport(moved=1)
    assert doc.canonical_text[note.start : note.end] == "reaffirm our strong support"


def test_a_page_note_is_never_orphaned_by_an_edit(doc, user):
    page_note = Annotation.objects.create(document=doc, author=user, exact="", start=None, end=None)

    edit(doc, TEXT + "\n\nMore.")

    page_note.refresh_from_db()
    assert page_note.anchor == Annotation.Anchor.ANCHORED


def test_an_edit_from_a_stale_revision_is_refused_and_shows_what_changed(doc):
    first_curator = Document.objects.get(pk=doc.pk)
    second_curator = Document.objects.get(pk=doc.pk)
    first_curator.text = TEXT.replace("strong", "firm")
    text_changes.save_document(first_curator, base_revision=1)

    second_curator.text = TEXT + "\n\nA closing line."
    with pytest.raises(StaleRevision) as refusal:
        text_changes.save_document(second_curator, base_revision=1)

    stored = Document.objects.get(pk=doc.pk)
    assert (stored.revision, stored.text) == (2, TEXT.replace("strong", "firm"))
    assert (refusal.value.base, refusal.value.current) == (1, 2)
    removed = [c.text for c in refusal.value.changes if c.kind == "removed"]
    added = [c.text for c in refusal.value.changes if c.kind == "added"]
    assert (removed, added) == (["strong"], ["firm"])
    assert second_curator.text.endswith("A closing line.")


def test_a_stale_edit_names_who_saved_since_and_when_the_last_did(doc):
    ada, ben = UserFactory(username="ada"), UserFactory(username="ben")
    for who, word in [(ada, "firm"), (ben, "solid"), (ada, "steady")]:
        edit(Document.objects.get(pk=doc.pk), TEXT.replace("strong", word), by=who)

    with transaction.atomic(), pytest.raises(StaleRevision) as refusal:
        text_changes.lock_for_edit(doc, text="My own text.", base_revision=1)

    latest = doc.revisions.first()
    assert (refusal.value.current, refusal.value.by, refusal.value.at) == (4, ["ada", "ben"], latest.created)
    assert "after you opened revision 1 (by ada and ben, on " in refusal.value.message


def test_an_edit_is_stale_only_when_it_would_overwrite_a_newer_text(doc):
    edit(Document.objects.get(pk=doc.pk), TEXT.replace("strong", "firm"))

    with transaction.atomic():
        for text, base in [(TEXT.replace("strong", "firm"), 1), ("My own text.", 2), ("My own text.", None)]:
            assert text_changes.lock_for_edit(doc, text=text, base_revision=base).revision == 2


def test_a_dry_run_reports_and_writes_nothing(doc, user):
    note = annotate(doc, user, "delicate mosaic may be shattered")
    doc.text = TEXT.replace("may be", "might be")

    report = text_changes.save_document(doc, dry_run=True)

    note.refresh_from_db()
    assert report == ReanchorReport(changed=1)
    assert (Document.objects.get(pk=doc.pk).text, note.anchor) == (TEXT, "anchored")
    assert DocumentRevision.objects.filter(document=doc).count() == 1


def test_publishing_stamps_the_first_publication_once():
    document = DocumentFactory(status="draft")
    assert document.published_at is None

    text_changes.set_document_status(document, "published")
    first = Document.objects.get(pk=document.pk).published_at
    text_changes.set_document_status(document, "draft")
    text_changes.set_document_status(document, "published")

    assert first is not None
    assert Document.objects.get(pk=document.pk).published_at == first


def test_shifted_annotations_are_written_in_a_few_queries_whatever_their_number(
    doc, user, django_assert_max_num_queries
):
    notes = [annotate(doc, user, "a single blow") for _ in range(60)]
    doc.text = "# A new heading\n\n" + TEXT

    # 12 for the revision and the re-anchoring, 3 for the search index of the text (docs/search.md, "How
    # search works"),
    # and on PostgreSQL one more, which computes the index's vectors.
    with django_assert_max_num_queries(16 if connection.vendor == "postgresql" else 15):
        report = text_changes.save_document(doc)

    assert report == ReanchorReport(moved=60)
    for note in Annotation.objects.filter(pk__in=[n.pk for n in notes]):
        assert doc.canonical_text[note.start : note.end] == "a single blow"
        assert (note.anchor, note.revision) == ("reanchored", 2)


def test_the_seed_loader_records_revision_one_through_the_service():
    from django.conf import settings

    from documents.importing.seed import load_seed

    load_seed(directories=settings.FIXTURE_DIRS)

    for document in Document.objects.all():
        assert [(r.number, r.summary) for r in document.revisions.all()] == [
            (1, "Loaded from the seed fixtures.")
        ]
        assert document.published_at is not None


def test_an_import_that_changes_the_text_records_a_revision(tmp_path, doc):
    from documents.importing.documents import import_documents

    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: {doc.title}\nslug: {doc.slug}\n---\nA new text.\n", encoding="utf-8")

    import_documents(paths=[path])

    assert [(r.number, r.summary) for r in doc.revisions.all()] == [(2, "Imported."), (1, "First version.")]
