"""/oai/ through Django's test client: every verb and every error, each response valid against the
official OAI-PMH and oai_dc schemas (xsd.py); the records a harvest sees as curators publish,
unpublish and delete."""

from datetime import UTC, datetime, timedelta

import pytest

from documents.annotations import text_changes
from documents.archive import publication
from documents.archive.oai import protocol
from documents.models import Document, WithdrawnDocument
from tests.documents.archive.oai import xsd
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
HOST = "testserver"


def oai(client, **arguments):
    response = client.get("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return xsd.valid(response.content)


def error_code(tree) -> str:
    (error,) = tree.findall("oai:error", NS)
    return error.get("code")


def identifiers(tree) -> list[str]:
    return [element.text for element in tree.iterfind(".//oai:header/oai:identifier", NS)]


def identifier(document) -> str:
    return f"oai:{HOST}:{document.slug}"


@pytest.fixture(autouse=True)
def repository(settings):
    settings.SITE_URL = "http://testserver"
    settings.ARCHIVE_NAME = "The Test Archive"
    settings.OAI_PAGE_SIZE = 100


def test_identify_names_the_archive_and_keeps_deleted_records(client, document):
    tree = oai(client, verb="Identify")
    identify = tree.find("oai:Identify", NS)
    assert identify.findtext("oai:repositoryName", namespaces=NS) == "The Test Archive"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == protocol.datestamp(document.modified)
    assert tree.find("oai:request", NS).attrib == {"verb": "Identify"}


def test_identify_answers_on_an_empty_archive_too(client):
    assert oai(client, verb="Identify").find("oai:Identify", NS) is not None


def test_post_is_answered_as_get(client, document):
    response = client.post(
        "/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier(document)}
    )
    assert identifiers(xsd.valid(response.content)) == [identifier(document)]


def test_list_metadata_formats_offers_oai_dc(client, document):
    for arguments in ({}, {"identifier": identifier(document)}):
        tree = oai(client, verb="ListMetadataFormats", **arguments)
        (prefix,) = tree.findall(".//oai:metadataPrefix", NS)
        assert prefix.text == "oai_dc"


def test_list_sets_has_one_set_per_collection(client):
    CollectionFactory(slug="speeches", title="Speeches", description="Spoken words.")
    CollectionFactory(slug="letters", title="Letters")
    tree = oai(client, verb="ListSets")
    sets = [
        (s.findtext("oai:setSpec", namespaces=NS), s.findtext("oai:setName", namespaces=NS))
        for s in tree.iterfind(".//oai:set", NS)
    ]
    assert sets == [("letters", "Letters"), ("speeches", "Speeches")]
    assert tree.findtext(".//oai:setDescription//dc:description", namespaces=NS) == "Spoken words."


def test_list_sets_without_collections_says_there_is_no_set_hierarchy(client):
    assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"


def test_get_record_gives_the_documents_dublin_core(client):
    speeches = CollectionFactory(slug="speeches")
    document = DocumentFactory(
        slug="gettysburg",
        title="Address at Gettysburg",
        creator="Abraham Lincoln",
        date=datetime(1863, 11, 19).date(),
        description="Dedication of the cemetery.",
        publisher="Library of Congress",
        rights="Public domain",
        language="en",
        source="Nicolay copy",
        identifier="LOC-123",
        type=Document.Type.SPEECH,
        tags=["war", "Democracy"],
        collections=[speeches],
    )
    tree = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:testserver:gettysburg")
    header = tree.find(".//oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:datestamp", namespaces=NS) == protocol.datestamp(document.modified)
    assert [s.text for s in header.iterfind("oai:setSpec", NS)] == ["speeches"]

    def dc(name):
        return [element.text for element in tree.iterfind(f".//dc:{name}", NS)]

    assert dc("title") == ["Address at Gettysburg"]
    assert dc("creator") == ["Abraham Lincoln"]
    assert dc("subject") == ["Democracy", "war"]
    assert dc("date") == ["1863-11-19"]
    assert dc("type") == ["Text", "Speech"]
    assert dc("identifier") == ["http://testserver/documents/gettysburg/", "LOC-123"]
    assert (dc("publisher"), dc("rights"), dc("language"), dc("source")) == (
        ["Library of Congress"],
        ["Public domain"],
        ["en"],
        ["Nicolay copy"],
    )
    assert dc("description") == ["Dedication of the cemetery."]


def test_characters_xml_cannot_hold_are_dropped_not_served(client):
    document = DocumentFactory(title="Bell\x07 and\x0b tab\tkept", description="\x1b[1mbold")
    tree = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier(document))
    assert tree.findtext(".//dc:title", namespaces=NS) == "Bell and tab\tkept"
    assert tree.findtext(".//dc:description", namespaces=NS) == "[1mbold"


