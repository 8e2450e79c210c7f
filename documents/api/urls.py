"""The API under /api/. Add new endpoints above the catch-all, which must stay last."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from documents.annotations.api import (
    AnnotationContainerView,
    AnnotationResourceView,
    DocumentAnnotationContainerView,
)
from documents.annotations.api.tags import TagSuggestionsView
from documents.archive import api as views
from documents.search.api import SearchView

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api-root"),
    path("documents/", views.DocumentListView.as_view(), name="api-document-list"),
    path("documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="api-document-detail"),
    path(
        "documents/<slug:slug>/annotations/",
        DocumentAnnotationContainerView.as_view(),
        name="api-document-annotations",
    ),
    path("annotations/", AnnotationContainerView.as_view(), name="api-annotation-list"),
    path("annotations/<uuid:pk>/", AnnotationResourceView.as_view(), name="api-annotation-detail"),
    path("tags/", TagSuggestionsView.as_view(), name="api-tag-suggestions"),
    path("search/", SearchView.as_view(), name="api-search"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Only addresses ending in "/": without one, Django's APPEND_SLASH redirect still runs first.
    re_path(r"^.*/$", views.NotFoundView.as_view(), name="api-not-found"),
]
