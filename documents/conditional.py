"""Conditional GETs: the one place a page or an API answer is weighed against the client's copy.

Every route that sends an entity tag (the reading view, the annotation
containers and each annotation of the W3C API) asks ``precondition_answer``
before it renders, with the tag it would send (docs/performance.md, "Reading at
scale"). The rules are Django's ``get_conditional_response`` (RFC 9110, section
13.2.2), so each route compares as the others do: If-None-Match weakly
(``W/"x"``, what a compressed answer carries, names ``"x"``), If-Match strongly.
Writes do not come here: the API reads a PUT's or DELETE's If-Match on the
locked row, in the service's transaction (docs/architecture.md, "Concurrency").
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import get_conditional_response


def precondition_answer(request, etag: str | None) -> HttpResponse | None:
    """The answer that replaces a GET's or HEAD's page when its preconditions decide it, else None.

    304 Not Modified, carrying ``etag`` (RFC 9110, section 15.4.5), when
    If-None-Match names it; 412 when If-Match names another. ``etag`` is the
    quoted tag the page would carry; with none (the page has no validator) the
    page is always sent. Vary and Cache-Control stay the caller's and its
    middleware's, as on the full page.
    """
    if etag is None or request.method not in ("GET", "HEAD"):
        return None
    answer = get_conditional_response(request, etag=etag)
    if answer is not None:
        answer["ETag"] = etag
    return answer