def test_lists_hold_published_documents_only(client, document, draft):
    for verb in ("ListIdentifiers", "ListRecords"):
        assert identifiers(oai(client, verb=verb, metadataPrefix="oai_dc")) == [identifier(document)]
    tree = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier(draft))
    assert error_code(tree) == "idDoesNotExist"


def test_a_set_holds_its_collections_documents(client):
    speeches = CollectionFactory(slug="speeches")
    speech = DocumentFactory(collections=[speeches])
    DocumentFactory()
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="speeches")
    assert identifiers(tree) == [identifier(speech)]
    assert (
        error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="nothing"))
        == "noRecordsMatch"
    )


def _dated(document, moment):
    Document.objects.filter(pk=document.pk).update(modified=moment)


def test_from_and_until_are_inclusive_to_the_second_and_to_the_day(client):
    early, middle, late = DocumentFactory(), DocumentFactory(), DocumentFactory()
    _dated(early, datetime(2030, 1, 1, 23, 59, 59, 500000, tzinfo=UTC))
    _dated(middle, datetime(2030, 1, 2, 12, 0, 0, 250000, tzinfo=UTC))
    _dated(late, datetime(2030, 1, 3, 0, 0, 0, tzinfo=UTC))

    def listed(**dates):
        return identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **dates))

    assert listed(**{"from": "2030-01-02", "until": "2030-01-02"}) == [identifier(middle)]
    assert listed(**{"from": "2030-01-01T23:59:59Z", "until": "2030-01-02T12:00:00Z"}) == [
        identifier(early),
        identifier(middle),
    ]
    assert listed(**{"from": "2030-01-02T12:00:01Z"}) == [identifier(late)]
    assert listed(until="2030-01-01") == [identifier(early)]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "set": "letters"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-02-30"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-W01-1"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01T00:00:00+01:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2030-01-01",
                "until": "2030-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-02", "until": "2030-01-01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "two words"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "a prefix"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "oai:testserver:x"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:x"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:testserver:none"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "oai:testserver:none"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1900-01-01"}, "noRecordsMatch"),
    ],
)
def test_each_bad_request_gets_the_protocols_error(client, document, arguments, code):
    tree = oai(client, **arguments)
    assert error_code(tree) == code
    echoed = tree.find("oai:request", NS).attrib
    assert echoed == ({} if code in ("badVerb", "badArgument") else arguments)


def test_a_repeated_argument_is_a_bad_argument(client, document):
    response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(xsd.valid(response.content)) == "badArgument"
    response = client.get("/oai/?verb=Identify&verb=ListSets")
    assert error_code(xsd.valid(response.content)) == "badVerb"


def _list_all(client, verb, **arguments):
    """Every page of a list: its identifiers, and each page's resumption token element."""
    tree = oai(client, verb=verb, metadataPrefix="oai_dc", **arguments)
    found, tokens = identifiers(tree), []
    token = tree.find(f"oai:{verb}/oai:resumptionToken", NS)
    while token is not None:
        tokens.append(token)
        if not token.text:
            break
        tree = oai(client, verb=verb, resumptionToken=token.text)
        found += identifiers(tree)
        token = tree.find(f"oai:{verb}/oai:resumptionToken", NS)
    return found, tokens


