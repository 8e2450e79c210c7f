"""Cross-model writes: creating, editing, hiding annotations; re-anchoring after an edit."""

import pytest

from documents.annotations import moderation, services, text_changes
from documents.annotations.services import AnnotationError
from documents.annotations.writes import Target
from documents.models import Annotation
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
        moderation.hide_annotation(annotation, by=curator, reason="  ")
    moderation.hide_annotation(annotation, by=curator, reason="Off topic")
    annotation.refresh_from_db()
    assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (True, curator, "Off topic")

    moderation.restore_annotation(annotation)
    annotation.refresh_from_db()
    assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (False, None, "")


class TestHiddenBranches:
    """Hiding an annotation hides every reply below it, at any depth, from the public."""

    @pytest.fixture
    def thread(self, doc, user, other_user):
        root = AnnotationFactory(document=doc, author=user, visibility="public")
        first = services.create_annotation(author=other_user, parent=root, comment="1")
        second = services.create_annotation(author=user, parent=first, comment="2")
        third = services.create_annotation(author=other_user, parent=second, comment="3")
        return root, first, second, third

    def public_ids(self):
        return set(Annotation.objects.visible_to(None).values_list("pk", flat=True))

    def test_hiding_a_reply_hides_its_branch_and_nothing_above(self, thread, curator):
        root, first, _, _ = thread

        moderation.hide_annotation(first, by=curator, reason="Off topic")

        assert self.public_ids() == {root.pk}

    def test_restoring_shows_the_branch_again_except_below_another_hidden_reply(self, thread, curator):
        root, first, second, third = thread
        moderation.hide_annotation(second, by=curator, reason="Rude")
        moderation.hide_annotation(first, by=curator, reason="Off topic")

        moderation.restore_annotation(first)

        assert self.public_ids() == {root.pk, first.pk}
        moderation.restore_annotation(second)
        assert self.public_ids() == {root.pk, first.pk, second.pk, third.pk}

    def test_a_reply_written_under_a_hidden_branch_is_hidden_until_it_is_restored(
        self, thread, curator, other_user
    ):
        _, first, _, third = thread
        moderation.hide_annotation(first, by=curator, reason="Off topic")

        later = services.create_annotation(author=other_user, parent=third, comment="4")

        assert later.pk not in self.public_ids()
        moderation.restore_annotation(first)
        assert later.pk in self.public_ids()

    def test_hiding_and_restoring_take_a_constant_number_of_queries(
        self, doc, user, curator, django_assert_max_num_queries
    ):
        root = AnnotationFactory(document=doc, author=user, visibility="public")
        parent = root
        for n in range(30):
            parent = services.create_annotation(author=user, parent=parent, comment=str(n))
        first = root.replies.get()

        # 9 for the write (its savepoint, the document's row, the thread's root and the note held, the
        # note, its thread read and its replies' flags, the versions), 1 to ask whether anonymous
        # readers saw the note (docs/reading-and-annotating.md, "Privacy"), and 3 to notify the
        # author (docs/reading-and-annotating.md, "Notifications"): recipient, may they see it, the row.
        with django_assert_max_num_queries(13):
            moderation.hide_annotation(first, by=curator, reason="Off topic")
        with django_assert_max_num_queries(13):
            moderation.restore_annotation(first)


class TestReanchoring:
    def make(self, doc, user, quote):
        return services.create_annotation(author=user, document=doc, target=Target(exact=quote))

    def test_insertion_before_the_quote_moves_it(self, doc, user):
        annotation = self.make(doc, user, "gamma")

        doc.text = TEXT.replace("# Title\n\n", "# Title\n\nA new first passage.\n\n")
        report = text_changes.save_document(doc)

        annotation.refresh_from_db()
        assert report.moved == 1
        assert doc.canonical_text[annotation.start : annotation.end] == "gamma"
        assert (annotation.anchor, annotation.revision) == ("reanchored", 2)

    def test_a_deleted_quote_is_orphaned_never_lost(self, doc, user):
        annotation = self.make(doc, user, "beta gamma")

        doc.text = "# Title\n\nA second\u00a0passage with 𝄞 music."
        report = text_changes.save_document(doc)

        annotation.refresh_from_db()
        assert report.orphaned == 1
        assert (annotation.anchor, annotation.exact) == ("orphaned", "beta gamma")

    def test_an_orphan_comes_back_when_its_quote_returns(self, doc, user):
        annotation = self.make(doc, user, "beta gamma")
        doc.text = "# Title"
        text_changes.save_document(doc)

        doc.text = TEXT
        text_changes.save_document(doc)

        annotation.refresh_from_db()
        assert annotation.anchor == "reanchored"
        assert doc.canonical_text[annotation.start : annotation.end] == "beta gamma"

    def test_metadata_edits_do_not_touch_annotations(self, doc, user):
        annotation = self.make(doc, user, "gamma")

        doc.title = "New title"
        assert text_changes.save_document(doc) is None

        annotation.refresh_from_db()
        assert (annotation.anchor, annotation.revision) == ("anchored", 1)
