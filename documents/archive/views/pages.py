"""The public pages: home, document lists, the reading view, collections, tags and Recent notes.

Every page reads documents through ``Document.objects.visible_to(request.user)``,
so a draft exists for curators alone and answers 404 to everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from documents import conditional, freshness, paging
from documents.annotations.models import Annotation, TaggedAnnotation, VisibleTag, tagged_count
from documents.annotations.panel import can_annotate
from documents.annotations.tags import by_name
from documents.annotations.views import reading_cache
from documents.archive import text as text_module
from documents.archive.citations import embedded, reference_managers, styles
from documents.archive.forms import DocumentFilterForm
from documents.archive.models import Collection, Document, TaggedDocument

PAGE_SIZE = 20
RECENT_ON_HOME = 10


def public_annotations(user) -> QuerySet[Annotation]:
    """The public annotations ``user`` may read: what tag pages list and count.

    Private annotations stay on their author's reading view and profile.
    """
    return Annotation.objects.visible_to(user).filter(visibility=Annotation.Visibility.PUBLIC)


def tags_with_counts(documents: QuerySet[Document], annotations: QuerySet[Annotation]) -> QuerySet[Tag]:
    """Tags carried by one of ``documents`` or ``annotations``, with ``document_count`` and
    ``annotation_count``, by name; as in the list page's tag filter, tags without a slug are left out."""
    return (
        VisibleTag.objects.carried_by(documents, annotations)
        .exclude(slug="")
        .annotate(
            document_count=tagged_count(TaggedDocument, documents),
            annotation_count=tagged_count(TaggedAnnotation, annotations),
        )
        .order_by(Lower("name"), "pk")
    )


def collections_with_counts(documents: QuerySet[Document]) -> QuerySet[Collection]:
    """Every collection, with ``document_count`` counting only ``documents``."""
    return Collection.objects.annotate(
        document_count=Count("documents", filter=Q(documents__in=documents.values("pk")), distinct=True)
    )


@dataclass(frozen=True)
class Block:
    """One element of the reading view's body: a single passage, or a run of list items."""

    kind: str
    passages: list[text_module.Passage]

    @property
    def passage(self) -> text_module.Passage:
        return self.passages[0]


def passage_blocks(passages: list[text_module.Passage]) -> list[Block]:
    """Group consecutive list items so they render as the ``li`` elements of one ``ul``."""
    blocks = []
    for is_item, run in groupby(passages, key=lambda passage: passage.kind == text_module.ITEM):
        if is_item:
            blocks.append(Block(text_module.ITEM, list(run)))
        else:
            blocks.extend(Block(passage.kind, [passage]) for passage in run)
    return blocks


def _page(request, queryset: QuerySet) -> Page:
    """The requested page; a page number that is not a number gives the first, one past the end the last."""
    return Paginator(queryset, PAGE_SIZE).get_page(paging.whole_number(request.GET.get("page")))