def test_resumption_tokens_page_through_the_list_by_datestamp(client, settings):
    settings.OAI_PAGE_SIZE = 2
    documents = [DocumentFactory() for _ in range(5)]
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    for n, document in enumerate(reversed(documents)):
        _dated(document, moment + timedelta(seconds=n // 2))  # pairs share a datestamp: then by key
    found, tokens = _list_all(client, "ListRecords")
    assert found == [identifier(documents[n]) for n in (3, 4, 1, 2, 0)]
    assert [(t.get("cursor"), t.get("completeListSize"), bool(t.text)) for t in tokens] == [
        ("0", "5", True),
        ("2", "5", True),
        ("4", "5", False),
    ]


def test_a_record_changed_during_a_harvest_moves_to_the_end_and_none_is_skipped(client, settings):
    settings.OAI_PAGE_SIZE = 2
    documents = [DocumentFactory() for _ in range(4)]
    for n, document in enumerate(documents):
        _dated(document, datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=n))
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = identifiers(tree)
    _dated(documents[0], datetime(2030, 1, 2, tzinfo=UTC))
    rest = []
    token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
    while token:
        tree = oai(client, verb="ListIdentifiers", resumptionToken=token)
        rest += identifiers(tree)
        token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
    assert first + rest == [identifier(d) for d in documents] + [identifier(documents[0])]


def test_a_resumption_token_is_signed_and_bound_to_its_verb(client, settings):
    settings.OAI_PAGE_SIZE = 1
    DocumentFactory(), DocumentFactory()
    token = oai(client, verb="ListRecords", metadataPrefix="oai_dc").findtext(
        ".//oai:resumptionToken", namespaces=NS
    )
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    assert (
        error_code(oai(client, verb="ListRecords", resumptionToken=token[:-2] + "xx")) == "badResumptionToken"
    )
    assert len(identifiers(oai(client, verb="ListRecords", resumptionToken=token))) == 1


def test_a_page_costs_the_same_few_queries_whatever_its_size(client, settings, django_assert_max_num_queries):
    speeches = CollectionFactory(slug="speeches")
    for n in range(30):
        DocumentFactory(tags=[f"tag-{n}", "shared"], collections=[speeches])
    publication.delete_documents(Document.objects.filter(pk=DocumentFactory(collections=[speeches]).pk))
    settings.OAI_PAGE_SIZE = 25
    with django_assert_max_num_queries(7):
        tree = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="speeches")
    assert len(identifiers(tree)) == 25
    token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
    with django_assert_max_num_queries(7):
        assert len(identifiers(oai(client, verb="ListRecords", resumptionToken=token))) == 6


# --- Deleted records: a document that leaves the published set ---------------------------------------


def deleted(client, document) -> tuple[str, list[str]] | None:
    """The status of ``document``'s header in a full harvest, and its sets; None when absent."""
    tree = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    for header in tree.iterfind(".//oai:header", NS):
        if header.findtext("oai:identifier", namespaces=NS) == identifier(document):
            return header.get("status"), [s.text for s in header.iterfind("oai:setSpec", NS)]
    return None


def test_an_unpublished_document_answers_as_a_deleted_record_in_its_sets(client):
    document = DocumentFactory(collections=[CollectionFactory(slug="speeches")])
    text_changes.set_document_status(document, Document.Status.DRAFT)
    assert deleted(client, document) == ("deleted", ["speeches"])
    tree = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier(document))
    assert tree.find(".//oai:header", NS).get("status") == "deleted"
    assert tree.find(".//oai:metadata", NS) is None
    assert identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="speeches")) == [
        identifier(document)
    ]


def test_publishing_it_again_brings_the_record_back(client, document):
    text_changes.set_document_status(document, Document.Status.DRAFT)
    text_changes.set_document_status(document, Document.Status.PUBLISHED)
    assert deleted(client, document) == (None, [])
    assert not WithdrawnDocument.objects.exists()


def test_a_draft_never_published_leaves_no_deleted_record(client, draft):
    publication.delete_documents(Document.objects.filter(pk=draft.pk))
    assert not WithdrawnDocument.objects.exists()


def test_a_new_slug_withdraws_the_old_identifier(client, document):
    old = identifier(document)
    document.slug = "renamed"
    text_changes.save_document(document)
    tree = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=old)
    assert tree.find(".//oai:header", NS).get("status") == "deleted"
    assert deleted(client, document) == (None, [])


def test_a_deleted_records_datestamp_is_when_it_left(client, document):
    before = datetime.now(UTC).replace(microsecond=0)
    text_changes.set_document_status(document, Document.Status.DRAFT)
    tree = oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": protocol.datestamp(before)}
    )
    assert identifiers(tree) == [identifier(document)]
