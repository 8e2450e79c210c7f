"""A real harvester, Sickle, harvests /oai/ from a live server over HTTP: what libraries and aggregators
do (docs/interoperability.md, "Harvesting (OAI-PMH)")."""

from datetime import UTC, datetime, timedelta

import pytest
from sickle import Sickle
from sickle.iterator import OAIResponseIterator
from sickle.oaiexceptions import IdDoesNotExist, NoRecordsMatch

from documents.annotations import text_changes
from documents.models import Document
from tests.documents.archive.oai import xsd
from tests.factories import CollectionFactory, DocumentFactory

HOST = "testserver"


@pytest.fixture(autouse=True)
def repository(settings):
    settings.SITE_URL = f"http://{HOST}"
    settings.OAI_PAGE_SIZE = 2


@pytest.fixture
def harvester(live_server) -> Sickle:
    return Sickle(live_server.url + "/oai/", max_retries=0, timeout=30)


@pytest.fixture
def archive():
    """Five published documents a minute apart (two in Speeches), a draft, and a second collection."""
    speeches = CollectionFactory(slug="speeches", title="Speeches")
    CollectionFactory(slug="letters", title="Letters")
    documents = [
        DocumentFactory(slug=f"doc-{n}", title=f"Document {n}", collections=[speeches] if n < 2 else [])
        for n in range(5)
    ]
    DocumentFactory(slug="a-draft", status=Document.Status.DRAFT)
    for n, document in enumerate(documents):
        Document.objects.filter(pk=document.pk).update(
            modified=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
        )
    return documents


def test_list_records_follows_the_resumption_tokens_across_pages(harvester, archive):
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert [record.header.identifier for record in records] == [f"oai:{HOST}:doc-{n}" for n in range(5)]
    assert [record.metadata["title"] for record in records] == [[f"Document {n}"] for n in range(5)]
    assert records[0].metadata["identifier"] == [f"http://{HOST}/documents/doc-0/"]


def test_every_page_is_valid_and_counts_the_list(live_server, archive):
    pages = Sickle(live_server.url + "/oai/", iterator=OAIResponseIterator, max_retries=0)
    responses = list(pages.ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(responses) == 3
    for response in responses:
        xsd.valid(response.raw.encode())
    tokens = [xsd.valid(r.raw.encode()).find(".//{*}resumptionToken") for r in responses]
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [
        ("0", "5"),
        ("2", "5"),
        ("4", "5"),
    ]


def test_list_sets_names_each_collection(harvester, archive):
    assert [(s.setSpec, s.setName) for s in harvester.ListSets()] == [
        ("letters", "Letters"),
        ("speeches", "Speeches"),
    ]


def test_get_record(harvester, archive):
    record = harvester.GetRecord(identifier=f"oai:{HOST}:doc-1", metadataPrefix="oai_dc")
    assert record.header.setSpecs == ["speeches"]
    assert record.header.datestamp == "2020-01-01T00:01:00Z"
    assert record.metadata["type"] == ["Text", "Statement"]
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(identifier=f"oai:{HOST}:a-draft", metadataPrefix="oai_dc")


def test_list_identifiers_by_set_and_dates(harvester, archive):
    in_set = harvester.ListIdentifiers(metadataPrefix="oai_dc", set="speeches")
    assert [header.identifier for header in in_set] == [f"oai:{HOST}:doc-0", f"oai:{HOST}:doc-1"]
    dated = harvester.ListIdentifiers(
        metadataPrefix="oai_dc", **{"from": "2020-01-01T00:01:00Z", "until": "2020-01-01T00:03:00Z"}
    )
    assert [header.identifier for header in dated] == [f"oai:{HOST}:doc-{n}" for n in (1, 2, 3)]
    with pytest.raises(NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="letters"))


def test_a_document_unpublished_after_a_harvest_is_harvested_again_as_deleted(harvester, archive):
    first = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    since = max(header.datestamp for header in first)
    text_changes.set_document_status(archive[0], Document.Status.DRAFT)

    changed = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since}))
    by_identifier = {record.header.identifier: record for record in changed}
    gone = by_identifier[f"oai:{HOST}:doc-0"]
    assert gone.header.deleted and gone.header.setSpecs == ["speeches"]
    assert not hasattr(gone, "metadata")  # a deleted record has none
    record = harvester.GetRecord(identifier=f"oai:{HOST}:doc-0", metadataPrefix="oai_dc")
    assert record.header.deleted
    everything = [header.identifier for header in harvester.ListIdentifiers(metadataPrefix="oai_dc")]
    assert len(everything) == 5 and everything[-1] == f"oai:{HOST}:doc-0"
