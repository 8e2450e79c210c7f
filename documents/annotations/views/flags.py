"""Flag: a logged-in reader reports someone else's public note to the curators.

The annotator posts here (docs/curators.md, "Curators"); the rules are ``moderation.flag_annotation``'s.
A note the reader may not see answers 404, as everywhere; a refused flag answers 400 with
the reason a person can act on.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from documents.annotations import moderation
from documents.annotations import rules as annotation_rules
from documents.annotations.models import Annotation

TEXT = "text/plain; charset=utf-8"


@require_POST
def flag_annotation(request, pk):
    if not request.user.is_authenticated:
        raise Http404("No such annotation.")
    try:
        _, created = moderation.flag_annotation(
            annotation_id=pk, user=request.user, reason=request.POST.get("reason", "")
        )
    except Annotation.DoesNotExist:
        raise Http404("No such annotation.") from None
    except annotation_rules.AnnotationError as error:
        return HttpResponse(str(error), status=400, content_type=TEXT)
    message = "Thank you: a curator will look at this note." if created else "Your flag's reason is updated."
    return HttpResponse(message, status=201 if created else 200, content_type=TEXT)
