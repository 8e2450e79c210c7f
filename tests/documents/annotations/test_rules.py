"""The rules of an annotation, each written once and asked by every way in."""

import pytest

from documents.annotations import rules, services
from documents.annotations.rules import AnnotationError
from tests.factories import AnnotationFactory, DocumentFactory


def refusal(check, *args, **kwargs) -> AnnotationError:
    with pytest.raises(AnnotationError) as raised:
        check(*args, **kwargs)
    return raised.value


def test_comment_at_the_limit_passes_and_one_more_is_refused_with_its_length():
    assert rules.check_comment("x" * rules.MAX_COMMENT_LENGTH)

    error = refusal(rules.check_comment, "x" * (rules.MAX_COMMENT_LENGTH + 1))

    assert error.field == "comment"
    assert error.message.startswith(f"The comment has {rules.MAX_COMMENT_LENGTH + 1:,} characters")


def test_tags_are_squeezed_deduplicated_case_insensitively_keeping_the_first_spelling():
    assert rules.clean_tags(["  Law ", "law", "", "human   rights", "ICC"]) == ["Law", "human rights", "ICC"]


def test_tags_over_the_count_or_the_length_are_refused():
    too_many = refusal(rules.clean_tags, [f"t{n}" for n in range(rules.MAX_TAGS + 1)])
    too_long = refusal(rules.clean_tags, ["x" * (rules.MAX_TAG_LENGTH + 1)])

    assert (too_many.field, too_long.field) == ("tags", "tags")
    assert f"at most {rules.MAX_TAGS} tags" in too_many.message
    assert f"longer than {rules.MAX_TAG_LENGTH} characters" in too_long.message


@pytest.mark.parametrize(
    ("is_reply", "comment", "tags", "motivation"),
    [
        (True, "", [], "replying"),
        (False, "A note.", ["law"], "commenting"),
        (False, "  ", ["law"], "tagging"),
        (False, "", [], "highlighting"),
    ],
)
def test_motivation_follows_the_content(is_reply, comment, tags, motivation):
    assert rules.motivation_for(is_reply=is_reply, comment=comment, tags=tags) == motivation


@pytest.mark.parametrize("value", ["friends", True, None])
def test_unknown_visibility_is_refused_naming_what_was_sent(value):
    error = refusal(rules.check_visibility, value)

    assert error.field == "visibility"
    assert error.message.startswith("Visibility must be “private”, “public” or “group”, not ")


@pytest.mark.django_db
def test_only_a_published_document_may_be_annotated():
    published = DocumentFactory(slug="open")
    DocumentFactory(slug="draft", status="draft")

    assert rules.document_to_annotate("open") == published
    error = refusal(rules.document_to_annotate, "draft")
    assert (error.field, error.message) == ("target.source", rules.NOT_A_PUBLISHED_DOCUMENT)


@pytest.mark.django_db
def test_a_container_for_one_document_refuses_another():
    one, other = DocumentFactory(slug="one"), DocumentFactory(slug="other")

    error = refusal(rules.document_to_annotate, other.slug, scope=one)

    assert error.field == "target.source"
    assert f"annotations on “{one.title}”" in error.message


@pytest.mark.django_db
def test_a_reply_needs_a_parent_the_replier_may_see(user, other_user):
    private = AnnotationFactory(author=other_user, visibility="private")
    public = AnnotationFactory(author=other_user, visibility="public")

    assert rules.parent_to_reply_to(user, public.pk) == public
    error = refusal(rules.parent_to_reply_to, user, private.pk)
    assert (error.field, error.message) == ("target", rules.PARENT_NOT_VISIBLE)


@pytest.mark.django_db
def test_the_service_refuses_a_parent_gone_from_sight_with_the_same_message(user, other_user):
    parent = AnnotationFactory(author=other_user, visibility="public")
    seen_before = type(parent).objects.get(pk=parent.pk)
    parent.delete()

    error = refusal(services.create_annotation, author=user, parent=seen_before, comment="Yes.")

    assert (error.field, error.message) == ("target", rules.PARENT_NOT_VISIBLE)