def _listing(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What a list of documents shows, without the (possibly long) text."""
    return documents.defer("text")


def _without(request, *names: str) -> str:
    """The current address with ``names`` and the page number removed from its query string."""
    query = request.GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@require_safe
def home(request):
    """Collections and the latest publications; drafts stay off the front page, even for curators."""
    visible = Document.objects.visible_to(request.user)
    recent = _listing(visible.published()).order_by(F("published_at").desc(nulls_last=True), "pk")
    return render(
        request,
        "documents/home.html",
        {"collections": collections_with_counts(visible), "recent": recent[:RECENT_ON_HOME]},
    )


@require_safe
def document_list(request):
    visible = Document.objects.visible_to(request.user)
    form = DocumentFilterForm(request.GET, documents=visible)
    form.is_valid()
    active = form.active()
    filters = [
        {
            "label": form.fields[name].label or name.title(),
            "value": value,
            "remove_url": _without(request, name),
        }
        for name, value in active.items()
    ]
    page = _page(request, _listing(form.apply(visible)))
    title = "Documents"
    if filters:
        title += ": " + "; ".join(f"{f['label']} {f['value']}" for f in filters)
    if page.paginator.num_pages > 1:
        title += f" (page {page.number} of {page.paginator.num_pages})"
    return render(
        request,
        "documents/document_list.html",
        {
            "form": form,
            "filters": filters,
            "clear_url": _without(request, *DocumentFilterForm.FILTERS),
            "page": page,
            "page_title": title,
        },
    )


@require_safe
def document_detail(request, slug):
    """The reading view, with its Annotations panel.

    Its queries do not grow with the text, the tags, the collections or the
    annotations, and its two costly parts (the passages and the panel) come
    from the cache when unchanged (``reading_cache``). An unchanged page
    answers ``If-None-Match`` with 304 before anything is rendered.
    """
    # One query (prepared by PostgreSQL): the document without its text (read only to render the passages) and
    # what the validator names of its tags and collections.
    document = freshness.visible_document(request.user, slug, labels=True)
    if document is None:
        raise Http404("No document at this address.")
    validator = reading_cache.etag(request, document)
    if validator is not None:
        validator = f'"{validator}"'
        if (answer := conditional.precondition_answer(request, validator)) is not None:
            return answer
        if (kept := reading_cache.anonymous_page(validator, request)) is not None:
            return kept
    tags, collections = document.labels()
    url = request.build_absolute_uri(document.get_absolute_url())
    archive = settings.ARCHIVE_NAME
    accessed = timezone.localdate()
    cite = {"url": url, "accessed": accessed, "archive": archive}
    json_ld = embedded.schema_org(
        document,
        url=url,
        archive=archive,
        archive_url=request.build_absolute_uri(reverse("home")),
        keywords=[tag.name for tag in tags],
        collections=[(c.title, request.build_absolute_uri(c.get_absolute_url())) for c in collections],
    )
    response = render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "url": url,
            "blocks": lambda: passage_blocks(document.passages),
            "passages_key": reading_cache.passages_key(document),
            "tags": tags,
            "collections": collections,
            "citations": styles.citations(reference_managers.csl_json(document, **cite)[0]),
            "bibtex": reference_managers.bibtex(document, **cite),
            "citation_meta": embedded.citation_meta(document, url=url),
            "coins": embedded.coins(document, url=url),
            "json_ld": json_ld,
            "panel": reading_cache.panel(request, document),
            "can_annotate": can_annotate(request.user, document),
            # The Visibility select's "Group: <name>" options: the rows the page's key was made from.
            "reader_groups": freshness.reader_groups(request.user),
            "annotation_service": request.build_absolute_uri(
                reverse("api-document-annotations", args=[document.slug])
            ),
        },
    )
    if validator is not None:
        response["ETag"] = validator
        reading_cache.keep_anonymous_page(validator, request, response.content)
    return response


@require_safe
def collection_list(request):
    visible = Document.objects.visible_to(request.user)
    return render(
        request, "documents/collection_list.html", {"collections": collections_with_counts(visible)}
    )


@require_safe
def collection_detail(request, slug):
    collection = get_object_or_404(Collection, slug=slug)
    documents = Document.objects.visible_to(request.user).filter(collections=collection)
    page = _page(request, _listing(documents).sorted_by())
    return render(request, "documents/collection_detail.html", {"collection": collection, "page": page})


@require_safe
def tag_list(request):
    tags = tags_with_counts(Document.objects.visible_to(request.user), public_annotations(request.user))
    return render(request, "documents/tag_list.html", {"tags": tags})


@require_safe
def annotation_list(request):
    """Recent notes: the public annotations the reader may read, newest first, paginated; the
    page the annotations feed links to (docs/search.md, "Feeds and sitemap")."""
    page = Paginator(public_annotations(request.user).listed(), PAGE_SIZE).get_page(
        paging.whole_number(request.GET.get("page"))
    )
    for annotation in page:
        annotation.tag_list = by_name(annotation.tags.all())
    return render(request, "documents/annotation_list.html", {"page": page})


@require_safe
def tag_detail(request, slug):
    """The documents and the public annotations carrying a tag, each list paginated.

    A tag that nothing the reader may see carries answers 404, as a draft does,
    so a tag used only on drafts or private annotations does not leak. The
    annotations are in the context as ``annotations``, a page of them (newest
    first) chosen by ``?annotations_page=``.
    """
    visible = Document.objects.visible_to(request.user)
    tag = get_object_or_404(
        VisibleTag.objects.carried_by(visible, public_annotations(request.user)), slug=slug
    )
    documents = visible.filter(tags=tag)
    page = _page(request, _listing(documents).sorted_by())
    annotations = (
        public_annotations(request.user)
        .filter(tags=tag)
        .select_related("author", "document", "parent__author", "root")
        .defer("document__text")
        .order_by("-created", "pk")
    )
    annotation_page = Paginator(annotations, PAGE_SIZE).get_page(
        paging.whole_number(request.GET.get("annotations_page"))
    )
    return render(
        request, "documents/tag_detail.html", {"tag": tag, "page": page, "annotations": annotation_page}
    )
