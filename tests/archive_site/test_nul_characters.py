"""A NUL character in an address or a filter is refused with a 400 before any view reads it.

PostgreSQL cannot store or compare text holding NUL, so every view would
otherwise have to guard each filter; one middleware answers for all of them.
"""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/documents/?tag=%00",
    "/documents/?collection=a%00b",
    "/documents/?type=%00&year=2000",
    "/tags/a%00b/",
    "/documents/a%00b/",
    "/collections/a%00b/",
    "/search/?q=a%00b",
    "/?x%00=1",
]
API = [
    "/api/annotations/?tag=%00",
    "/api/annotations/?creator=a%00b",
    "/api/annotations/?motivation=%00",
    "/api/documents/?tag=a%00b",
    "/api/documents/?collection=%00",
    "/api/documents/a%00b/",
    "/api/documents/a%00b/annotations/",
    "/api/search/?q=%00",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_with_nul_in_its_address_is_a_400_page(client, document, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", API)
def test_the_api_answers_nul_with_a_400_problem(client, document, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "NUL" in response.json()["detail"]


def test_addresses_without_nul_are_served_as_before(client, document):
    assert client.get("/documents/?tag=law").status_code == 200
    assert client.get(f"/api/documents/{document.slug}/").status_code == 200
