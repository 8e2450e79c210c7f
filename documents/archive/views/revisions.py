"""The public history of a document's text: its revisions, each as it read, and word-level diffs.

Documents are read through ``Document.objects.visible_to``, so a draft's history
exists for curators alone. Texts are shown as text, passage by passage; nothing
here is annotatable, so a revision never looks like the current reading view.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from documents.annotations import panel, services, text_changes, writes
from documents.annotations import rules as annotation_rules
from documents.annotations.models import Annotation
from documents.archive import diffs
from documents.archive import text as text_module
from documents.archive.models import Document, DocumentRevision


def _document(request, slug: str) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), slug=slug)


@require_safe
def revision_list(request, slug):
    """Every revision of the text, newest first: number, date, change summary."""
    document = _document(request, slug)
    revisions = document.revisions.only("number", "created", "summary", "document_id")
    return render(request, "documents/revision_list.html", {"document": document, "revisions": revisions})


@require_safe
def revision_detail(request, slug, number):
    """The text at revision ``number``, read-only; with ``?from=M``, the changes from revision M to it.

    An unknown revision, or a ``from`` that names none of this document's
    revisions, answers 404 with the reason.
    """
    document = _document(request, slug)
    revision = get_object_or_404(DocumentRevision, document=document, number=number)
    compared = None
    changes = None
    raw = request.GET.get("from")
    if raw is not None:
        compared = _revision_named(document, raw)
        changes = diffs.condensed(diffs.word_diff(compared.canonical_text, revision.canonical_text))
    previous = document.revisions.filter(number__lt=number).only("number").first()
    return render(
        request,
        "documents/revision_detail.html",
        {
            "document": document,
            "revision": revision,
            "passages": text_module.parse(revision.text),
            "is_current": revision.number == document.revision,
            "previous": previous,
            "compared": compared,
            "changes": changes,
            "has_changes": changes is not None and diffs.has_changes(changes),
        },
    )


def _revision_named(document: Document, raw: str) -> DocumentRevision:
    try:
        return document.revisions.get(number=int(raw))
    except (ValueError, DocumentRevision.DoesNotExist):
        raise Http404(f"This document has no revision “{raw[:20]}” to compare with.") from None


@login_required
@require_POST
def annotation_quote(request, pk):
    """The author's answer to an edit of their quote: accept the new wording (``accept``), or
    re-attach the note to other words of the current text (``exact``).

    Anyone but the author gets 404. Words that do not occur once in the text
    are refused with the reason, and the note stays as it was.
    """
    mine = Annotation.objects.visible_to(request.user).filter(author=request.user, parent__isnull=True)
    annotation = get_object_or_404(mine.select_related("document"), pk=pk)
    exact = request.POST.get("exact", "").strip()
    try:
        if exact:
            services.update_annotation(annotation, target=writes.Target(exact=exact))
            messages.success(request, "Your note is attached to the words you gave.")
        elif request.POST.get("accept") == "1":
            text_changes.accept_changed_quote(annotation, by=request.user)
            messages.success(request, "Your note now quotes the text as it reads.")
        else:
            raise annotation_rules.AnnotationError(
                "Accept the new wording, or give the words to attach the note to."
            )
    except annotation_rules.AnnotationError as error:
        return render(
            request,
            "documents/annotation_quote.html",
            {"annotation": annotation, "error": error.message},
            status=400,
        )
    except Annotation.DoesNotExist:
        raise Http404("This note's quote is not marked as changed.") from None
    # Where the entry is now: re-attaching may have moved it to another page of the panel.
    return redirect(panel.entry_url(annotation, user=request.user))
