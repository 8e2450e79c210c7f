"""Cross-model writes: creating, editing, hiding annotations; re-anchoring after an edit."""

import pytest

from documents import services
from documents.models import Annotation
from documents.services import AnnotationError, Target
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "# Title\n\nAlpha beta gamma delta.\n\nA second\u00a0passage with 𝄞 music."


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def test_create_anchors_fills_context_and_sanitises(doc, user):
    annotation = services.create_annotation(
        author=user,
        document=doc,
        target=Target(exact="beta gamma"),
        comment="<script>x</script> **bold**",
        tags=["Law", "law", " icc "],
    )

    assert doc.canonical_text[annotation.start : annotation.end] == "beta gamma"
    assert annotation.prefix.endswith("Alpha ")
    assert annotation.suffix.startswith(" delta.")
    assert "<script>" not in annotation.comment_html
    assert "<strong>bold</strong>" in annotation.comment_html
    assert sorted(annotation.tags.names()) == ["Law", "icc"]
    assert (annotation.motivation, annotation.revision) == ("commenting", doc.revision)


def test_browser_whitespace_matches_the_non_breaking_space(doc, user):
    annotation = services.create_annotation(author=user, document=doc, target=Target(exact="second passage"))

    assert annotation.exact == "second\u00a0passage"


def test_astral_characters_count_once(doc, user):
    start = doc.canonical_text.index("𝄞")

    annotation = services.create_annotation(
        author=user, document=doc, target=Target(start=start, end=start + 1)
    )

    assert annotation.exact == "𝄞"


def test_no_comment_and_no_tags_is_a_highlight(doc, user):
    annotation = services.create_annotation(author=user, document=doc, target=Target(exact="Alpha"))

    assert annotation.motivation == "highlighting"


def test_a_selection_that_matches_nothing_stores_nothing(doc, user):
    with pytest.raises(AnnotationError) as error:
        services.create_annotation(author=user, document=doc, target=Target(exact="omega"))

    assert error.value.field == "target"
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"comment": "x" * 10_001}, "comment"),
        ({"tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"tags": ["x" * 101]}, "tags"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_limits_are_refused_with_the_field(doc, user, kwargs, field):
    with pytest.raises(AnnotationError) as error:
        services.create_annotation(author=user, document=doc, target=Target(exact="Alpha"), **kwargs)

    assert error.value.field == field
    assert not Annotation.objects.exists()


def test_reply_follows_its_root(doc, user, other_user):
    root = AnnotationFactory(document=doc, author=other_user, visibility="public")
    first = services.create_annotation(author=user, parent=root, comment="Yes", visibility="private")
    second = services.create_annotation(author=other_user, parent=first, comment="And?")

    assert (first.visibility, first.root, first.motivation) == ("public", root, "replying")
    assert (second.root, second.parent, second.document) == (root, first, doc)


def test_changing_a_roots_visibility_carries_the_thread(doc, user):
    root = AnnotationFactory(document=doc, author=user, visibility="public")
    reply = services.create_annotation(author=user, parent=root, comment="More")

    services.update_annotation(root, visibility="private")

    reply.refresh_from_db()
    assert reply.visibility == "private"


def test_hide_requires_a_reason_and_restore_clears_it(doc, user, curator):
    annotation = AnnotationFactory(document=doc, author=user, visibility="public")

    with pytest.raises(AnnotationError):
        services.hide_annotation(annotation, by=curator, reason="  ")
    services.hide_annotation(annotation, by=curator, reason="Off topic")
    annotation.refresh_from_db()
    assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (True, curator, "Off topic")

    services.restore_annotation(annotation)
    annotation.refresh_from_db()
    assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (False, None, "")


class TestReanchoring:
    def make(self, doc, user, quote):
        return services.create_annotation(author=user, document=doc, target=Target(exact=quote))

    def test_insertion_before_the_quote_moves_it(self, doc, user):
        annotation = self.make(doc, user, "gamma")

        doc.text = TEXT.replace("# Title\n\n", "# Title\n\nA new first passage.\n\n")
        report = services.save_document(doc)

        annotation.refresh_from_db()
        assert report.moved == 1
        assert doc.canonical_text[annotation.start : annotation.end] == "gamma"
        assert (annotation.anchor, annotation.revision) == ("reanchored", 2)

    def test_a_deleted_quote_is_orphaned_never_lost(self, doc, user):
        annotation = self.make(doc, user, "beta gamma")

        doc.text = "# Title\n\nA second\u00a0passage with 𝄞 music."
        report = services.save_document(doc)

        annotation.refresh_from_db()
        assert report.orphaned == 1
        assert (annotation.anchor, annotation.exact) == ("orphaned", "beta gamma")

    def test_an_orphan_comes_back_when_its_quote_returns(self, doc, user):
        annotation = self.make(doc, user, "beta gamma")
        doc.text = "# Title"
        services.save_document(doc)

        doc.text = TEXT
        services.save_document(doc)

        annotation.refresh_from_db()
        assert annotation.anchor == "reanchored"
        assert doc.canonical_text[annotation.start : annotation.end] == "beta gamma"

    def test_metadata_edits_do_not_touch_annotations(self, doc, user):
        annotation = self.make(doc, user, "gamma")

        doc.title = "New title"
        assert services.save_document(doc) is None

        annotation.refresh_from_db()
        assert (annotation.anchor, annotation.revision) == ("anchored", 1)
