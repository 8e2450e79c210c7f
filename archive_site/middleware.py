"""Response headers every page gets: a strict Content Security Policy, and
``Cache-Control: private`` on whatever depends on who asks.

Templates carry no inline scripts or styles, so pages can forbid them: a
comment that slipped past the sanitiser still could not run script. The
admin and the Swagger UI are third-party pages with inline code of their own,
so they are left without the header.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and not request.path.startswith(settings.CONTENT_SECURITY_POLICY_EXEMPT):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class PrivateCacheMiddleware:
    """Marks a response that depends on the reader ``Cache-Control: private``.

    A logged-in reader's pages hold their private notes and a token's answers
    hold its user's, so no shared cache may keep them (README, Privacy). The
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
