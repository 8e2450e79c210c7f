"""Every area's addresses, each from its own module: pages, accounts, exports, groups, the API, the admin."""

from django.contrib import admin
from django.urls import include, path

from documents.archive.api import VocabularyView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("documents.accounts.urls")),
    path("api/", include("documents.api.urls")),
    path("ns/archive", VocabularyView.as_view(), name="vocabulary"),
    path("", include("documents.urls.exports")),
    path("", include("documents.groups.urls")),
    path("", include("documents.urls.pages")),
]
