"""Atom feeds and the sitemap (docs/search.md, "How search works"): what anyone may read, whoever asks.

The sitemap lists the published documents, the collections that hold one of them, and the tags
their pages show something under (a published document or a public note carrying them).

Each reads through the one visibility rule as an anonymous reader
(``visible_to(AnonymousUser())``), so a draft, a private note or a hidden one
never appears, whoever fetches the feed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from documents.annotations.models import Annotation, VisibleTag
from documents.archive.models import Collection, Document

FEED_SIZE = 50


def public_documents():
    return Document.objects.visible_to(AnonymousUser()).defer("text")


def public_annotations():
    return Annotation.objects.visible_to(AnonymousUser()).filter(visibility=Annotation.Visibility.PUBLIC)


class DocumentFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("document-list")
    subtitle = "Documents as they are published."

    def title(self):
        return f"{settings.ARCHIVE_NAME}: new documents"

    def items(self):
        return public_documents().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, document):
        return document.title

    def item_description(self, document):
        return document.description

    def item_author_name(self, document):
        return document.creator or None

    def item_pubdate(self, document):
        return document.published_at

    def item_updateddate(self, document):
        return document.modified


class AnnotationFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("annotation-list")  # Recent notes: the same notes, newest first
    subtitle = "Public annotations as they are written."

    def title(self):
        return f"{settings.ARCHIVE_NAME}: new annotations"

    def get_object(self, request, *args, **kwargs):
        return request  # items() makes the authors' addresses absolute with it

    def items(self, request):
        annotations = list(
            public_annotations()
            .select_related("author", "document")
            .defer("document__text")
            .order_by("-created", "-pk")[:FEED_SIZE]
        )
        for annotation in annotations:
            url = annotation.author_url
            annotation.author_link = request.build_absolute_uri(url) if url else ""
        return annotations

    def item_title(self, annotation):
        kind = "Reply" if annotation.is_reply else "Note"
        return f"{kind} by {annotation.author.get_username()} on {annotation.document.title}"

    def item_description(self, annotation):
        """The sanitised HTML rendered on write (``sanitise.render_markdown``); the quote first."""
        quote = f"<blockquote>{escape(annotation.exact)}</blockquote>" if annotation.exact else ""
        return quote + annotation.comment_html

    def item_author_name(self, annotation):
        return annotation.author.get_username()

    def item_author_link(self, annotation):
        """The author's page (docs/reading-and-annotating.md, "Readers' pages"), as Atom's ``uri``."""
        return annotation.author_link or None

    def item_pubdate(self, annotation):
        return annotation.created

    def item_updateddate(self, annotation):
        return annotation.modified


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return public_documents().order_by("pk")

    def lastmod(self, document):
        return document.modified

    def location(self, document):
        return reverse("document-detail", args=[document.slug])


class CollectionSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return (
            Collection.objects.filter(documents__in=public_documents().values("pk"))
            .distinct()
            .order_by("pk")
            .only("slug", "modified")
        )

    def lastmod(self, collection):
        return collection.modified

    def location(self, collection):
        return reverse("collection-detail", args=[collection.slug])


class TagSitemap(Sitemap):
    """The tags whose pages are not 404 for anyone (``archive.views.pages.tag_detail``)."""

    changefreq = "weekly"
    limit = 10_000

    def items(self):
        tags = VisibleTag.objects.carried_by(public_documents(), public_annotations())
        return tags.exclude(slug="").order_by("pk").only("slug")

    def location(self, tag):
        return reverse("tag-detail", args=[tag.slug])


SITEMAPS = {"documents": DocumentSitemap, "collections": CollectionSitemap, "tags": TagSitemap}
