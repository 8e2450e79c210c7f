"""Site-wide middleware: a strict Content Security Policy, ``Cache-Control: private``
on whatever depends on who asks, and refusing NUL characters in addresses and forms.

The archive's own pages get a strict Content Security Policy. Templates carry
no inline scripts or styles, so pages can forbid them: a comment that slipped
past the sanitiser still could not run script. The admin and the Swagger UI
are third-party pages with inline code of their own, so they go without it.
"""

from urllib.parse import unquote_plus

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views import defaults

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


class SiteNotFoundPageMiddleware:
    """Under DEBUG (``make run``), a view's 404 is the archive's own page, as in production
    (docs/deployment.md, "Running it").

    "Not found, or not yours to see" is an answer the site gives every day, not a
    fault; Django's debug page for it would show instead, unstyled under the
    Content Security Policy. Only Http404 from a view: an address no route
    matches still gets Django's page listing the routes, and errors their traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        return None


NUL_MESSAGE = (
    "The address contains a NUL character (%00), which no document, tag or filter can hold. "
    "Remove it and try again."
)
NUL_FIELD_MESSAGE = (
    "A field of the form contains a NUL character (U+0000), which no text in the archive can hold. "
    "Remove it and try again."
)


class RefuseNulMiddleware:
    """Answer 400 when the path, the query string or a posted form field holds a NUL character,
    before any view runs.

    PostgreSQL can neither store nor compare text containing NUL, so a
    ``?tag=%00`` or a flag's reason with a NUL would otherwise fail deep in a
    query as a 500. One check here guards every page, API filter and form
    field, whether a Django form reads it or a view reads ``request.POST``
    itself: the API gets a problem+json, a script (``Sec-Fetch-Mode`` other
    than ``navigate``) the sentence as plain text to show beside its form, and
    pages an HTML page. Uploaded files are bytes, not fields, and may hold NUL.
    Reading ``request.POST`` here parses nothing a view would not: only form
    bodies are parsed (JSON is left to the API's parsers, which refuse NUL
    themselves), and CSRF protection reads the same fields anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return self.refuse(request, NUL_MESSAGE)
        if request.method == "POST" and any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.POST.lists()
        ):
            return self.refuse(request, NUL_FIELD_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def refuse(request, message):
        if request.path.startswith(reverse("api-root")):
            return JsonResponse(
                problem_body(message, status_code=400),
                status=400,
                content_type=PROBLEM_MEDIA_TYPE,
                json_dumps_params={"ensure_ascii": False},
            )
        if request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return render(request, "400.html", {"message": message}, status=400)


class PrivateCacheMiddleware:
    """Marks a response that depends on the reader ``Cache-Control: private``.

    A logged-in reader's pages hold their private notes and a token's answers
    hold its user's, so no shared cache may keep them (docs/reading-and-annotating.md, "Privacy"). The
    answer depends on the reader when the view read a session that holds
    anything (a logged-in user does), or when an ``Authorization`` header was
    sent, which decides the answer even when it is refused; it then varies on
    what identified the reader. A view's stricter ``no-store`` is kept.
    Anonymous reading, whose session is empty, stays cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        by_session = session is not None and session.accessed and not session.is_empty()
        by_token = "Authorization" in request.headers
        if not (by_session or by_token):
            return response
        patch_vary_headers(
            response, [*(["Cookie"] if by_session else []), *(["Authorization"] if by_token else [])]
        )
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses what holds no secret: no CSRF token, nothing that depends on the reader.

    Compression leaks a secret when a response holds it beside text an attacker
    can choose (BREACH): the compressed length tells whether a guess matched.
    So a response that used the CSRF token, or is ``Cache-Control: private``
    or ``no-store`` (``PrivateCacheMiddleware`` marks whatever depends on who
    asks), goes out uncompressed. The anonymous reading view, which is most of
    the traffic and the heaviest page, is compressed (docs/performance.md, "Reading at scale").
    """

    def process_response(self, request, response):
        cache_control = response.get("Cache-Control", "")
        if (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or "private" in cache_control
            or "no-store" in cache_control
        ):
            return response
        gzipped = getattr(response, "gzipped_content", None)
        if gzipped is None:
            return super().process_response(request, response)
        # A body compressed once for many answers (a kept API answer): Django's steps, without
        # compressing it again.
        if response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        response.content = gzipped
        response.headers["Content-Length"] = str(len(gzipped))
        if (etag := response.get("ETag")) and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
