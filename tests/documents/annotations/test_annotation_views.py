"""The Annotations panel as the views render it (the reading view and the fragment), and permalinks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.annotations import moderation, services
from documents.annotations.panel import PAGE_SIZE
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nThe first passage, about treaties.\n\n> A quotation with a non-breaking\u00a0space."


@pytest.fixture
def document(db):
    return DocumentFactory(slug="statement", text=TEXT)


def at(document, text: str) -> dict:
    start = document.canonical_text.index(text)
    return {"start": start, "end": start + len(text)}


def panel_of(response):
    return parse(response).find("section", id="annotations")


def entries(response) -> dict:
    """Entries by annotation id, for every article in the panel (roots and replies)."""
    return {a.attrs["data-annotation-id"]: a for a in panel_of(response).find_all("article")}


def having(tree, attribute: str, tag: str | None = None):
    """The first element carrying ``attribute`` (with any value, or none)."""
    found = [e for e in tree.iter() if attribute in e.attrs and (tag is None or e.tag == tag)]
    assert found, f"no element with {attribute}"
    return found[0]


def button_names(article) -> list[str]:
    actions = [d for d in article.children if not isinstance(d, str) and d.has_class("annotation-actions")]
    return [b.text_content for a in actions for b in a.find_all("button")]


def test_the_panel_is_a_region_named_annotations_with_a_count(client, document):
    AnnotationFactory.create_batch(2, document=document, visibility="public")
    section = panel_of(client.get(document.get_absolute_url()))
    assert section.attrs["aria-labelledby"] == "annotations-heading"
    assert section.find("h2", id="annotations-heading").text_content == "Annotations"
    assert section.find("p", **{"class": "annotations-count"}).text_content.strip() == "2 annotations"


def test_an_entry_shows_quote_comment_tags_author_dates_and_visibility(client, user, document):
    annotation = AnnotationFactory(
        document=document,
        author=user,
        visibility="public",
        tags=["Treaty law", "ICC"],
        **at(document, "about treaties"),
    )
    annotation.tags.add("???")
    client.force_login(user)
    article = entries(client.get(document.get_absolute_url()))[str(annotation.pk)]
    assert article.attrs["id"] == f"annotation-{annotation.pk}"
    assert (article.attrs["data-start"], article.attrs["data-end"]) == (
        str(annotation.start),
        str(annotation.end),
    )
    assert article.attrs["data-editable"] == "true"
    assert article.find("blockquote").text_content == "about treaties"
    assert article.find("div", **{"class": "annotation-comment"}).find("em").text_content == "note"
    tags = article.find("ul", **{"class": "annotation-tags"})
    assert [li.text_content for li in tags.find_all("li")] == ["???", "ICC", "Treaty law"]
    assert [a.attrs["href"] for a in tags.find_all("a")] == ["/tags/icc/", "/tags/treaty-law/"]
    heading = article.find("h3")
    assert heading.find("span", **{"class": "annotation-author"}).text_content == user.username
    assert heading.find("time").attrs["datetime"] == annotation.created.isoformat()
    assert heading.find("span", **{"class": "badge badge-public"}).text_content == "Public"
    assert article.find("a", **{"class": "show-in-text"}).attrs["href"] == "#p-2"


def test_private_entries_say_only_me(client, user, document):
    AnnotationFactory(document=document, author=user)
    client.force_login(user)
    badge = panel_of(client.get(document.get_absolute_url())).find("span", **{"class": "badge badge-private"})
    assert badge.text_content == "Only me"


def test_an_edited_annotation_says_when(client, document):
    created = timezone.now() - timedelta(days=2)
    AnnotationFactory(document=document, visibility="public", created=created, modified=timezone.now())
    edited = panel_of(client.get(document.get_absolute_url())).find("span", **{"class": "annotation-edited"})
    assert edited.text_content.startswith("edited ")


def test_replies_are_nested_under_their_root_oldest_first(client, user, document):
    root = AnnotationFactory(document=document, visibility="public")
    later = AnnotationFactory(
        document=document, visibility="public", parent=root, root=root, comment_html="<p>2</p>"
    )
    earlier = AnnotationFactory(
        document=document,
        visibility="public",
        parent=later,
        root=root,
        comment_html="<p>1</p>",
        created=timezone.now() - timedelta(hours=1),
    )
    response = client.get(document.get_absolute_url())
    article = entries(response)[str(root.pk)]
    replies = article.find("ol", **{"class": "annotation-replies"})
    assert [a.attrs["id"] for a in replies.find_all("article")] == [
        f"annotation-{earlier.pk}",
        f"annotation-{later.pk}",
    ]
    assert [a.find("h4") is not None for a in replies.find_all("article")] == [True, True]
    assert "data-start" not in replies.find("article").attrs
    assert len(panel_of(response).find("ol", **{"class": "annotation-threads"}).find_all("blockquote")) == 1


def test_the_author_gets_edit_delete_and_reply_another_reader_reply_only(client, user, other_user, document):
    annotation = AnnotationFactory(document=document, author=user, visibility="public")
    client.force_login(user)
    article = entries(client.get(document.get_absolute_url()))[str(annotation.pk)]
    assert button_names(article) == ["Copy link", "Reply", "Edit", "Delete"]
    assert article.find("span", **{"class": "annotation-buttons"}).attrs["hidden"] is None
    client.force_login(other_user)
    article = entries(client.get(document.get_absolute_url()))[str(annotation.pk)]
    assert button_names(article) == ["Copy link", "Reply", "Flag"]
    assert "data-editable" not in article.attrs


def test_anonymous_readers_get_a_log_in_link_and_only_copy_link(client, document):
    annotation = AnnotationFactory(document=document, visibility="public")
    response = client.get(document.get_absolute_url())
    section = panel_of(response)
    link = section.find("p", **{"class": "annotations-login"}).find("a")
    assert link.text_content == "Log in to annotate"
    assert link.attrs["href"] == "/accounts/login/?next=/documents/statement/"
    article = entries(response)[str(annotation.pk)]
    assert button_names(article) == ["Copy link"]
    assert article.find("button").attrs["data-copy-link"] == f"/annotations/{annotation.pk}/"
    html = response.content.decode()
    assert "data-annotate-popover" not in html
    assert "<template data-template=" not in html, "no annotator forms for a reader who cannot annotate"


def test_a_private_annotation_is_listed_for_its_author_alone(client, user, other_user, curator, document):
    private = AnnotationFactory(document=document, author=user)
    public = AnnotationFactory(document=document, visibility="public")
    url = document.get_absolute_url()
    assert set(entries(client.get(url))) == {str(public.pk)}
    client.force_login(other_user)
    assert set(entries(client.get(url))) == {str(public.pk)}
    client.force_login(curator)
    assert set(entries(client.get(url))) == {str(public.pk)}
    client.force_login(user)
    assert set(entries(client.get(url))) == {str(public.pk), str(private.pk)}


def test_a_hidden_annotation_is_marked_for_its_author_and_curators_only(
    client, user, other_user, curator, document
):
    hidden = AnnotationFactory(
        document=document, author=user, visibility="public", hidden=True, hidden_reason="Off topic."
    )
    url = document.get_absolute_url()
    for viewer in (user, curator):
        client.force_login(viewer)
        note = entries(client.get(url))[str(hidden.pk)].find("p", **{"class": "annotation-hidden-note"})
        assert note.text_content == "Hidden by a curator: Off topic."
    client.force_login(other_user)
    assert str(hidden.pk) not in entries(client.get(url))
    client.logout()
    assert str(hidden.pk) not in entries(client.get(url))


def test_orphans_are_listed_under_their_own_heading_without_highlight_offsets(client, document):
    anchored = AnnotationFactory(document=document, visibility="public")
    orphan = AnnotationFactory(
        document=document, visibility="public", anchor=Annotation.Anchor.ORPHANED, **at(document, "The first")
    )
    response = client.get(document.get_absolute_url())
    section = panel_of(response).find("div", **{"class": "orphans"})
    assert section.find("h3").text_content == "Orphaned annotations"
    article = section.find("article")
    assert article.attrs["id"] == f"annotation-{orphan.pk}"
    assert article.find("blockquote").text_content == "The first"
    assert article.find("div", **{"class": "annotation-comment"}).text_content == "A note."
    assert "data-start" not in article.attrs
    assert not article.find_all("a", **{"class": "show-in-text"})
    assert "data-start" in entries(response)[str(anchored.pk)].attrs


def test_without_orphans_there_is_no_orphans_heading(client, document):
    AnnotationFactory(document=document, visibility="public")
    assert "Orphaned annotations" not in client.get(document.get_absolute_url()).content.decode()


def test_without_annotations_the_panel_says_so_once_and_offers_nothing_to_export(client, document):
    section = panel_of(client.get(document.get_absolute_url()))
    assert section.find("p", **{"class": "annotations-empty"}).text_content == "No annotations yet."
    assert not section.find_all("p", **{"class": "annotations-count"})
    assert not section.find_all("form")
    assert "Export annotations" not in section.text_content


def test_with_an_annotation_the_panel_counts_it_and_offers_its_exports(client, document):
    AnnotationFactory(document=document, visibility="public")
    section = panel_of(client.get(document.get_absolute_url()))
    assert section.find("p", **{"class": "annotations-count"}).text_content.strip() == "1 annotation"
    exports = section.find("p", **{"class": "annotation-exports"})
    assert [a.text_content for a in exports.find_all("a")] == ["JSON-LD", "CSV", "CSV for Excel", "Markdown"]


@pytest.fixture
def annotated(document, user, other_user):
    return {
        "mine": AnnotationFactory(document=document, author=user, visibility="public", tags=["Law"]),
        "theirs": AnnotationFactory(document=document, author=other_user, visibility="public", tags=["Art"]),
        "untagged": AnnotationFactory(document=document, author=other_user, visibility="public"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"mine", "theirs", "untagged"}),
        ({"tag": "law"}, {"mine"}),
        ({"tag": "Art"}, {"theirs"}),
        ({"tag": "nothing"}, set()),
        ({"mine": "1"}, {"mine"}),
        ({"tag": "Art", "mine": "1"}, set()),
    ],
)
def test_filters_select_threads(client, user, document, annotated, query, expected):
    client.force_login(user)
    response = client.get(document.get_absolute_url(), query)
    assert set(entries(response)) == {str(annotated[name].pk) for name in expected}


def test_the_author_filter_takes_a_username(client, document, annotated, other_user):
    response = client.get(document.get_absolute_url(), {"author": other_user.username})
    assert set(entries(response)) == {str(annotated["theirs"].pk), str(annotated["untagged"].pk)}


def test_only_mine_means_nothing_to_anonymous_readers(client, document, annotated):
    response = client.get(document.get_absolute_url(), {"mine": "1"})
    assert len(entries(response)) == 3
    assert not panel_of(response).find_all("input", name="mine")


def test_the_filter_form_works_without_javascript_and_keeps_the_choices(client, user, document, annotated):
    client.force_login(user)
    response = client.get(document.get_absolute_url(), {"tag": "law", "mine": "1"})
    section = panel_of(response)
    details = section.find("details")
    assert "open" in details.attrs
    form = details.find("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", "/documents/statement/#annotations")
    tag = form.find("select", name="tag")
    assert [o.text_content for o in tag.find_all("option")] == ["Any tag", "Art", "Law"]
    assert [o.attrs["value"] for o in tag.find_all("option") if "selected" in o.attrs] == ["Law"]
    assert form.find("label", **{"for": "annotation-filter-tag"}).text_content == "Tag"
    assert form.find("label", **{"for": "annotation-filter-author"}).text_content == "Author"
    assert form.find("label", **{"for": "annotation-filter-mine"}).text_content == "Only mine"
    assert "checked" in form.find("input", name="mine").attrs
    assert form.find("button").text_content == "Filter"
    assert form.find("a").attrs["href"] == "/documents/statement/#annotations"
    count = section.find("p", **{"class": "annotations-count"}).text_content.split()
    assert count == ["1", "of", "3", "annotations", "matches", "the", "filters"]


def test_a_filter_that_matches_nothing_says_so(client, document, annotated):
    section = panel_of(client.get(document.get_absolute_url(), {"author": "nobody"}))
    assert (
        section.find("p", **{"class": "annotations-empty"}).text_content
        == "No annotations match these filters."
    )


def test_comment_html_is_cleaned_again_when_shown(client, document):
    AnnotationFactory(
        document=document,
        visibility="public",
        comment_html=(
            '<p>ok<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:x">l</a></p>'
        ),
    )
    comment = panel_of(client.get(document.get_absolute_url())).find("div", **{"class": "annotation-comment"})
    assert not comment.find_all("script")
    assert not comment.find_all("img")
    assert "javascript:" not in (comment.find("a").attrs.get("href") or "")


def test_the_reading_view_tells_the_annotator_where_things_are(client, user, document):
    client.force_login(user)
    tree = parse(client.get(document.get_absolute_url()))
    service = tree.find("link", rel="http://www.w3.org/ns/oa#annotationService")
    assert service.attrs["href"] == "http://testserver/api/documents/statement/annotations/"
    wrapper = having(tree, "data-annotator")
    assert having(wrapper, "data-document-body")
    assert wrapper.attrs["data-annotations-url"] == "/api/documents/statement/annotations/"
    assert wrapper.attrs["data-annotation-api-url"] == "/api/annotations/"
    assert wrapper.attrs["data-panel-url"] == "/documents/statement/annotations/panel/"
    assert wrapper.attrs["data-source"] == "http://testserver/documents/statement/"
    assert wrapper.attrs["data-can-annotate"] == "true"
    assert wrapper.attrs["data-csrf-token"]
    assert wrapper.attrs["data-tags-url"] == "/api/tags/"
    assert wrapper.attrs["data-reader"] == str(user.pk), "drafts are kept per account"
    popover = having(wrapper, "data-annotate-popover")
    assert "hidden" in popover.attrs
    # Their names are aria-labels: placed beside a selection inside the text, they must add no text.
    assert [button.attrs["aria-label"] for button in popover.find_all("button")] == ["Annotate", "Highlight"]
    assert popover.text_content == ""


def test_the_annotator_form_template_carries_the_contract_labels(client, user, document):
    client.force_login(user)
    template = parse(client.get(document.get_absolute_url())).find(
        "template", **{"data-template": "annotation-form"}
    )
    labels = {label.attrs["for"]: label.text_content for label in template.find_all("label")}
    assert sorted(labels.values()) == ["Comment", "First word", "Last word", "Tags", "Visibility"]
    visibility = template.find("select", name="visibility")
    options = [
        (o.attrs["value"], o.text_content, "selected" in o.attrs) for o in visibility.find_all("option")
    ]
    assert options == [("private", "Only me", True), ("public", "Public", False)]
    assert [b.text_content for b in template.find_all("button")] == [
        "Preview",
        "Save",
        "Cancel",
        "Discard draft",
    ]
    assert having(template, "data-form-error").attrs["role"] == "alert"


def test_anonymous_readers_cannot_annotate(client, document):
    wrapper = having(parse(client.get(document.get_absolute_url())), "data-annotator")
    assert wrapper.attrs["data-can-annotate"] == "false"
    assert "data-csrf-token" not in wrapper.attrs


def test_the_panel_fragment_is_the_same_section_alone(client, user, document, annotated):
    client.force_login(user)
    response = client.get(reverse("annotation-panel", args=[document.slug]), {"tag": "Law"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "<html" not in html
    assert set(entries(response)) == {str(annotated["mine"].pk)}


def test_the_panel_of_a_draft_is_404_except_for_curators(client, curator, draft):
    url = reverse("annotation-panel", args=[draft.slug])
    assert client.get(url).status_code == 404
    client.force_login(curator)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_an_annotation_permalink_leads_to_its_entry(client, user, document):
    public = AnnotationFactory(document=document, visibility="public")
    response = client.get(reverse("annotation-detail", args=[public.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/documents/statement/#annotation-{public.pk}"
    assert public.get_absolute_url() == f"/annotations/{public.pk}/"


def test_a_private_annotation_permalink_is_404_for_others(client, user, other_user, document):
    private = AnnotationFactory(document=document, author=user)
    url = reverse("annotation-detail", args=[private.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 302


def _annotate_heavily(document, count: int) -> None:
    """``count`` annotations of every kind: public and private roots, replies, tags, orphans."""
    authors = UserFactory.create_batch(5)
    roots = []
    for n in range(count * 3 // 4):
        annotation = AnnotationFactory(
            document=document,
            author=authors[n % 5],
            visibility="public" if n % 3 else "private",
            anchor=Annotation.Anchor.ORPHANED if n % 17 == 0 else Annotation.Anchor.ANCHORED,
            hidden=n % 11 == 0,
            **at(document, "first passage" if n % 2 else "non-breaking\u00a0space"),
        )
        if n % 4 == 0:
            annotation.tags.add(f"tag {n % 7}", "common")
        roots.append(annotation)
    for n in range(count - len(roots)):
        root = roots[n % len(roots)]
        AnnotationFactory(
            document=document, author=authors[n % 5], visibility=root.visibility, parent=root, root=root
        )
    assert Annotation.objects.filter(document=document).count() == count


@pytest.mark.parametrize("viewer", ["anonymous", "reader", "curator"])
def test_reading_view_queries_are_the_same_with_0_and_200_annotations(
    client, django_assert_num_queries, viewer, request
):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue("user" if viewer == "reader" else "curator"))
    # The baseline has a few notes: with none, the queries that load a page of threads are skipped.
    few = DocumentFactory(text=TEXT)
    _annotate_heavily(few, 4)
    busy = DocumentFactory(text=TEXT)
    _annotate_heavily(busy, 200)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(few.get_absolute_url()).status_code == 200
    with django_assert_num_queries(len(baseline)):
        response = client.get(busy.get_absolute_url())
    assert len(entries(response)) > 10
    # Once cached (docs/performance.md, "Reading at scale"): the document with its labels listed, in one
    # query, then
    # an anonymous page is one cache read; a logged-in reader's page is rendered: their session and
    # account, their groups (the key and the Visibility select's "Group: <name>" options,
    # docs/reading-and-annotating.md
    # "Groups"), the header's unread count (docs/reading-and-annotating.md, "Notifications"), the labels, and
    # the passages
    # and panel from the cache; a curator's role one more.
    with CaptureQueriesContext(connection) as warm:
        assert client.get(busy.get_absolute_url()).status_code == 200
    expected = {"anonymous": 2, "reader": 8, "curator": 9}[viewer]
    assert len(warm) == expected, [q["sql"] for q in warm]


def test_the_panel_fragment_queries_do_not_grow_with_annotations(client, user, django_assert_num_queries):
    client.force_login(user)
    few = DocumentFactory(text=TEXT)
    _annotate_heavily(few, 4)
    busy = DocumentFactory(text=TEXT)
    _annotate_heavily(busy, 200)
    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("annotation-panel", args=[few.slug]))
    with django_assert_num_queries(len(baseline)):
        client.get(reverse("annotation-panel", args=[busy.slug]))


def test_curators_reading_a_draft_get_no_annotate_button(client, curator, draft):
    client.force_login(curator)
    response = client.get(draft.get_absolute_url())
    tree = parse(response)
    assert having(tree, "data-annotator").attrs["data-can-annotate"] == "false"
    assert "data-annotate-popover" not in response.content.decode()
    assert not panel_of(response).find_all("div", **{"class": "annotator-slot"})


def test_the_author_of_a_reply_in_a_hidden_branch_is_told_it_is_hidden(client, document, curator):

    author, other = UserFactory(), UserFactory()
    root = AnnotationFactory(document=document, author=other, visibility="public")
    answered = services.create_annotation(author=other, parent=root, comment="Rude.")
    mine = services.create_annotation(author=author, parent=answered, comment="Mine.")
    moderation.hide_annotation(answered, by=curator, reason="Off topic")
    client.force_login(author)

    html = client.get(reverse("annotation-panel", args=[document.slug])).content.decode()

    entry = html[html.index(f'id="annotation-{mine.pk}"') :]
    assert "Hidden with the note it answers" in entry


@pytest.mark.parametrize("where", ["tag page", "profile", "search"])
def test_a_link_to_a_note_beyond_the_first_panel_page_lands_on_the_page_that_lists_it(
    client, user, other_user, document, where
):
    """Every list of notes links the permalink, which opens the panel page the note is on."""
    for n in range(PAGE_SIZE + 2):
        services.create_annotation(
            author=other_user,
            document=document,
            target=Target(exact="first passage"),
            comment=f"Early note {n}.",
            visibility="public",
        )
    late = services.create_annotation(
        author=user,
        document=document,
        target=Target(exact="quotation"),
        comment="Marginalia on the quotation.",
        tags=["marginalia"],
        visibility="public",
    )
    client.force_login(user)
    page = {
        "tag page": lambda: client.get(reverse("tag-detail", args=["marginalia"])),
        "profile": lambda: client.get(reverse("profile")),
        "search": lambda: client.get(reverse("search"), {"q": "marginalia"}),
    }[where]()
    assert page.status_code == 200

    permalink = late.get_absolute_url()
    assert permalink == f"/annotations/{late.pk}/"
    links = [a.attrs["href"] for a in parse(page).find_all("a") if str(late.pk) in a.attrs.get("href", "")]
    assert links == [permalink]
    landing = client.get(permalink)
    assert landing.status_code == 302
    assert landing["Location"] == f"{document.get_absolute_url()}?page=2#annotation-{late.pk}"
    assert str(late.pk) in entries(client.get(landing["Location"]))
