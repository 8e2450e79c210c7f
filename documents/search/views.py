"""The search page, /search/?q= (docs/search.md, "How search works"): reads the query, presents
``documents.search.query``."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from documents.search import query as search
from documents.search import ranking


@require_safe
def search_page(request):
    """Results grouped as documents (with their best passages) and notes, with facets.

    A query that cannot be searched (empty, too long, punctuation alone) is
    shown back with the reason beside the field, as a form error; a page
    without ``q`` shows the search form alone. A search that finds nothing offers
    "Did you mean"; a page past the last says so and links the last (as the other lists, 200;
    the API answers 404).
    """
    text = request.GET.get("q", "")
    filters = search.Filters.from_query(request.GET)
    context = {
        "q": text,
        "filters": [(name, value, _with(request, **{name: None})) for name, value in filters.active.items()],
        "hidden_filters": filters.active,
        "results": None,
        "facets": [],
        "error": "",
        "suggestion": None,
        "past_the_end": None,
        "candidates": ranking.CANDIDATES,
    }
    if "q" in request.GET:
        try:
            results = search.search(
                text, user=request.user, filters=filters, page=search.page_number(request.GET.get("page"))
            )
        except search.QueryError as error:
            context["error"] = str(error)
        else:
            if results.past_the_end:
                context["past_the_end"] = (results.past_the_end, _with(request, page=results.pages))
                return render(request, "documents/search.html", context)
            context["results"] = results
            if results.suggestion:
                context["suggestion"] = (results.suggestion, _with(request, q=results.suggestion))
            context["facets"] = [
                (name, [(facet, _with(request, **{name: facet.value})) for facet in values])
                for name, values in results.facets.items()
                if values
            ]
    return render(request, "documents/search.html", context)


def _with(request, **changes) -> str:
    """This page's address with ``changes`` to its query string (``None`` removes), back on page one."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return f"{request.path}?{query.urlencode()}"
