"""The files of a bag's ``data/`` (docs/preservation.md, "What the bag holds").

Each kind of record is a JSON Lines file, one record a line, so that writing and reading a large
archive holds one record in memory at a time. ``archive.json`` says which format the files follow
and how many records each holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT = "documents-archive-bag"
VERSION = 1

MANIFEST = "archive.json"
USERS = "users.jsonl"
TAGS = "tags.jsonl"
COLLECTIONS = "collections.jsonl"
DOCUMENTS = "documents.jsonl"
GROUPS = "groups.jsonl"
ANNOTATIONS = "annotations.jsonl"
WITHDRAWN = "withdrawn.jsonl"

# In the order a restore reads them: each names only records of the files before it.
RECORD_FILES = (USERS, TAGS, COLLECTIONS, DOCUMENTS, GROUPS, ANNOTATIONS, WITHDRAWN)

CHECKSUMS = ("sha256", "sha512")


class BagProblem(Exception):
    """A bag that cannot be restored, with a sentence saying why and where."""


def write_lines(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` one JSON object a line; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            file.write("\n")
            count += 1
    return count


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, one at a time; BagProblem names the file and line of a bad one."""
    if not path.is_file():
        raise BagProblem(f"The bag has no data/{path.name}.")
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BagProblem(f"data/{path.name}, line {number}: not JSON ({error}).") from None
            if not isinstance(record, dict):
                raise BagProblem(f"data/{path.name}, line {number}: each line must be a JSON object.")
            yield record


def moment(value: datetime | None) -> str | None:
    """A date-time as the bag writes it: ISO 8601 with its offset and microseconds."""
    return value.isoformat() if value is not None else None


def read_moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
