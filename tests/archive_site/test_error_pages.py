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
