"""The archive's own JSON-LD terms resolve to a description."""

from urllib.parse import urlsplit

from documents.annotations import jsonld


def test_every_archive_term_is_described_where_its_iri_points(client):
    terms = jsonld.archive_terms("http://testserver")

    response = client.get(urlsplit(terms["visibility"]).path)

    assert response.status_code == 200
    described = {node["@id"] for node in response.json()["@graph"]}
    assert set(terms.values()) <= described
