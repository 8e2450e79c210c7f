"""The read-only documents API: /api/, /api/documents/ and /api/documents/<slug>/."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.archive.text import parse
from documents.models import Document
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/documents/"
SERVER = "http://testserver"

# NFC composition, a non-breaking space, a combining mark with no precomposed form and
# characters outside the BMP, which JavaScript's String would count twice.
UNICODE_TEXT = (
    "# Cafe\u0301 \U0001d11e\n\n"
    "> Emoji \U0001f389 and\u00a0NBSP\n> across lines\n\n"
    "- q\u0307 \U0001f469\u200d\U0001f52c"
)


def detail_url(slug):
    return f"/api/documents/{slug}/"


def get_json(client, url, params=None, status=200):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].split(";")[0] in {"application/json", "application/problem+json"}
    assert response.json()["detail"]
    return response.json()


def assert_offsets_slice_passages(data, markup):
    """Code-point slices of the decoded ``text`` give back each passage exactly as parsed."""
    parsed = parse(markup)
    assert len(data["passages"]) == len(parsed)
    for passage, expected in zip(data["passages"], parsed, strict=True):
        assert data["text"][passage["start"] : passage["end"]] == expected.text


# --- API root ---------------------------------------------------------------------------------------


def test_api_root_lists_the_documents_entry_point_as_an_absolute_url(client):
    data = get_json(client, reverse("api-root"))
    assert reverse("api-root") == "/api/"
    assert data["documents"] == f"{SERVER}{LIST_URL}"


def test_every_entry_point_in_the_api_root_answers(client):
    for url in get_json(client, "/api/").values():
        assert url.startswith(f"{SERVER}/api/")
        assert client.get(url).status_code == 200


# --- List -------------------------------------------------------------------------------------------


def test_list_shows_published_documents_only(client, document, draft):
    data = get_json(client, LIST_URL)
    assert data["count"] == 1
    assert [item["slug"] for item in data["results"]] == [document.slug]


def test_list_shows_no_drafts_to_curators_either(client, curator, document, draft):
    client.force_login(curator)
    assert [item["slug"] for item in get_json(client, LIST_URL)["results"]] == [document.slug]


def test_list_item_carries_the_metadata_with_absolute_urls(client):
    first, second = CollectionFactory(slug="clinton", order=1), CollectionFactory(slug="icc", order=2)
    document = DocumentFactory(
        slug="signing-statement",
        title="Statement on Signature of the International Criminal Court Treaty",
        creator="William J. Clinton",
        date=datetime.date(2000, 12, 31),
        date_display="December 31, 2000",
        type=Document.Type.STATEMENT,
        description="The President's statement on signing the Rome Statute.",
        source="Quoted by AMICC",
        publisher="AMICC",
        rights="\u00a9 2017 AMICC All Rights Reserved.",
        language="en",
        identifier="amicc-clinton-2000",
        tags=["Rome Statute", "accountability"],
        collections=[second, first],
    )
    [item] = get_json(client, LIST_URL)["results"]

    assert datetime.datetime.fromisoformat(item.pop("published_at")) == document.published_at
    assert datetime.datetime.fromisoformat(item.pop("modified")) == document.modified
    assert item == {
        "url": f"{SERVER}/api/documents/signing-statement/",
        "html_url": f"{SERVER}/documents/signing-statement/",
        "annotations": f"{SERVER}/api/documents/signing-statement/annotations/",
        "slug": "signing-statement",
        "title": "Statement on Signature of the International Criminal Court Treaty",
        "creator": "William J. Clinton",
        "date": "2000-12-31",
        "date_display": "December 31, 2000",
        "type": "statement",
        "description": "The President's statement on signing the Rome Statute.",
        "source": "Quoted by AMICC",
        "publisher": "AMICC",
        "rights": "\u00a9 2017 AMICC All Rights Reserved.",
        "language": "en",
        "identifier": "amicc-clinton-2000",
        "tags": ["accountability", "Rome Statute"],
        "collections": ["clinton", "icc"],
        "revision": 1,
    }


def test_list_item_urls_lead_to_the_detail_and_the_reading_view(client, document):
    [item] = get_json(client, LIST_URL)["results"]
    assert item["url"] == SERVER + reverse("api-document-detail", args=[document.slug])
    assert item["html_url"] == SERVER + document.get_absolute_url()


def test_undated_document_has_a_null_date(client):
    DocumentFactory(date=None, date_display="c. 1850")
    [item] = get_json(client, LIST_URL)["results"]
    assert item["date"] is None
    assert item["date_display"] == "c. 1850"


def test_list_items_leave_out_the_text_and_passages(client, document):
    [item] = get_json(client, LIST_URL)["results"]
    assert "text" not in item
    assert "passages" not in item


def test_list_is_ordered_by_date_then_title_with_undated_documents_last(client):
    DocumentFactory(slug="undated", title="A", date=None)
    DocumentFactory(slug="later", title="A", date=datetime.date(2001, 1, 1))
    DocumentFactory(slug="same-day-b", title="B", date=datetime.date(2000, 12, 31))
    DocumentFactory(slug="same-day-a", title="A", date=datetime.date(2000, 12, 31))
    DocumentFactory(slug="earliest", title="Z", date=datetime.date(1998, 7, 17))
    slugs = [item["slug"] for item in get_json(client, LIST_URL)["results"]]
    assert slugs == ["earliest", "same-day-a", "same-day-b", "later", "undated"]


@pytest.mark.parametrize("count", [3, 30])
def test_list_runs_the_same_few_queries_however_many_documents(client, count, django_assert_max_num_queries):
    collections = CollectionFactory.create_batch(2)
    DocumentFactory.create_batch(count, tags=["treaty", "court"], collections=collections)
    with django_assert_max_num_queries(4):
        data = get_json(client, f"{LIST_URL}?page_size={count}")
    assert len(data["results"]) == count
    assert all(item["tags"] == ["court", "treaty"] for item in data["results"])
    assert all(len(item["collections"]) == 2 for item in data["results"])


# --- Pagination -------------------------------------------------------------------------------------


def test_list_pages_twenty_documents_at_a_time_with_absolute_links(client):
    DocumentFactory.create_batch(25)
    first = get_json(client, LIST_URL)
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == f"{SERVER}{LIST_URL}?page=2"

    second = get_json(client, first["next"])
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"].startswith(f"{SERVER}{LIST_URL}")
    slugs = [item["slug"] for item in first["results"] + second["results"]]
    assert sorted(slugs) == sorted(Document.objects.values_list("slug", flat=True))


def test_page_size_chooses_the_page_length_and_is_kept_in_the_links(client):
    DocumentFactory.create_batch(7)
    data = get_json(client, f"{LIST_URL}?page_size=3&page=2")
    assert len(data["results"]) == 3
    assert data["next"] == f"{SERVER}{LIST_URL}?page=3&page_size=3"
    assert data["previous"] == f"{SERVER}{LIST_URL}?page_size=3"


def test_page_size_is_capped_at_one_hundred(client):
    Document.objects.bulk_create(
        Document(title=f"Document {n:03}", slug=f"bulk-{n:03}", status=Document.Status.PUBLISHED, text="Text")
        for n in range(101)
    )
    data = get_json(client, f"{LIST_URL}?page_size=500")
    assert data["count"] == 101
    assert len(data["results"]) == 100


@pytest.mark.parametrize("page_size", ["0", "-1", "ten", "1.5", "\u0661"])
def test_page_size_that_is_not_a_positive_whole_number_is_a_400(client, document, page_size):
    data = assert_json_error(client.get(LIST_URL, {"page_size": page_size}), 400)
    assert data["field"] == "page_size"
    assert "whole number" in data["detail"]


# "0" and words are not page numbers: a 400 by the rule every list shares (test_bad_input.py).
@pytest.mark.parametrize("page", ["2", "9"])
def test_page_that_does_not_exist_is_a_json_404(client, document, page):
    assert_json_error(client.get(LIST_URL, {"page": page}), 404)


# --- Detail -----------------------------------------------------------------------------------------


def test_detail_adds_the_canonical_text_and_passage_offsets(client, document):
    data = get_json(client, detail_url(document.slug))
    assert data["slug"] == document.slug
    assert data["url"] == f"{SERVER}{detail_url(document.slug)}"
    assert data["text"] == (
        "A heading\n\nThe first passage.\n\nA quotation with a non-breaking\u00a0space.\n\nAn item"
    )
    assert data["passages"] == [
        {"n": 1, "start": 0, "end": 9, "kind": "heading"},
        {"n": 2, "start": 11, "end": 29, "kind": "paragraph"},
        {"n": 3, "start": 31, "end": 69, "kind": "quotation"},
        {"n": 4, "start": 71, "end": 78, "kind": "item"},
    ]
    assert_offsets_slice_passages(data, document.text)


def test_offsets_slice_the_text_of_every_seed_document(client):
    call_command("loaddata", "seed", verbosity=0)
    documents = Document.objects.published()
    assert documents.exists()
    for document in documents:
        data = get_json(client, detail_url(document.slug))
        assert data["text"] == document.canonical_text
        assert_offsets_slice_passages(data, document.text)


def test_detail_offsets_count_code_points_of_nfc_text(client):
    document = DocumentFactory(text=UNICODE_TEXT)
    data = get_json(client, detail_url(document.slug))
    assert data["text"] == (
        "Caf\u00e9 \U0001d11e\n\n"
        "Emoji \U0001f389 and\u00a0NBSP across lines\n\n"
        "q\u0307 \U0001f469\u200d\U0001f52c"
    )
    assert data["passages"] == [
        {"n": 1, "start": 0, "end": 6, "kind": "heading"},
        {"n": 2, "start": 8, "end": 37, "kind": "quotation"},
        {"n": 3, "start": 39, "end": 45, "kind": "item"},
    ]
    assert_offsets_slice_passages(data, UNICODE_TEXT)


def test_detail_of_a_document_without_text_has_no_passages(client):
    document = DocumentFactory(text="")
    data = get_json(client, detail_url(document.slug))
    assert data["text"] == ""
    assert data["passages"] == []


def test_draft_detail_is_a_json_404(client, user, draft):
    assert_json_error(client.get(detail_url(draft.slug)), 404)
    client.force_login(user)
    assert_json_error(client.get(detail_url(draft.slug)), 404)


def test_unknown_document_is_a_json_404(client, document):
    assert_json_error(client.get(detail_url("no-such-document")), 404)


def test_unknown_api_address_is_a_json_404(client):
    assert_json_error(client.get("/api/no-such-thing/"), 404)
    assert_json_error(client.get("/api/documents/not a slug/"), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_documents_are_read_only(client, document, method):
    for url in (LIST_URL, detail_url(document.slug)):
        assert_json_error(getattr(client, method)(url, {}, content_type="application/json"), 405)
    assert Document.objects.filter(pk=document.pk).exists()


def test_list_takes_the_filters_of_the_documents_page(client):
    collection = CollectionFactory(slug="icc")
    DocumentFactory(
        slug="a", date=datetime.date(2000, 12, 31), type="statement", tags=["law"], collections=[collection]
    )
    DocumentFactory(slug="b", date=datetime.date(1998, 7, 17), type="treaty")

    def slugs(**params):
        return [item["slug"] for item in get_json(client, LIST_URL, params)["results"]]

    assert slugs(collection="icc") == ["a"]
    assert slugs(tag="law") == ["a"]
    assert slugs(type="treaty") == ["b"]
    assert slugs(year="1998") == ["b"]
    assert slugs(year_from="1999") == ["a"]
    assert slugs(year_to="1999") == ["b"]
    assert slugs(year_from="1998", year_to="2000") == ["b", "a"]
    assert slugs(sort="-date") == ["a", "b"]


@pytest.mark.parametrize(
    ("params", "field", "detail"),
    [
        (
            {"year_from": "soon"},
            "year_from",
            "“soon” is not a year (1 to 9999, such as 1848). Leave it out to list every year.",
        ),
        (
            {"year_from": "2000", "year_to": "1990"},
            "year_to",
            "The years end (1990) before they begin (2000). Leave it out to list every year.",
        ),
    ],
)
def test_a_year_range_the_list_cannot_use_is_a_400_saying_why(client, document, params, field, detail):
    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert (response.json()["field"], response.json()["detail"]) == (field, detail)


def test_a_filter_that_matches_nothing_is_a_400_naming_it(client, document):
    response = client.get(LIST_URL, {"tag": "no-such-tag"})

    assert response.status_code == 400
    assert response.json()["field"] == "tag"
