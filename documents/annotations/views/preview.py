"""The comment editor's Markdown preview: the server's own sanitiser renders it.

So the preview shows exactly what saving will store (docs/reading-and-annotating.md, "How to annotate"), with
no
second Markdown renderer in the browser to disagree with it. Only a reader who may
annotate asks for previews; the comment's limit is the one saving applies.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from documents.annotations import rules as annotation_rules
from documents.annotations.sanitise import render_markdown


@require_POST
def comment_preview(request):
    if not request.user.is_authenticated:
        return HttpResponse(
            "Log in to preview a comment.", status=403, content_type="text/plain; charset=utf-8"
        )
    comment = request.POST.get("comment", "")
    try:
        annotation_rules.check_comment(comment)
    except annotation_rules.AnnotationError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_markdown(comment), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
