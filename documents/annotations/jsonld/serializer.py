"""The one JSON-LD serializer: annotations, collections and pages as W3C Web Annotations.

Everything the API, the exports and the feeds say about an annotation in
JSON-LD is produced by ``annotation_to_jsonld`` (and the container helpers
built on it), following the Web Annotation Data Model and Protocol as
docs/api.md, "Endpoints", narrows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from documents.annotations.jsonld.vocabulary import (
    ANNO_CONTEXT,
    COMMENT_FORMAT,
    LDP_CONTEXT,
    POSITION_SELECTOR,
    QUOTE_SELECTOR,
    TAGGING,
    TEXTUAL_BODY,
    Preference,
    account_iri,
    annotation_context,
    annotation_iri,
    archive_terms,
    site_url,
)
from documents.annotations.models import Annotation
from documents.annotations.tags import name_order


def annotation_to_jsonld(annotation: Annotation, *, base_url: str) -> dict[str, Any]:
    """One annotation as a complete JSON-LD document.

    Reads ``author``, ``document``, ``group`` and ``tags``: load a list with
    ``Annotation.objects.with_related()`` so that costs no query per annotation.
    """
    return {"@context": annotation_context(), **_describe(annotation, base_url)}


def _describe(annotation: Annotation, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": annotation_iri(annotation.pk, base_url=base_url),
        "type": "Annotation",
        "motivation": str(annotation.motivation),
        "created": _timestamp(annotation.created),
        "modified": _timestamp(annotation.modified),
        "creator": _person(annotation.author, base_url),
        "generator": {"id": site_url(base_url, "/"), "type": "Software", "name": settings.ARCHIVE_NAME},
        "visibility": str(annotation.visibility),
    }
    if annotation.imported_copy:
        # Someone else's words: the W3C creator is who wrote them; the importer only holds the copy.
        original = {"id": annotation.creator_iri, "type": "Person", "nickname": annotation.creator_name}
        if annotation.creator_iri or annotation.creator_name:
            data["creator"] = {key: value for key, value in original.items() if value}
        else:
            del data["creator"]
        data["importedBy"] = _person(annotation.author, base_url)
    if annotation.group_id is not None:
        data["group"] = base_url.rstrip("/") + annotation.group.get_absolute_url()
    if body := _bodies(annotation):
        data["body"] = body
    data["target"] = _target(annotation, base_url)
    if annotation.hidden:
        data["hidden"] = True
        data["hiddenReason"] = annotation.hidden_reason
    if annotation.via:
        data["via"] = annotation.via
    if annotation.canonical:
        data["canonical"] = annotation.canonical
    return data


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _person(user, base_url: str) -> dict[str, str]:
    username = user.get_username()
    return {"id": account_iri(username, base_url=base_url), "type": "Person", "nickname": username}


def _bodies(annotation: Annotation) -> list[dict[str, str]]:
    bodies = []
    if annotation.comment:
        bodies.append(
            {
                "type": TEXTUAL_BODY,
                "value": annotation.comment,
                "purpose": "commenting",
                "format": COMMENT_FORMAT,
            }
        )
    names = sorted((tag.name for tag in annotation.tags.all()), key=name_order)
    bodies.extend({"type": TEXTUAL_BODY, "value": name, "purpose": TAGGING} for name in names)
    return bodies


def _target(annotation: Annotation, base_url: str) -> str | dict[str, Any]:
    if annotation.parent_id is not None:
        return annotation_iri(annotation.parent_id, base_url=base_url)
    selectors: list[dict[str, Any]] = []
    if annotation.exact:
        selectors.append(
            {
                "type": QUOTE_SELECTOR,
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            }
        )
    if annotation.start is not None and annotation.end is not None:
        selectors.append({"type": POSITION_SELECTOR, "start": annotation.start, "end": annotation.end})
    target: dict[str, Any] = {"source": base_url.rstrip("/") + annotation.document.get_absolute_url()}
    if selectors:
        target["selector"] = selectors
    if state := _target_state(annotation, base_url):
        target["state"] = state
    return target


def _target_state(annotation: Annotation, base_url: str) -> dict[str, Any] | None:
    """For a quote an edit changed or removed: the W3C TimeState naming the revision it was made on.

    Its ``cached`` is that revision's page, where the quoted words can still be
    read (docs/curators.md, "Revisions"); None for an annotation whose words are unchanged.
    """
    if annotation.anchor not in (Annotation.Anchor.CHANGED, Annotation.Anchor.ORPHANED):
        return None
    url = reverse("document-revision", args=[annotation.document.slug, annotation.revision_quoted])
    return {"type": "TimeState", "cached": base_url.rstrip("/") + url}


def collection_to_jsonld(
    *,
    container_url: str,
    label: str,
    total: int,
    page_url: Callable[[int], str],
    last_page: int,
    first_items: Sequence[Annotation],
    preference: Preference | str = Preference.DESCRIPTIONS,
    base_url: str,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """An AnnotationCollection (an LDP BasicContainer) with ``total`` annotations.

    Pages are numbered from 0 and ``page_url(n)`` gives page n's IRI. Unless the
    preference is MINIMAL, the first page is embedded with ``first_items``
    (IRIs or full descriptions); an empty collection has no first or last page.
    """
    preference = Preference(preference)
    data: dict[str, Any] = {
        "@context": [ANNO_CONTEXT, archive_terms(), LDP_CONTEXT],
        "id": container_url,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": label,
        "total": total,
    }
    if modified is not None:
        data["modified"] = _timestamp(modified)
    if total:
        if preference is Preference.MINIMAL:
            data["first"] = page_url(0)
        else:
            data["first"] = _page(
                items=first_items,
                number=0,
                last_page=last_page,
                start_index=0,
                page_url=page_url,
                preference=preference,
                base_url=base_url,
            )
        data["last"] = page_url(last_page)
    return data


def page_to_jsonld(
    *,
    container_url: str,
    label: str,
    total: int,
    page_url: Callable[[int], str],
    number: int,
    last_page: int,
    start_index: int,
    items: Sequence[Annotation],
    preference: Preference | str = Preference.DESCRIPTIONS,
    base_url: str,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """Page ``number`` (from 0) of a collection, holding the already sliced ``items``.

    Items are IRIs when the preference is IRIS, full descriptions otherwise
    (MINIMAL concerns the container only).
    """
    part_of: dict[str, Any] = {"id": container_url, "label": label, "total": total}
    if modified is not None:
        part_of["modified"] = _timestamp(modified)
    page = _page(
        items=items,
        number=number,
        last_page=last_page,
        start_index=start_index,
        page_url=page_url,
        preference=Preference(preference),
        base_url=base_url,
    )
    return {
        "@context": annotation_context(),
        "id": page.pop("id"),
        "type": page.pop("type"),
        "partOf": part_of,
        **page,
    }


def _page(
    *,
    items: Sequence[Annotation],
    number: int,
    last_page: int,
    start_index: int,
    page_url: Callable[[int], str],
    preference: Preference,
    base_url: str,
) -> dict[str, Any]:
    page: dict[str, Any] = {"id": page_url(number), "type": "AnnotationPage", "startIndex": start_index}
    if number > 0:
        page["prev"] = page_url(number - 1)
    if number < last_page:
        page["next"] = page_url(number + 1)
    if preference is Preference.IRIS:
        page["items"] = [annotation_iri(item.pk, base_url=base_url) for item in items]
    else:
        page["items"] = [_describe(item, base_url) for item in items]
    return page
