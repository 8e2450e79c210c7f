"""A curator's screens for a document's text: its history with the diff between any two revisions,
reverting to one, and the preview of passages beside the editor (docs/curators.md, "Revisions").

Staff views (``documents.staff``) at the admin's addresses, which ``DocumentAdmin`` routes here; their
templates extend the admin's base, so they read as part of it.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext

from documents.annotations import text_changes
from documents.archive import diffs
from documents.archive import text as text_module
from documents.archive.models import Document
from documents.staff import admin_frame, log_change, staff_screen

MAX_PREVIEW_CHARACTERS = 2_000_000


@staff_screen("documents.view_document", "documents.change_document")
def history(request, object_id):
    """Every revision of the text, and the word-level diff between any two (``?a=M&b=N``)."""
    document = _document_or_404(object_id)
    revisions = list(document.revisions.select_related("author"))
    numbers = {revision.number: revision for revision in revisions}
    newer = numbers.get(_number(request.GET.get("b")), revisions[0] if revisions else None)
    older = numbers.get(_number(request.GET.get("a")))
    if older is None and newer is not None:
        older = next((r for r in revisions if r.number < newer.number), newer)
    changes = None
    if older is not None and newer is not None:
        changes = diffs.condensed(diffs.word_diff(older.canonical_text, newer.canonical_text))
    context = admin_frame(
        request,
        Document,
        title=f"History of the text: {document}",
        document=document,
        revisions=revisions,
        older=older,
        newer=newer,
        changes=changes,
        has_changes=changes is not None and diffs.has_changes(changes),
        can_revert=request.user.has_perm("documents.change_document"),
    )
    return TemplateResponse(request, "admin/documents/document/revisions.html", context)


@staff_screen("documents.change_document")
def revert(request, object_id, number):
    """Asks, then makes revision ``number``'s text the current one as a new revision, and reports.

    A revert asked for on a revision older than the stored one is refused, as a
    stale edit is (``text_changes.lock_for_edit``).
    """
    document = _document_or_404(object_id)
    target = document.revisions.filter(number=number).first()
    if target is None:
        raise Http404("This document has no such revision.")
    history_url = reverse("admin:documents_document_revisions", args=[document.pk])
    if request.method == "POST":
        try:
            report = text_changes.revert_document(
                document,
                to=number,
                by=request.user,
                base_revision=_number(request.POST.get("base_revision")),
            )
        except text_changes.StaleRevision as stale:
            messages.error(request, stale.message)
            return HttpResponseRedirect(history_url)
        document.refresh_from_db()
        log_change(request, document, f"Reverted the text to revision {number}.")
        if report is None:
            messages.info(request, f"The text already reads as revision {number}; nothing changed.")
        else:
            report_reanchoring(request, document, report)
        return HttpResponseRedirect(history_url)
    changes = diffs.condensed(diffs.word_diff(document.canonical_text, target.canonical_text))
    context = admin_frame(
        request,
        Document,
        title=f"Revert to revision {number}?",
        document=document,
        target=target,
        changes=changes,
        has_changes=diffs.has_changes(changes),
    )
    return TemplateResponse(request, "admin/documents/document/revert.html", context)


@staff_screen("documents.add_document", "documents.change_document")
def passages_preview(request):
    """The passages a text would make, as JSON, for the preview beside the editor as the curator types
    (``archive.admin.TextWithPassages``).

    POST ``text``; answers ``{"passages": [{"n", "kind", "text"}]}``, or 400 with
    ``{"error": ...}`` naming the line at fault, by the same rules as saving
    (``text.parse``).
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    markup = request.POST.get("text", "")
    if len(markup) > MAX_PREVIEW_CHARACTERS:
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    try:
        passages = text_module.parse(markup)
    except text_module.MarkupError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"passages": [{"n": p.n, "kind": p.kind, "text": p.text} for p in passages]})


def report_reanchoring(request, document: Document, report: text_changes.ReanchorReport) -> None:
    """The one message for a new text, saved or reverted: the outcome of each annotation
    (docs/curators.md, "Revisions"), each count agreeing with its verb."""
    outcomes = "; ".join(
        [
            ngettext("%d moved with its quote", "%d moved with their quotes", report.moved) % report.moved,
            ngettext(
                "%d follows changed words and shows its author both wordings",
                "%d follow changed words and show their authors both wordings",
                report.changed,
            )
            % report.changed,
            ngettext(
                "%d could not be found again and is listed as orphaned",
                "%d could not be found again and are listed as orphaned",
                report.orphaned,
            )
            % report.orphaned,
        ]
    )
    messages.add_message(
        request,
        messages.WARNING if report.orphaned or report.changed else messages.INFO,
        f"Revision {document.revision} saved; {report.summary()}. {outcomes}.",
    )


def _document_or_404(object_id) -> Document:
    try:
        return Document.objects.get(pk=int(object_id))
    except (ValueError, Document.DoesNotExist):
        raise Http404("No such document.") from None


def _number(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
