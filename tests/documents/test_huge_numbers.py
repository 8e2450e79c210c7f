"""Numbers too long for Python's ``int`` (4,300 digits and more) are a clear answer, never a 500.

Query strings: every page that reads ``?page=`` or a page size treats such a number as one past its
last page, as it treats any page past the end (``documents.paging``). Bodies and import files: a JSON
number longer than ``jsonld.MAX_NUMBER_DIGITS`` digits is a 400 (a form error on the profile's import).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents import paging
from documents.accounts.tokens import issue_token
from documents.annotations import services, writes
from documents.annotations.jsonld import MAX_NUMBER_DIGITS, JsonLdError, load_json
from documents.models import Annotation
from tests.factories import AnnotationFactory, CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db

HUGE = "1" * 5_000
PROBLEM = "application/problem+json"
ANNO = "http://www.w3.org/ns/anno.jsonld"


@pytest.fixture
def doc(user):
    collection = CollectionFactory(slug="letters")
    document = DocumentFactory(slug="speech", tags=["speech"], collections=[collection])
    AnnotationFactory(document=document, author=user, visibility="public", tags=["speech"])
    return document


def reader(user, logged_in: bool) -> Client:
    client = Client()
    if logged_in:
        client.force_login(user)
    return client


# (route name, args, the query parameter, needs a login, an API route)
LIST_ROUTES = [
    ("document-list", [], "page", False),
    ("document-detail", ["speech"], "page", False),
    ("document-detail", ["speech"], "page", True),
    ("collection-detail", ["letters"], "page", False),
    ("tag-detail", ["speech"], "page", False),
    ("tag-detail", ["speech"], "annotations_page", False),
    ("search", [], "page", False),
    ("notification-list", [], "page", True),
    ("profile", [], "page", True),
]
API_LIST_ROUTES = [
    ("api-document-list", [], "page"),
    ("api-document-list", [], "page_size"),
    ("api-annotation-list", [], "page"),
    ("api-annotation-list", [], "page_size"),
    ("api-annotation-list", [], "limit"),
    ("api-document-annotations", ["speech"], "page"),
    ("api-document-annotations", ["speech"], "page_size"),
    ("api-document-annotations", ["speech"], "limit"),
    ("api-search", [], "page"),
]


@pytest.mark.parametrize(("name", "args", "param", "logged_in"), LIST_ROUTES)
@pytest.mark.parametrize("value", [HUGE, "0" * 5_000 + "2", "9" * 4_300])
def test_a_page_number_of_thousands_of_digits_is_a_page_past_the_end(
    doc, user, name, args, param, logged_in, value
):
    query = {param: value, **({"q": "passage"} if name == "search" else {})}

    response = reader(user, logged_in).get(reverse(name, args=args), query)

    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(("name", "args", "param"), API_LIST_ROUTES)
@pytest.mark.parametrize("logged_in", [False, True])
def test_an_api_page_or_size_of_thousands_of_digits_is_a_clear_answer(
    doc, user, name, args, param, logged_in
):
    query = {param: HUGE, **({"q": "passage"} if name == "api-search" else {})}

    response = reader(user, logged_in).get(reverse(name, args=args), query)

    if param in ("page_size", "limit"):
        # A size past the most one page holds is lowered to it.
        assert response.status_code == 200, response.content[:300]
    else:
        # As for any page past the last: 404, a problem that says which pages there are.
        assert response.status_code == 404, response.content[:300]
        assert response["Content-Type"] == PROBLEM
        assert len(response.json()["detail"]) < 200


@pytest.mark.parametrize("value", ["2", "02", "0" * 5_000 + "2"])
def test_leading_zeros_do_not_change_a_page_number(value):
    assert paging.whole_number(value) == 2


@pytest.mark.parametrize("value", [None, "", "-1", "1.5", "²", "\u0661", " 1", "1e3", "+1"])
def test_what_is_not_ascii_digits_is_no_number(value):
    assert paging.whole_number(value) is None


def test_a_number_longer_than_any_page_reads_as_past_every_page():
    assert paging.whole_number(HUGE) == paging.BEYOND
    assert paging.whole_number("9" * paging.MAX_DIGITS) == 10**paging.MAX_DIGITS - 1


# --- JSON bodies and import files ---------------------------------------------------------------


@pytest.fixture
def token_headers(user):
    _, key = issue_token(user=user)
    return {"Authorization": f"Token {key}"}


def note(document, **extra):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "A note.",
        "target": {
            "source": "http://testserver" + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": "The first passage"},
        },
        **extra,
    }


def with_number(data, number: str) -> str:
    """``data`` as JSON with ``number`` written (unquoted) as the value of its key ``"n"``."""
    return json.dumps({**data, "n": 0}).replace('"n": 0', f'"n": {number}')


NUMBERS = [HUGE, "-" + HUGE, HUGE + ".5", "0." + HUGE, "1" + "0" * 5_000 + "e2"]


def assert_number_problem(response):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    detail = response.json()["detail"]
    assert f"{MAX_NUMBER_DIGITS} digits" in detail
    assert len(detail) < 300


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("container", ["api-annotation-list", "api-document-annotations"])
def test_a_posted_annotation_with_a_number_of_thousands_of_digits_is_a_400(
    client, doc, token_headers, container, number
):
    url = reverse(container, args=[doc.slug] if container == "api-document-annotations" else [])

    response = client.post(
        url, with_number(note(doc), number), content_type="application/ld+json", headers=token_headers
    )

    assert_number_problem(response)


@pytest.mark.parametrize("media_type", ["application/ld+json", "application/json"])
def test_an_import_array_with_a_number_of_thousands_of_digits_is_a_400(
    client, doc, token_headers, media_type
):
    body = "[" + with_number(note(doc), HUGE) + "]"

    response = client.post(
        reverse("api-annotation-list"), body, content_type=media_type, headers=token_headers
    )

    assert_number_problem(response)
    assert Annotation.objects.count() == 1


def test_a_put_with_a_number_of_thousands_of_digits_is_a_400_and_changes_nothing(client, doc, user):
    mine = services.create_annotation(
        author=user, document=doc, target=writes.Target(exact="first passage"), comment="Kept."
    )
    client.force_login(user)
    url = reverse("api-annotation-detail", args=[mine.pk])
    read = client.get(url)
    data = {**read.json(), "bodyValue": "Changed."}
    data.pop("body", None)

    response = client.put(
        url, with_number(data, HUGE), content_type="application/ld+json", headers={"If-Match": read["ETag"]}
    )

    assert_number_problem(response)
    mine.refresh_from_db()
    assert mine.comment == "Kept."


def test_the_profile_import_says_a_file_with_such_a_number_cannot_be_read(client, doc, user):
    client.force_login(user)
    upload = SimpleUploadedFile("notes.jsonld", ("[" + with_number(note(doc), HUGE) + "]").encode())

    response = client.post(reverse("my-annotations-import"), {"file": upload})

    assert response.status_code == 400
    assert f"{MAX_NUMBER_DIGITS} digits" in response.content.decode()
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize("text", ["[NaN]", '{"start": Infinity}', "[-Infinity]"])
def test_what_json_has_no_numbers_for_is_not_read_as_one(text):
    with pytest.raises(JsonLdError, match="not valid JSON"):
        load_json(text)


def test_numbers_up_to_the_limit_are_read_as_numbers():
    longest = "9" * MAX_NUMBER_DIGITS

    assert load_json(f"[{longest}, -{longest}, 0.{longest[1:]}, 1e5]") == [
        int(longest),
        -int(longest),
        float("0." + longest[1:]),
        1e5,
    ]
