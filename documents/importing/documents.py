"""Bringing curators' files into the archive.

``import_documents`` reads Markdown or plain-text files with a YAML front-matter
block, and CSV files, and writes them in one transaction: one bad file and
nothing is imported, so a curator fixes the file and runs the same command
again. Every problem names the file and line.

The files are read by ``documents.importing.document_files``; here each record is checked
against the database (types, statuses, collections, tags, the model's validation) and saved
through ``text_changes.save_document``, which records a revision and re-anchors the notes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from documents.annotations import rules as annotation_rules
from documents.annotations import text_changes
from documents.annotations.tags import tags_named
from documents.archive import text as text_module
from documents.archive.models import Collection, Document
from documents.importing.document_files import (
    CSV_SUFFIXES,
    METADATA_KEYS,
    SCALAR_FIELDS,
    ImportProblem,
    Record,
    expand_paths,
    read_records,
)
from documents.importing.report import Action, ImportReport, Outcome, Subject

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def import_documents(*, paths: Sequence[Path], dry_run: bool = False) -> ImportReport:
    """Read every file first, then validate and write all documents in one transaction.

    A directory stands for the supported files directly inside it. An existing
    slug is updated with the values the file gives; keys a file leaves out keep
    their stored values. Raises ImportProblem, and writes nothing, on the first
    problem found.
    """
    records = [record for path in expand_paths(paths) for record in read_records(path=path)]
    return write_records(records, dry_run=dry_run)


def write_records(records: Sequence[Record], *, dry_run: bool = False) -> ImportReport:
    """Validate and write ``records`` in one transaction, as ``import_documents`` does once it has
    read its files; the TEI import (``documents.importing.tei``) reads its own and writes them here."""
    first_seen: dict[str, Record] = {}
    report = ImportReport(Subject.DOCUMENTS, dry_run=dry_run)
    with transaction.atomic():
        for record in records:
            slug = record.values.get("slug", "")
            if slug in first_seen:
                earlier = first_seen[slug]
                raise ImportProblem(
                    record.path,
                    record.line_of("slug"),
                    f"the slug “{slug}” is already used in this import by {earlier.path}, "
                    f"line {earlier.line_of('slug')}. Each document needs its own slug.",
                )
            first_seen[slug] = record
            report.add(_import_record(record, dry_run=dry_run))
    return report


def _import_record(record: Record, *, dry_run: bool) -> Outcome:
    values = record.values
    document = Document.objects.filter(slug=values["slug"]).first() or Document()
    adding = document._state.adding
    before = {name: getattr(document, name) for name in (*SCALAR_FIELDS, "text")}

    for name in SCALAR_FIELDS:
        if name in values:
            setattr(document, name, _convert(record, name, values[name]))
    if record.text is not None:
        _check_markup(record)
        document.text = record.text
    collections = _collections(record) if "collections" in values else None
    tags = _tags(record) if "tags" in values else None

    try:
        document.full_clean()
    except ValidationError as error:
        raise _validation_problem(record, error) from error

    changed = [name for name, old in before.items() if getattr(document, name) != old]
    if collections is not None and (adding or set(collections) != set(document.collections.all())):
        changed.append("collections")
    if tags is not None and (adding or _casefolded(tags) != _casefolded(document.tags.names())):
        changed.append("tags")

    if not adding and not changed:
        return Outcome(Action.UNCHANGED, document.slug)
    annotations = text_changes.save_document(document, summary="Imported.", dry_run=dry_run)
    if adding:
        outcome = Outcome(Action.CREATED, document.slug)
    else:
        outcome = Outcome(Action.UPDATED, document.slug, tuple(changed), annotations=annotations)
    if not dry_run:
        if collections is not None:
            document.collections.set(collections)
        if tags is not None:
            document.tags.set(tags_named(tags))
    return outcome


def _convert(record: Record, name: str, value: str):
    line = record.line_of(name)
    if name == "date":
        if not value:
            return None
        if not _ISO_DATE.match(value):
            raise ImportProblem(record.path, line, f"the date “{value}” is not written as YYYY-MM-DD.")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ImportProblem(record.path, line, f"the date “{value}” does not exist.") from error
    if name == "type" and value not in Document.Type.values:
        raise ImportProblem(
            record.path, line, f"unknown type “{value}”. Use one of: {', '.join(Document.Type.values)}."
        )
    if name == "status" and value not in Document.Status.values:
        raise ImportProblem(
            record.path, line, f"unknown status “{value}”. Use one of: {', '.join(Document.Status.values)}."
        )
    return value


def _check_markup(record: Record) -> None:
    try:
        text_module.parse(record.text or "")
    except text_module.MarkupError as error:
        if record.path.suffix.lower() in CSV_SUFFIXES:
            raise ImportProblem(
                record.path, record.line, f"in the text cell, its line {error.line}: {error.message}"
            ) from error
        raise ImportProblem(
            record.path, record.text_line + error.line - 1, f"in the text: {error.message}"
        ) from error


def _collections(record: Record) -> list[Collection]:
    slugs = list(dict.fromkeys(record.values["collections"]))
    found = {collection.slug: collection for collection in Collection.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            raise ImportProblem(
                record.path,
                record.line_of("collections"),
                f"there is no collection with the slug “{slug}”; create it in the admin first.",
            )
    return [found[slug] for slug in slugs]


def _tags(record: Record) -> list[str]:
    names: dict[str, str] = {}
    for name in record.values["tags"]:
        try:
            annotation_rules.check_tag_length(name)
        except annotation_rules.AnnotationError as error:
            line = record.line_of("tags")
            raise ImportProblem(record.path, line, _lowercase_first(error.message)) from None
        names.setdefault(name.casefold(), name)
    return list(names.values())


def _lowercase_first(message: str) -> str:
    """A rule's sentence as the clause after "file:line: " that these problems read as."""
    return message[:1].lower() + message[1:]


def _casefolded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def _validation_problem(record: Record, error: ValidationError) -> ImportProblem:
    """The first invalid field, in the order the file gives them, as a sentence a curator can act on."""
    messages = error.message_dict
    order = [*record.lines, *SCALAR_FIELDS, "text"]
    name = min(messages, key=lambda key: order.index(key) if key in order else len(order))
    reason = " ".join(messages[name])
    if name == "text":
        return ImportProblem(record.path, record.text_line, f"in the text: {reason}")
    label = name if name in METADATA_KEYS else "the document"
    return ImportProblem(record.path, record.line_of(name), f"{label}: {reason}")
