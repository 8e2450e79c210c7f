"""A strict Content Security Policy for the archive's own pages.

Templates carry no inline scripts or styles, so pages can forbid them: a
comment that slipped past the sanitiser still could not run script. The
admin and the Swagger UI are third-party pages with inline code of their own,
so they are left without the header.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and not request.path.startswith(settings.CONTENT_SECURITY_POLICY_EXEMPT):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
