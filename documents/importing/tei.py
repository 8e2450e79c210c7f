"""Bringing TEI P5 files into the archive (docs/preservation.md, "Importing TEI").

Each file is read by ``documents.archive.tei.reading`` (its header becomes the metadata, its text
the passages), turned into the same ``Record`` a curator's Markdown file makes, and written by
``documents.importing.documents.write_records``: one transaction for all files, the model's
validation, a revision for a changed text, the notes re-anchored. What a file holds that the archive
cannot is reported for each file, by element name and count.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from documents.archive.models import Document
from documents.archive.tei.reading import TeiDocument, TeiProblem, read_tei
from documents.importing.document_files import ImportProblem, Record
from documents.importing.documents import write_records
from documents.importing.report import ImportReport

TEI_SUFFIXES = frozenset({".xml", ".tei"})


@dataclass(frozen=True)
class TeiImport:
    report: ImportReport
    left_out: dict[Path, list[str]]
    """Per file, what the archive could not hold (``TeiDocument.report``); a file that lost nothing is
    absent."""


def import_tei(*, paths: Sequence[Path], dry_run: bool = False) -> TeiImport:
    """Read every file, then write them all in one transaction; ImportProblem, and nothing written,
    on the first problem. A directory stands for its ``.xml`` and ``.tei`` files."""
    records, left_out = [], {}
    for path in _expand(paths):
        try:
            tei = read_tei(path.read_bytes())
        except TeiProblem as problem:
            raise ImportProblem(path, problem.line, problem.message) from None
        record, unused = _record(path, tei)
        records.append(record)
        if lines := [*unused, *tei.report()]:
            left_out[path] = lines
    return TeiImport(write_records(records, dry_run=dry_run), left_out)


def _expand(paths: Sequence[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEI_SUFFIXES)
            if not found:
                raise ImportProblem(path, None, "the directory holds no .xml or .tei files.")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise ImportProblem(path, None, "no such file or directory.")
    return files


def _record(path: Path, tei: TeiDocument) -> tuple[Record, list[str]]:
    """The record to write, and the header's values it could not use."""
    unused = []
    values = dict(tei.values)
    if not values.get("title"):
        raise ImportProblem(path, None, "the header has no title (teiHeader/fileDesc/titleStmt/title).")
    values.setdefault("slug", slugify(path.stem))
    _read_date(path, values, tei.date_text)
    if "type" in values and values["type"] not in Document.Type.values:
        unused.append(
            f"the type “{values.pop('type')}” (keywords/term[@type='type']) is not one of "
            f"{', '.join(Document.Type.values)}; the document's type is left as it was"
        )
    if not tei.passages:
        raise ImportProblem(path, None, "the text has no p, head, quote or item to import.")
    return Record(path=path, line=1, values=values, lines={}, text=tei.markup, text_line=1), unused


def _read_date(path: Path, values: dict, written: str) -> None:
    """A full ``when`` is the date; a partial one (``1850``, ``1850-03``) or none leaves the date as
    written (``date_display``), which is also kept when it says more than the date does."""
    when = values.pop("date", "")
    try:
        date = datetime.date.fromisoformat(when) if len(when) == 10 else None
    except ValueError:
        raise ImportProblem(
            path, None, f"the date “{when}” (sourceDesc/bibl/date/@when) does not exist."
        ) from None
    if date is not None:
        values["date"] = when
    shown = written or (when if date is None else "")
    if shown and (date is None or shown != Document(date=date).date_label):
        values["date_display"] = shown
