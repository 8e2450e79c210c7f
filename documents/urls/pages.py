"""The public pages. Tag slugs may hold any letter (taggit keeps Unicode), so they match ``str``."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from documents.accounts.views import notifications, readers
from documents.annotations.views import annotations, flags, preview
from documents.archive import feeds
from documents.archive.oai import views as oai
from documents.archive.views import citing, discovery, pages, revisions, tei
from documents.search import views as search_views

urlpatterns = [
    path("", pages.home, name="home"),
    path("documents/", pages.document_list, name="document-list"),
    path("documents/<slug:slug>/", pages.document_detail, name="document-detail"),
    path("documents/<slug:slug>/revisions/", revisions.revision_list, name="document-revisions"),
    path(
        "documents/<slug:slug>/revisions/<int:number>/", revisions.revision_detail, name="document-revision"
    ),
    path(
        "documents/<slug:slug>/cite.<str:format>",
        citing.document_citation,
        name="document-citation",
    ),
    path("documents/<slug:slug>/tei.xml", tei.document_tei, name="document-tei"),
    path(
        "documents/<slug:slug>/annotations/panel/",
        annotations.annotations_panel,
        name="annotation-panel",
    ),
    path("annotations/", pages.annotation_list, name="annotation-list"),
    path("annotations/preview/", preview.comment_preview, name="comment-preview"),
    path("annotations/<uuid:pk>/", annotations.annotation_detail, name="annotation-detail"),
    path("annotations/<uuid:pk>/quote/", revisions.annotation_quote, name="annotation-quote"),
    path("annotations/<uuid:pk>/flag/", flags.flag_annotation, name="annotation-flag"),
    path("collections/", pages.collection_list, name="collection-list"),
    path("collections/<slug:slug>/", pages.collection_detail, name="collection-detail"),
    path("tags/", pages.tag_list, name="tag-list"),
    path("tags/<str:slug>/", pages.tag_detail, name="tag-detail"),
    # docs/reading-and-annotating.md, "Readers' pages".
    path("readers/<str:username>/", readers.reader_page, name="reader"),
    # docs/reading-and-annotating.md, "Notifications".
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read/", notifications.notifications_read, name="notifications-read"),
    path("notifications/settings/", notifications.notification_settings, name="notification-settings"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification-open"),
    # Search and discovery (docs/search.md, "How search works").
    path("search/", search_views.search_page, name="search"),
    path("feeds/documents/", feeds.DocumentFeed(), name="feed-documents"),
    path("feeds/annotations/", feeds.AnnotationFeed(), name="feed-annotations"),
    path("sitemap.xml", sitemap, {"sitemaps": feeds.SITEMAPS}, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("favicon.ico", discovery.favicon, name="favicon"),
    # Harvesting by libraries and aggregators (docs/interoperability.md, "Harvesting (OAI-PMH)").
    path("oai/", oai.endpoint, name="oai"),
]
