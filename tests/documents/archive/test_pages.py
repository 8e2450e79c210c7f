"""The public pages: who sees what, filters and pagination, and the reading view's markup."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.archive.citations import embedded, reference_managers, styles
from documents.models import Document
from tests.factories import CollectionFactory, DocumentFactory
from tests.html import Element, parse

pytestmark = pytest.mark.django_db


def page_titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


MIXED_TEXT = (
    "# Clinton Administration\n\n"
    "The US signed on December 31, 2000 \u2013 the last day.\n\n"
    "> reaffirm our strong support for international accountability\n\n"
    "- First item\n\n"
    "- Second item with a non-breaking\u00a0space\n\n"
    "A paragraph with <b>markup</b> & an ampersand, a pictograph \U0001f4dc and © 2017.\n\n"
    "- A lone item"
)


@pytest.fixture
def mixed(db):
    return DocumentFactory(slug="mixed", title="Mixed passages", text=MIXED_TEXT)


# Status codes and permissions


def test_every_public_page_answers_200(client, document):
    collection = CollectionFactory(slug="icc")
    document.collections.add(collection)
    document.tags.add("Rome Statute")
    urls = [
        reverse("home"),
        reverse("document-list"),
        reverse("document-detail", args=[document.slug]),
        reverse("collection-list"),
        reverse("collection-detail", args=["icc"]),
        reverse("tag-list"),
        reverse("tag-detail", args=["rome-statute"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "name", ["document-detail", "collection-detail", "tag-detail"], ids=["document", "collection", "tag"]
)
def test_unknown_slugs_answer_404(client, name):
    assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def test_pages_refuse_writes(client, document):
    response = client.post(reverse("document-detail", args=[document.slug]))
    assert response.status_code == 405


def test_draft_is_404_for_anonymous_readers(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_is_404_for_a_logged_in_reader_who_is_not_a_curator(client, user, draft):
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_is_shown_to_a_curator_under_a_draft_banner(client, curator, draft):
    client.force_login(curator)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    banner = parse(response).find(role="status", **{"class": "draft-banner"})
    assert banner.text_content.startswith("Draft.")
    assert "<title>Draft: " in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_published_document_has_no_draft_banner(client, document):
    response = client.get(document.get_absolute_url())
    assert not parse(response).find_all(**{"class": "draft-banner"})


def test_document_list_hides_drafts_from_readers(client, user, document, draft):
    assert page_titles(client.get(reverse("document-list"))) == [document.title]
    client.force_login(user)
    assert page_titles(client.get(reverse("document-list"))) == [document.title]


def test_document_list_shows_curators_drafts_marked_draft(client, curator, document, draft):
    client.force_login(curator)
    response = client.get(reverse("document-list"))
    assert set(page_titles(response)) == {document.title, draft.title}
    tree = parse(response)
    draft_item = next(
        item for item in tree.find_all("li", **{"class": "document-item"}) if draft.title in item.text_content
    )
    assert draft_item.find("span", **{"class": "badge badge-draft"}).text_content == "Draft"
    published_item = next(
        item
        for item in tree.find_all("li", **{"class": "document-item"})
        if document.title in item.text_content
    )
    assert "Draft" not in published_item.text_content


# Home, collections and tags


def test_home_lists_collections_and_recently_published_documents(client, curator, document, draft):
    collection = CollectionFactory(title="Rome Statute papers")
    document.collections.add(collection)
    draft.collections.add(collection)
    client.force_login(curator)
    response = client.get(reverse("home"))
    assert [c.document_count for c in response.context["collections"]] == [2]
    assert list(response.context["recent"]) == [document]
    assert "Rome Statute papers" in response.content.decode()


def test_home_counts_only_documents_the_reader_may_see(client, document, draft):
    collection = CollectionFactory()
    collection.documents.add(document, draft)
    response = client.get(reverse("home"))
    assert [c.document_count for c in response.context["collections"]] == [1]
    assert "1 document<" in response.content.decode()


def test_home_lists_the_latest_publications_first(client):
    older = DocumentFactory(title="Older")
    newer = DocumentFactory(title="Newer")
    Document.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert list(client.get(reverse("home")).context["recent"]) == [newer, older]


def test_collection_list_counts_visible_documents(client, document, draft):
    collection = CollectionFactory(title="ICC")
    CollectionFactory(title="Empty")
    collection.documents.add(document, draft)
    response = client.get(reverse("collection-list"))
    counts = {c.title: c.document_count for c in response.context["collections"]}
    assert counts == {"ICC": 1, "Empty": 0}


def test_collection_detail_shows_its_description_and_visible_documents(client, document, draft):
    collection = CollectionFactory(slug="icc", description="Papers on the <ICC>.")
    DocumentFactory(title="Elsewhere")
    collection.documents.add(document, draft)
    response = client.get(reverse("collection-detail", args=["icc"]))
    assert page_titles(response) == [document.title]
    assert "Papers on the &lt;ICC&gt;." in response.content.decode()


def test_collection_detail_paginates(client):
    collection = CollectionFactory(slug="big")
    for n in range(23):
        DocumentFactory(collections=[collection], date=date(2000, 1, 1 + n))
    second = client.get(reverse("collection-detail", args=["big"]), {"page": 2})
    assert len(second.context["page"].object_list) == 3
    assert 'href="?page=1"' in second.content.decode()


def test_tag_list_counts_documents_the_reader_may_see(client, curator, document, draft):
    document.tags.add("Rome Statute", "ICC")
    draft.tags.add("ICC", "Unpublished topic")
    response = client.get(reverse("tag-list"))
    assert {tag.name: tag.document_count for tag in response.context["tags"]} == {"ICC": 1, "Rome Statute": 1}
    client.force_login(curator)
    response = client.get(reverse("tag-list"))
    assert {tag.name: tag.document_count for tag in response.context["tags"]} == {
        "ICC": 2,
        "Rome Statute": 1,
        "Unpublished topic": 1,
    }


def test_tag_detail_lists_the_documents_carrying_the_tag(client, document):
    document.tags.add("ICC")
    DocumentFactory(title="Untagged")
    response = client.get(reverse("tag-detail", args=["icc"]))
    assert page_titles(response) == [document.title]
    assert parse(response).find("h1").text_content == "Tagged “ICC”"


def test_tag_used_only_on_drafts_is_404_for_readers_but_shown_to_curators(client, curator, draft):
    draft.tags.add("Secret plans")
    url = reverse("tag-detail", args=["secret-plans"])
    assert client.get(url).status_code == 404
    client.force_login(curator)
    assert page_titles(client.get(url)) == [draft.title]


def test_tag_with_a_non_ascii_slug_has_a_page(client, document):
    document.tags.add("Völkerstrafrecht")
    response = client.get(reverse("tag-list"))
    url = reverse("tag-detail", args=["völkerstrafrecht"])
    assert url == "/tags/v%C3%B6lkerstrafrecht/"
    assert f'href="{url}"' in response.content.decode()
    assert client.get(url).status_code == 200


def test_tag_without_letters_is_shown_on_the_document_but_not_linked(client, document):
    document.tags.add("???")
    response = client.get(document.get_absolute_url())
    tags = parse(response).find("ul", **{"class": "tag-links"})
    assert tags.text_content.strip() == "???"
    assert not tags.find_all("a")
    assert client.get(reverse("tag-list")).status_code == 200


# Filters, sorting and pagination on the document list


@pytest.fixture
def catalogue(db):
    icc = CollectionFactory(slug="icc", title="ICC")
    return {
        "speech": DocumentFactory(
            title="Bravo speech", type=Document.Type.SPEECH, date=date(1998, 7, 17), tags=["Rome"]
        ),
        "letter": DocumentFactory(
            title="alpha letter", type=Document.Type.LETTER, date=date(2000, 12, 31), collections=[icc]
        ),
        "report": DocumentFactory(
            title="Charlie report", type=Document.Type.REPORT, date=None, tags=["Rome"], collections=[icc]
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"collection": "icc"}, ["alpha letter", "Charlie report"]),
        ({"tag": "rome"}, ["Bravo speech", "Charlie report"]),
        ({"type": "letter"}, ["alpha letter"]),
        ({"year": "1998"}, ["Bravo speech"]),
        ({"collection": "icc", "tag": "rome"}, ["Charlie report"]),
    ],
    ids=["collection", "tag", "type", "year", "combined"],
)
def test_document_list_filters(client, catalogue, query, expected):
    response = client.get(reverse("document-list"), query)
    assert sorted(page_titles(response), key=str.casefold) == expected
    assert not response.context["form"].errors


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-date", ["alpha letter", "Bravo speech", "Charlie report"]),
        ("date", ["Bravo speech", "alpha letter", "Charlie report"]),
        ("title", ["alpha letter", "Bravo speech", "Charlie report"]),
        ("", ["alpha letter", "Bravo speech", "Charlie report"]),
    ],
    ids=["newest", "oldest", "title", "default"],
)
def test_document_list_sorts_with_undated_documents_last(client, catalogue, sort, expected):
    assert page_titles(client.get(reverse("document-list"), {"sort": sort})) == expected


def test_document_list_shows_active_filters_with_links_to_remove_them(client, catalogue):
    response = client.get(reverse("document-list"), {"collection": "icc", "type": "letter", "sort": "title"})
    active = parse(response).find("div", **{"class": "active-filters"})
    entries = [item.text_content for item in active.find_all("li")]
    assert entries[0].startswith("Collection: ICC Remove")
    assert entries[1].startswith("Type: Letter Remove")
    links = [a.attrs["href"] for a in active.find_all("a")]
    assert links == ["/documents/?type=letter&sort=title", "/documents/?collection=icc&sort=title"]
    assert "<title>Documents: Collection ICC; Type Letter" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year_from": "abc"}, "“abc” is not a year (1 to 9999, such as 1848); showing every year."),
        ({"collection": "nope"}, "There is no collection “nope”; showing every collection."),
        ({"tag": "nope"}, "No document is tagged “nope”; showing every tag."),
        ({"type": "poem"}, "“poem” is not a document type; showing every type."),
        ({"sort": "random"}, "“random” is not a sort order; showing the newest first."),
    ],
    ids=["year-not-a-number", "collection", "tag", "type", "sort"],
)
def test_a_bad_filter_is_explained_and_ignored(client, catalogue, query, message):
    response = client.get(reverse("document-list"), query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    error = parse(response).find("ul", **{"class": "errorlist"})
    assert error.text_content == message
    field = next(iter(query))
    control = parse(response).find(None, name=field)
    assert control.attrs["aria-invalid"] == "true"
    assert control.attrs["aria-describedby"] == error.attrs["id"]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "“abc” is not a year; showing every year."),
        ("1850", "There are no documents from 1850; showing every year."),
    ],
)
def test_a_bad_single_year_is_explained_above_the_filters_and_not_kept(client, catalogue, year, message):
    response = client.get(reverse("document-list"), {"year": year})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    form = parse(response).find("form", **{"class": "filter-form"})
    assert form.find("ul", **{"class": "errorlist"}).text_content == message
    assert not form.find_all("input", name="year")  # Apply does not send it again
    assert not form.find_all("select", name="year")  # years are chosen as a range


def test_filter_choices_offer_only_what_the_reader_may_see(client, curator, document, draft):
    document.date, draft.date = date(2001, 1, 1), date(1999, 1, 1)
    document.save()
    draft.save()
    draft.tags.add("Hidden")
    form = client.get(reverse("document-list")).context["form"]
    assert [value for value, _ in form.fields["year"].choices] == ["", "2001"]
    assert [value for value, _ in form.fields["tag"].choices] == [""]
    client.force_login(curator)
    form = client.get(reverse("document-list")).context["form"]
    assert [value for value, _ in form.fields["year"].choices] == ["", "2001", "1999"]
    assert [label for _, label in form.fields["tag"].choices] == ["Any tag", "Hidden"]


def test_the_filter_form_labels_every_select(client, catalogue):
    tree = parse(client.get(reverse("document-list")))
    form = tree.find("form", **{"class": "filter-form"})
    assert form.attrs["method"] == "get"
    labels = {label.attrs["for"]: label.text_content for label in form.find_all("label")}
    for select in form.find_all("select"):
        assert labels[select.attrs["id"]].strip()


@pytest.fixture
def many(db):
    return [DocumentFactory(title=f"Doc {n:02}", date=date(1990 + n, 1, 1)) for n in range(45)]


def test_document_list_pages_by_twenty(client, many):
    first = client.get(reverse("document-list"))
    assert len(first.context["page"].object_list) == 20
    third = client.get(reverse("document-list"), {"page": "3"})
    assert page_titles(third) == ["Doc 04", "Doc 03", "Doc 02", "Doc 01", "Doc 00"]
    pagination = parse(third).find("nav", aria_label="Pagination")
    assert "Page 3 of 3" in pagination.text_content
    assert "<title>Documents (page 3 of 3)" in third.content.decode()


def test_pagination_links_keep_the_filters(client, many):
    response = client.get(reverse("document-list"), {"sort": "title", "page": "2"})
    hrefs = [a.attrs["href"] for a in parse(response).find("nav", aria_label="Pagination").find_all("a")]
    assert hrefs == ["?sort=title&page=1", "?sort=title&page=1", "?sort=title&page=3", "?sort=title&page=3"]


@pytest.mark.parametrize(
    ("page", "number"),
    [("abc", 1), ("", 1), ("1.5", 1), ("9" * 5000, 3), ("0", 3), ("-1", 1), ("999", 3)],
    ids=["text", "empty", "fraction", "huge", "zero", "negative", "past-the-end"],
)
def test_a_bad_page_number_gives_the_first_or_last_page(client, many, page, number):
    response = client.get(reverse("document-list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_an_empty_archive_lists_no_documents(client, db):
    response = client.get(reverse("document-list"))
    assert response.status_code == 200
    assert "No documents have been published yet." in response.content.decode()


# The reading view


def passage_elements(response) -> tuple[Element, list[Element]]:
    tree = parse(response)
    bodies = [element for element in tree.iter() if "data-document-body" in element.attrs]
    assert len(bodies) == 1
    body = bodies[0]
    return body, [element for element in body.iter() if element.attrs.get("id", "").startswith("p-")]


def test_every_passage_has_its_id_and_offsets_inside_the_document_body(client, mixed):
    _, elements = passage_elements(client.get(mixed.get_absolute_url()))
    assert [e.attrs["id"] for e in elements] == [f"p-{p.n}" for p in mixed.passages]
    assert [(int(e.attrs["data-start"]), int(e.attrs["data-end"])) for e in elements] == [
        (p.start, p.end) for p in mixed.passages
    ]


def test_the_document_body_text_content_is_exactly_the_canonical_text(client, mixed):
    """W3C clients count TextPositionSelector offsets in this element's text (docs/reading-and-annotating.md,
    "Readers")."""
    body, _ = passage_elements(client.get(mixed.get_absolute_url()))

    assert body.text_content == mixed.canonical_text
    assert "\u00a0" in body.text_content and "©" in body.text_content and "\U0001f4dc" in body.text_content


def test_a_document_without_text_has_an_empty_body(client):
    document = DocumentFactory(text="")

    body, _ = passage_elements(client.get(document.get_absolute_url()))

    assert body.text_content == ""
    assert "This document has no text yet." in client.get(document.get_absolute_url()).content.decode()


def test_passage_text_content_is_exactly_the_passage_text(client, mixed):
    _, elements = passage_elements(client.get(mixed.get_absolute_url()))
    assert [e.text_content for e in elements] == [p.text for p in mixed.passages]
    assert all(len(e.find_all(**{"class": "passage-text"})) == 1 for e in elements)


def test_passages_keep_special_characters_and_escape_markup(client, mixed):
    response = client.get(mixed.get_absolute_url())
    html = response.content.decode()
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; an ampersand" in html
    assert "<b>markup</b>" not in html
    assert "non-breaking\u00a0space" in html
    assert "\U0001f4dc" in html


def test_passages_render_as_headings_quotations_lists_and_paragraphs(client, mixed):
    _, elements = passage_elements(client.get(mixed.get_absolute_url()))
    assert [e.tag for e in elements] == ["h2", "p", "blockquote", "li", "li", "p", "li"]
    quotation = elements[2]
    assert next(child.tag for child in quotation.children if isinstance(child, Element)) == "p"
    body, _ = passage_elements(client.get(mixed.get_absolute_url()))
    lists = body.find_all("ul", **{"class": "passage-list"})
    assert [[li.attrs["id"] for li in ul.find_all("li")] for ul in lists] == [["p-4", "p-5"], ["p-7"]]


def permalink(n: int) -> str:
    return f'<a class="permalink" href="#p-{n}" aria-label="Link to passage {n}"></a>'


# The reading view's body as it was when each kind of passage had its own branch in the template:
# moving the markup into one place must not change a byte of it.
MIXED_BODY = "".join(
    [
        '<div class="document-body" data-document-body lang="en">',
        '<div class="passage-heading"><h2 class="passage" id="p-1" data-start="0" data-end="22">'
        f'<span class="passage-text">Clinton Administration</span></h2>{permalink(1)}</div>\n\n',
        '<p class="passage" id="p-2" data-start="24" data-end="74"><span class="passage-text">'
        f"The US signed on December 31, 2000 \u2013 the last day.</span>{permalink(2)}</p>\n\n",
        '<blockquote class="passage" id="p-3" data-start="76" data-end="136"><p><span class="passage-text">'
        "reaffirm our strong support for international accountability</span></p>"
        f"{permalink(3)}</blockquote>\n\n",
        '<ul class="passage-list">',
        '<li class="passage" id="p-4" data-start="138" data-end="148">'
        f'<span class="passage-text">First item</span>{permalink(4)}</li>\n\n',
        '<li class="passage" id="p-5" data-start="150" data-end="187"><span class="passage-text">'
        f"Second item with a non-breaking\u00a0space</span>{permalink(5)}</li>",
        "</ul>\n\n",
        '<p class="passage" id="p-6" data-start="189" data-end="262"><span class="passage-text">'
        "A paragraph with &lt;b&gt;markup&lt;/b&gt; &amp; an ampersand,"
        " a pictograph \U0001f4dc and \u00a9 2017."
        f"</span>{permalink(6)}</p>\n\n",
        '<ul class="passage-list"><li class="passage" id="p-7" data-start="264" data-end="275">'
        f'<span class="passage-text">A lone item</span>{permalink(7)}</li></ul>',
        "</div>",
    ]
)


def test_the_document_body_is_exactly_the_markup_of_every_kind_of_passage(client, mixed):
    html = client.get(mixed.get_absolute_url()).content.decode()

    start = html.index('<div class="document-body"')
    assert html[start : start + len(MIXED_BODY)] == MIXED_BODY


def test_each_passage_has_a_permalink_that_adds_no_text(client, mixed):
    body, elements = passage_elements(client.get(mixed.get_absolute_url()))
    links = body.find_all("a", **{"class": "permalink"})
    assert [(a.attrs["href"], a.attrs["aria-label"]) for a in links] == [
        (f"#p-{p.n}", f"Link to passage {p.n}") for p in mixed.passages
    ]
    assert all(a.text_content == "" for a in links)
    heading = elements[0]
    assert not heading.find_all("a"), "the heading's accessible name must stay its text"


def test_reading_view_shows_metadata_tags_and_collections(client):
    collection = CollectionFactory(title="ICC papers", slug="icc")
    document = DocumentFactory(
        title="Statement on Signature",
        creator="Clinton, William J.",
        date=date(2000, 12, 31),
        description="On signing the Rome Statute.",
        source="https://example.org/amicc",
        publisher="The White House",
        rights="© 2017 AMICC",
        language="en",
        identifier="amicc-1",
        tags=["Rome Statute", "ICC"],
        collections=[collection],
    )
    tree = parse(client.get(document.get_absolute_url()))
    assert [h1.text_content for h1 in tree.find_all("h1")] == ["Statement on Signature"]
    metadata = tree.find("dl", **{"class": "metadata"})
    terms = {
        div.find("dt").text_content: div.find("dd").text_content.strip()
        for div in metadata.children
        if isinstance(div, Element)
    }
    assert terms == {
        "Creator": "Clinton, William J.",
        "Date": "December 31, 2000",
        "Type": "Statement",
        "Description": "On signing the Rome Statute.",
        "Source": "https://example.org/amicc",
        "Publisher": "The White House",
        "Rights": "© 2017 AMICC",
        "Language": "English",
        "Identifier": "amicc-1",
        "Tags": "ICCRome Statute",
        "Collections": "ICC papers",
    }
    tag_links = [a.attrs["href"] for a in metadata.find("ul", **{"class": "tag-links"}).find_all("a")]
    assert tag_links == [reverse("tag-detail", args=["icc"]), reverse("tag-detail", args=["rome-statute"])]
    assert metadata.find("a", href="/collections/icc/").text_content == "ICC papers"
    assert metadata.find("a", href="https://example.org/amicc")


def test_reading_view_leaves_out_empty_metadata(client):
    document = DocumentFactory(creator="", date=None, publisher="", rights="")
    metadata = parse(client.get(document.get_absolute_url())).find("dl", **{"class": "metadata"})
    assert [dt.text_content for dt in metadata.find_all("dt")] == ["Type", "Language"]


def test_the_text_carries_the_document_language_only_when_it_is_a_valid_tag(client):
    french = DocumentFactory(language="fr-CA")
    body, _ = passage_elements(client.get(french.get_absolute_url()))
    assert body.attrs["lang"] == "fr-CA"
    nonsense = DocumentFactory(language="not a language")
    body, _ = passage_elements(client.get(nonsense.get_absolute_url()))
    assert "lang" not in body.attrs


def test_reading_view_title_describes_the_document(client):
    document = DocumentFactory(title="Statement", creator="AMICC", date=date(2000, 12, 31))
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<title>Statement — AMICC (December 31, 2000) · " in html


def test_reading_view_leaves_an_annotations_column(client, document):
    tree = parse(client.get(document.get_absolute_url()))
    assert tree.find("aside", **{"class": "reading-side"})
    status = tree.find("p", role="status", **{"class": "toast"})
    assert "data-permalink-status" in status.attrs


def test_reading_view_loads_the_permalink_citation_annotator_and_search_highlight_modules(client, document):
    scripts = parse(client.get(document.get_absolute_url())).find_all("script", type="module")
    assert [s.attrs["src"] for s in scripts] == [
        "/static/documents/js/permalink.js",
        "/static/documents/js/copy-citation.js",
        "/static/documents/js/annotator.js",
        "/static/documents/js/search-highlight.js",
    ]


def test_reading_view_cites_the_document_with_its_address_and_todays_date(client):
    document = DocumentFactory(
        slug="statement",
        title="Statement & signature",
        creator="Clinton, William J.",
        date=date(2000, 12, 31),
        publisher="",
    )
    response = client.get(document.get_absolute_url())
    url = "http://testserver/documents/statement/"
    cite = {"url": url, "accessed": timezone.localdate(), "archive": "Documents Archive"}
    section = parse(response).find("section", **{"class": "cite"})
    assert section.find("h2").text_content == "Cite this"
    assert [h3.text_content for h3 in section.find_all("h3")] == ["Chicago", "MLA", "APA", "BibTeX"]
    texts = [element.text_content for element in section.find_all("p", **{"class": "citation"})]
    (item,) = reference_managers.csl_json(document, **cite)
    assert texts == [citation.entry.text for citation in styles.citations(item)]
    assert section.find("pre").text_content == reference_managers.bibtex(document, **cite)
    assert texts[0] == (
        f"Clinton, William J. “Statement & Signature.” December 31, 2000. Documents Archive. {url}."
    )


def test_reading_view_describes_the_document_in_json_ld(client):
    collection = CollectionFactory(title="ICC", slug="icc")
    document = DocumentFactory(slug="statement", creator="Clinton, William J.", tags=["ICC"])
    document.collections.add(collection)
    tree = parse(client.get(document.get_absolute_url()))
    scripts = tree.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text_content)
    assert data == embedded.schema_org(
        document,
        url="http://testserver/documents/statement/",
        archive="Documents Archive",
        archive_url="http://testserver/",
        keywords=["ICC"],
        collections=[("ICC", "http://testserver/collections/icc/")],
    )
    assert tree.find("link", rel="canonical").attrs["href"] == "http://testserver/documents/statement/"


def test_json_ld_cannot_close_its_script_element(client):
    document = DocumentFactory(title="</script><script>alert(1)</script> & more")
    html = client.get(document.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">')
    script = html[start : html.index("</script>", start)]
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E \\u0026 more" in script
    data = json.loads(script.removeprefix('<script type="application/ld+json">'))
    assert data["name"] == "</script><script>alert(1)</script> & more"


def test_reading_view_queries_do_not_grow_with_passages_tags_or_collections(
    client, django_assert_max_num_queries
):
    small = DocumentFactory(text="One passage.")
    kinds = ["", "# ", "> ", "- "]
    large_text = "\n\n".join(f"{kinds[n % 4]}Passage number {n}." for n in range(100))
    large = DocumentFactory(
        text=large_text,
        tags=[f"tag {n}" for n in range(10)],
        collections=CollectionFactory.create_batch(5),
    )
    assert len(large.passages) == 100
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(large.get_absolute_url())
    assert len(passage_elements(response)[1]) == 100
    # Again, from the cache (docs/performance.md, "Reading at scale"): the document with its tags and
    # collections in
    # one query (what the page's validator names), then the anonymous page as kept (the database
    # cache, in tests).
    with CaptureQueriesContext(connection) as warm:
        response = client.get(large.get_absolute_url())
    assert len(passage_elements(response)[1]) == 100
    assert len(warm) == 2, [q["sql"] for q in warm]
