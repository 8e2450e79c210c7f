"""What crawlers and browsers ask every site for: ``/robots.txt`` and ``/favicon.ico`` (docs/search.md,
"How search works"); the sitemap is Django's, from ``archive.feeds``."""

from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Everything public may be crawled; the admin and the account pages hold nothing to index.
DISALLOWED = ("/admin/", "/accounts/")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers that ask for /favicon.ico get the site's icon, the SVG every page links to.

    A temporary redirect: the icon's address names its content (hashed static files), so it
    changes when the icon does.
    """
    return HttpResponseRedirect(static("documents/img/favicon.svg"))
