"""Error pages in the site's own design."""

import pytest
from django.test import override_settings


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_404_is_a_page_of_the_site(client):
    response = client.get("/documents/no-such-document/")

    assert response.status_code == 404
    assert "<title>Not found" in response.content.decode()
    assert 'href="/documents/"' in response.content.decode()


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong" in html


@pytest.mark.django_db
@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/documents/no-such-document/", "/documents/draft-doc/revisions/"])
def test_under_debug_a_page_you_may_not_see_is_still_the_sites_404(client, path):
    from tests.factories import DocumentFactory

    DocumentFactory(slug="draft-doc", status="draft")

    response = client.get(path)

    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["404.html"]
    assert "There is nothing at this address" in response.content.decode()
    assert "technical_404" not in response.content.decode()
