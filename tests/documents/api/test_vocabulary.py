"""``/ns/archive``, the archive's own JSON-LD terms, and the second ``@context`` entry of every annotation
that names them: one set of stable IRIs (from ``SITE_URL``, never the request's Host), served as JSON-LD,
and read by a JSON-LD processor (pyld) as the archive means them."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from pyld import jsonld as pyld

from documents.annotations import jsonld
from tests.factories import UserFactory, make_group

pytestmark = pytest.mark.django_db

SITE = "https://archive.example.org"
VOCABULARY = f"{SITE}/ns/archive#"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def test_the_vocabulary_is_json_ld_and_its_iris_do_not_follow_the_host(client):
    response = client.get(reverse("vocabulary"), HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    ids = [term["@id"] for term in response.json()["@graph"]]
    assert ids == [VOCABULARY + term for term in jsonld.ARCHIVE_TERMS]


def test_the_vocabulary_defines_every_term_an_annotation_uses(client):
    graph = pyld.expand(client.get(reverse("vocabulary")).json())
    defined = {node["@id"] for node in graph}
    terms = jsonld.archive_terms()
    assert {term if isinstance(term, str) else term["@id"] for term in terms.values()} == defined


def test_group_expands_as_an_iri_and_visibility_as_a_string(client, document):
    ada = UserFactory()
    make_group(ada, name="Seminar")
    note = {
        "@context": jsonld.archive_terms(),
        "visibility": "group",
        "group": "http://testserver/groups/seminar/",
    }
    (expanded,) = pyld.expand(note)
    assert expanded[VOCABULARY + "group"] == [{"@id": "http://testserver/groups/seminar/"}]
    assert expanded[VOCABULARY + "visibility"] == [{"@value": "group"}]


def test_an_annotations_context_names_the_stable_iris_whatever_the_host(client, document):
    ada = UserFactory()
    seminar = make_group(ada, name="Seminar")
    client.force_login(ada)
    note = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "bodyValue": "Read this together.",
        "target": {"source": "http://localhost" + document.get_absolute_url()},
        "visibility": "group",
        "group": "http://localhost" + seminar.get_absolute_url(),
    }
    response = client.post(
        reverse("api-annotation-list"), note, content_type="application/ld+json", HTTP_HOST="localhost"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["@context"][1] == jsonld.archive_terms()
    assert response.json()["@context"][1]["group"] == {"@id": VOCABULARY + "group", "@type": "@id"}


def test_every_archive_term_is_described_where_its_iri_points(client):
    iri = jsonld.archive_terms()["visibility"]
    response = client.get(urlsplit(iri).path)
    assert response.status_code == 200
    assert iri in {node["@id"] for node in response.json()["@graph"]}
