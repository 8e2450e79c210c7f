"""Site-wide middleware: a strict Content Security Policy, and refusing NUL characters.

The archive's own pages get a strict Content Security Policy. Templates carry
no inline scripts or styles, so pages can forbid them: a comment that slipped
past the sanitiser still could not run script. The admin and the Swagger UI
are third-party pages with inline code of their own, so they go without it.
"""

from urllib.parse import unquote_plus

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from documents.api.problems import PROBLEM_MEDIA_TYPE, problem_body


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and not request.path.startswith(settings.CONTENT_SECURITY_POLICY_EXEMPT):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


NUL_MESSAGE = (
    "The address contains a NUL character (%00), which no document, tag or filter can hold. "
    "Remove it and try again."
)


class RefuseNulMiddleware:
    """Answer 400 when the path or query string holds a NUL character, before any view runs.

    PostgreSQL cannot compare text containing NUL, so a ``?tag=%00`` would
    otherwise fail deep in a query as a 500. One check here guards every page
    and API filter: the API gets a problem+json, pages an HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        if request.path.startswith(reverse("api-root")):
            return JsonResponse(
                problem_body(NUL_MESSAGE, status_code=400),
                status=400,
                content_type=PROBLEM_MEDIA_TYPE,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
