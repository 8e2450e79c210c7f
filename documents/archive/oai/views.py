"""``/oai/``: the OAI-PMH base URL (docs/interoperability.md, "Harvesting (OAI-PMH)").

Answers GET, and POST with a form body, as section 3.1.1 allows. Errors the protocol names are
answered in XML with status 200, as section 3.6 asks: harvesters read the error code from the body,
and treat an HTTP error as a failure of the server. Everyone is answered alike: published documents
and withdrawn ones only, whoever asks.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from documents.archive.oai import protocol, records, responses

CONTENT_TYPE = "text/xml; charset=utf-8"


# A harvester posts no cookie and changes nothing: the form body is another way of sending the query.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    base_url = request.build_absolute_uri(request.path)
    query = request.POST if request.method == "POST" else request.GET
    verb, arguments = None, {}
    try:
        verb, arguments = protocol.read_arguments(query)
        root = responses.envelope(base_url=base_url, request={"verb": verb, **arguments})
        ANSWERS[verb](responses.answer(root, verb), arguments, base_url=base_url)
    except protocol.OaiError as failure:
        echoed = {} if failure.code in protocol.ECHO_NOTHING else {"verb": verb, **arguments}
        root = responses.envelope(base_url=base_url, request=echoed)
        responses.error(root, failure)
    return HttpResponse(responses.to_bytes(root), content_type=CONTENT_TYPE)


def _identify(element, arguments, *, base_url):
    responses.identify(element, base_url=base_url, earliest=records.earliest_datestamp())


def _list_metadata_formats(element, arguments, *, base_url):
    if "identifier" in arguments:
        _find(arguments["identifier"])
    responses.metadata_formats(element)


def _list_sets(element, arguments, *, base_url):
    protocol.refuse_sets_token(arguments)
    collections = list(records.sets())
    if not collections:
        raise protocol.OaiError("noSetHierarchy", "This archive has no collections yet, so no sets.")
    responses.sets(element, collections)


def _get_record(element, arguments, *, base_url):
    protocol.check_format(arguments["metadataPrefix"])
    responses.record(element, _find(arguments["identifier"]))


def _list(element, arguments, *, base_url, verb):
    request = protocol.list_request(verb, arguments)
    page = records.page(request, size=settings.OAI_PAGE_SIZE)
    if not page.records:
        raise protocol.OaiError("noRecordsMatch", "No records match these arguments.")
    responses.listing(element, request, page)


def _find(identifier: str) -> records.Record:
    found = records.find(protocol.slug_of(identifier))
    if found is None:
        raise protocol.OaiError("idDoesNotExist", f"No record has the identifier “{identifier}”.")
    return found


ANSWERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": partial(_list, verb="ListIdentifiers"),
    "ListRecords": partial(_list, verb="ListRecords"),
}
