"""Every way a document leaves the published set records it as withdrawn, and every way it comes back
takes the record away (``archive.publication``; docs/interoperability.md, "Harvesting (OAI-PMH)"):
the admin's form, its actions, its Delete, the importer and the demo archive."""

import pytest
from django.urls import reverse

from documents.annotations import text_changes
from documents.archive import publication
from documents.importing import demo
from documents.importing.documents import import_documents
from documents.models import Document, WithdrawnDocument
from tests.documents.archive.test_admin import CHANGELIST_URL, change_url, document_form
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def withdrawn() -> dict[str, list[str]]:
    return {gone.slug: gone.set_specs for gone in WithdrawnDocument.objects.all()}


@pytest.fixture
def speech():
    return DocumentFactory(slug="speech", collections=[CollectionFactory(slug="speeches")])


def test_unpublishing_in_the_admins_form_records_the_document_with_its_collections(curator_client, speech):
    data = document_form(
        slug="speech", title=speech.title, text=speech.text, base_revision=speech.revision, collections=[]
    )
    response = curator_client.post(change_url(speech), data)
    assert response.status_code == 302
    assert withdrawn() == {"speech": ["speeches"]}
    assert not speech.collections.exists()


def test_publishing_in_the_admins_form_takes_the_record_away(curator_client, speech):
    text_changes.set_document_status(speech, Document.Status.DRAFT)
    data = document_form(
        slug="speech",
        title=speech.title,
        text=speech.text,
        base_revision=speech.revision,
        status=Document.Status.PUBLISHED,
    )
    assert curator_client.post(change_url(speech), data).status_code == 302
    assert withdrawn() == {}


def test_the_unpublish_and_publish_actions(curator_client, speech, document):
    curator_client.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": [speech.pk, document.pk]})
    assert withdrawn() == {"speech": ["speeches"], document.slug: []}
    curator_client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [speech.pk]})
    assert withdrawn() == {document.slug: []}


def test_the_admins_delete_records_a_published_document(curator_client, speech):
    delete = reverse("admin:documents_document_delete", args=[speech.pk])
    assert curator_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Document.objects.exists()
    assert withdrawn() == {"speech": ["speeches"]}


def test_the_delete_action_records_the_published_ones_only(curator_client, speech, draft):
    response = curator_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [speech.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert withdrawn() == {"speech": ["speeches"]}


def test_an_import_that_unpublishes_records_it(tmp_path, speech):
    path = tmp_path / "speech.md"
    path.write_text(f"---\ntitle: {speech.title}\nslug: speech\nstatus: draft\n---\n\n{speech.text}\n")
    import_documents(paths=[path])
    assert Document.objects.get().status == Document.Status.DRAFT
    assert withdrawn() == {"speech": ["speeches"]}


def test_deleting_again_keeps_the_first_record_of_a_document_already_withdrawn(speech):
    text_changes.set_document_status(speech, Document.Status.DRAFT)
    first = WithdrawnDocument.objects.get()
    publication.delete_documents(Document.objects.all())
    assert WithdrawnDocument.objects.get() == first


def test_the_demo_archive_made_anew_is_published_again(db):
    demo.seed(documents=3, annotations=0, users=1)
    demo.seed(documents=3, annotations=0, users=1, replace=True)
    published = set(Document.objects.published().values_list("slug", flat=True))
    assert published and not published & set(withdrawn())
