"""The parser: ids and IRIs, and the terms only the server sets."""

import uuid

import pytest

from documents.annotations.jsonld import JsonLdError
from tests.documents.annotations.jsonld.builders import (
    BASE,
    annotation,
    parse,
)


def test_fields_only_the_server_sets_are_ignored():
    sent = annotation(
        creator={"id": "acct:mallory@testserver", "type": "Person", "nickname": "mallory"},
        created="1999-01-01T00:00:00Z",
        modified="1999-01-01T00:00:00Z",
        generator={"id": "http://evil.example/", "type": "Software"},
        generated="1999-01-01T00:00:00Z",
        hidden=True,
        hiddenReason="None at all.",
    )

    assert parse(sent) == parse(annotation())


def test_own_id_is_recognised_and_not_moved_to_via():
    annotation_id = uuid.uuid4()

    parsed = parse(annotation(id=f"{BASE}/api/annotations/{annotation_id}/", via="https://hypothes.is/a/x"))

    assert parsed.annotation_id == annotation_id
    assert parsed.via == "https://hypothes.is/a/x"


def test_foreign_id_goes_to_via_and_canonical_is_kept():
    parsed = parse(
        annotation(
            id="urn:uuid:0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b",
            via="https://ignored.example/",
            canonical="https://example.org/canonical/1",
        )
    )

    assert parsed.via == "urn:uuid:0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b"
    assert parsed.canonical == "https://example.org/canonical/1"
    assert parsed.annotation_id is None


def test_a_client_local_fragment_id_is_dropped_for_the_server_to_assign():
    """Browser libraries name unsaved annotations “#<uuid>”: meaningless off the client, not an error."""
    parsed = parse(annotation(id="#0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b"))

    assert parsed == parse(annotation())


def test_a_fragment_id_leaves_a_sent_via_in_place():
    parsed = parse(annotation(id="#local-1", via="https://hypothes.is/a/x"))

    assert parsed.via == "https://hypothes.is/a/x"
    assert parsed.annotation_id is None


@pytest.mark.parametrize("client_id", ["local-1", "/api/annotations/x/", "#", 7])
def test_other_relative_ids_are_still_refused(client_id):
    with pytest.raises(JsonLdError) as error:
        parse(annotation(id=client_id))

    assert error.value.field == "id"
