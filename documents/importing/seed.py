"""Loading the seed fixtures.

``load_seed`` loads the JSON fixtures in ``settings.FIXTURE_DIRS`` for
``make run``. Unlike ``loaddata`` it never overwrites: an object whose natural
key already exists is the curators' now and is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError

from documents.annotations import text_changes
from documents.annotations.models import Annotation
from documents.annotations.writes import Write, writing
from documents.archive.models import Document, TaggedDocument
from documents.importing.report import Action, ImportReport, Outcome, Subject


class SeedProblem(ValueError):
    """A fixture cannot be loaded; nothing from this run was written."""


# Rows that belong to another object: created together with it, never added to one a curator owns.
_OWNED_BY = {TaggedDocument: "content_object"}


def load_seed(*, directories: Iterable[Path]) -> ImportReport:
    """Create the fixtures' objects that do not exist yet, in one transaction.

    Objects are matched by natural key (slug, tag name), so fixtures carry no
    primary keys. An existing object is never touched, and neither are the tags
    of a document that already existed: that is how a curator's edits survive
    ``make run``. New objects get a full ``save()`` (not loaddata's raw save);
    documents go through ``text_changes.save_document``, so each records its text as
    revision 1 and a published one is stamped with its publication time. Notes are written
    through ``writes.writing``, telling nobody, so they are indexed and counted on their panels
    like any other.

    Precondition: within a file, an object comes after the objects it refers to,
    as ``dumpdata --natural-primary --natural-foreign`` writes them.
    """
    report = ImportReport(Subject.SEED)
    created: set[tuple[type, object]] = set()
    with writing(notify=False) as write:
        for directory in directories:
            for path in sorted(Path(directory).glob("*.json")):
                report.sources.append(path)
                _load_fixture(path, report=report, created=created, write=write)
    return report


def _load_fixture(
    path: Path, *, report: ImportReport, created: set[tuple[type, object]], write: Write
) -> None:
    try:
        with path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream, handle_forward_references=False):
                instance = item.object
                if instance.pk is not None or _owner_kept(instance, created):
                    report.add(Outcome(Action.UNCHANGED, _label(instance)))
                    continue
                try:
                    instance.full_clean()
                except ValidationError as error:
                    raise SeedProblem(f"{path}: {_label(instance)}: {_flatten(error)}") from error
                if isinstance(instance, Document):
                    text_changes.save_document(instance, summary="Loaded from the seed fixtures.")
                else:
                    if isinstance(instance, Annotation):
                        write.hold_document(instance.document_id)
                    instance.save()
                for name, values in (item.m2m_data or {}).items():
                    getattr(instance, name).set(values)
                if isinstance(instance, Annotation):
                    write.created(instance)  # docs/search.md, "How search works": searchable at once
                created.add((type(instance), instance.pk))
                report.add(Outcome(Action.CREATED, _label(instance), stored=instance))
    except (DeserializationError, ObjectDoesNotExist, UnicodeDecodeError, OSError) as error:
        raise SeedProblem(f"{path}: {error}") from error


def _label(instance) -> str:
    return f"{instance._meta.label} “{instance}”"


def _owner_kept(instance, created: set[tuple[type, object]]) -> bool:
    owner_field = _OWNED_BY.get(type(instance))
    if owner_field is None:
        return False
    owner = getattr(instance, owner_field)
    return (type(owner), owner.pk) not in created


def _flatten(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)
