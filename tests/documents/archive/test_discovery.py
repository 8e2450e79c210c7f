"""What crawlers and browsers ask a site for first: /robots.txt, /sitemap.xml and /favicon.ico
(docs/search.md, "How search works")."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from lxml import etree

from documents.models import Document
from tests.documents.search.test_search import note
from tests.factories import CollectionFactory, DocumentFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_allows_the_public_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /accounts/", "Allow: /"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_named_in_robots_txt_answers(client):
    sitemap = client.get("/robots.txt").content.decode().rsplit("Sitemap: ", 1)[1].strip()
    assert client.get(sitemap).status_code == 200


def locations(client) -> set[str]:
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    return {loc.text for loc in tree.iterfind(".//s:loc", SITEMAP)}


def test_the_sitemap_lists_collections_and_tags_with_public_content(client, user):
    speeches = CollectionFactory(slug="speeches")
    CollectionFactory(slug="drafts-only")
    CollectionFactory(slug="empty")
    published = DocumentFactory(slug="speech", tags=["oratory"], collections=[speeches])
    DocumentFactory(
        slug="draft",
        status=Document.Status.DRAFT,
        tags=["unreleased"],
        collections=[CollectionFactory(slug="drafts-only-2")],
    )
    note(published, user, "The first passage", comment="Note", tags=["annotated"], visibility="public")
    note(published, user, "The first passage", comment="Mine", tags=["secret-tag"], visibility="private")
    found = locations(client)
    assert {
        "http://testserver/documents/speech/",
        "http://testserver/collections/speeches/",
        "http://testserver/tags/oratory/",
        "http://testserver/tags/annotated/",
    } <= found
    for absent in (
        "/documents/draft/",
        "/collections/drafts-only",
        "/collections/empty/",
        "unreleased",
        "secret-tag",
    ):
        assert not [location for location in found if absent in location]


def test_favicon_ico_leads_to_the_icon_every_page_links(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    page = parse(client.get("/"))
    [icon] = page.find_all("link", rel="icon")
    assert response["Location"] == icon.attrs["href"] == static("documents/img/favicon.svg")
    assert finders.find("documents/img/favicon.svg")
