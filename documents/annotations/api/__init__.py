"""The W3C Web Annotation Protocol: annotation containers and annotation resources.

One write path for the annotator in the reading view and for scripts. Views
validate (the JSON-LD parser), call a service, and present (the JSON-LD
serializer); who may see what is ``Annotation.objects.visible_to``.

- ``base``: what every view shares (renderers, parsers, headers, entity tags, kept bodies);
- ``containers``: the containers, read as collections and pages, and POST to them;
- ``creating``: storing what a POST sends, one annotation or an import of many;
- ``resource``: one annotation, read, replaced and deleted.
"""

from documents.annotations.api.containers import AnnotationContainerView, DocumentAnnotationContainerView
from documents.annotations.api.resource import AnnotationResourceView

__all__ = ["AnnotationContainerView", "AnnotationResourceView", "DocumentAnnotationContainerView"]
