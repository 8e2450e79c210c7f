"""Curators' document files read into records, before anything is checked against the database.

Markdown or plain-text files with a YAML front-matter block, and CSV files with a header row.
Every value is kept as the text the file gives (``language: no`` stays Norwegian, ``identifier:
0012`` keeps its zeros) with the line it came from, so every problem names the file and line.
``documents.importing.documents`` validates the records and writes them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from documents.archive.models import Document

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
CSV_SUFFIXES = frozenset({".csv"})

SCALAR_FIELDS = (*Document.METADATA_FIELDS, "status")
LIST_KEYS = ("collections", "tags")
METADATA_KEYS = (*SCALAR_FIELDS, *LIST_KEYS)
CSV_COLUMNS = (*METADATA_KEYS, "text")
REQUIRED_KEYS = ("title", "slug")

_FRONT_MATTER = YAMLHandler()
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_YAML_NULL = f"{_YAML_TAG_PREFIX}null"
_YAML_CORE_TAGS = frozenset(
    f"{_YAML_TAG_PREFIX}{name}" for name in ("str", "null", "bool", "int", "float", "timestamp", "seq", "map")
)
_YAML_WHITESPACE = " \t\n"
_QUOTING_ADVICE = (
    "Put a value in double quotes if it contains “: ” or “ #”, "
    "or starts with one of [ ] { } , & * ! | > ' \" % @ `."
)
_CSV_WHITESPACE = " \t"


class ImportProblem(ValueError):
    """A file cannot be imported; the message names the file, the line and what to fix."""

    def __init__(self, path: Path, line: int | None, message: str):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.message = message


Value = str | tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """One document as read from a file, before any validation against the database.

    ``values`` holds only the metadata keys the file gives, each a string but
    collections and tags, which are tuples of names; ``text`` is None when
    the file has no text for it (a CSV without a text column). ``lines`` maps each
    key to the line it was read from.
    """

    path: Path
    line: int
    values: dict[str, Value]
    lines: dict[str, int]
    text: str | None
    text_line: int

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    supported = TEXT_SUFFIXES | CSV_SUFFIXES
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in supported)
            if not found:
                raise ImportProblem(path, None, f"the directory holds no {_suffix_list()} files.")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ImportProblem(path, None, "no such file or directory.")
    return files


def _suffix_list() -> str:
    return ", ".join(sorted(TEXT_SUFFIXES | CSV_SUFFIXES))


def read_records(*, path: Path) -> list[Record]:
    """Parse one file into records without touching the database."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | CSV_SUFFIXES:
        kind = path.suffix or path.name
        raise ImportProblem(path, None, f"cannot import “{kind}” files; use {_suffix_list()}.")
    content = _decode(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, content)
    return [_read_front_matter_file(path, content)]


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise ImportProblem(
            path, line, f"the file is not valid UTF-8 (byte 0x{byte:02X}); save it as UTF-8 and try again."
        ) from error
    return content.replace("\r\n", "\n").replace("\r", "\n")


def _read_front_matter_file(path: Path, content: str) -> Record:
    """Split off the front matter with python-frontmatter and read it as YAML.

    The front matter is composed into YAML nodes with the safe loader and never
    constructed into Python objects, so no tag can run code. Values are taken from
    the nodes as written (after YAML's quoting, escapes and folding) rather than as
    YAML's implicit types: every field is text, and ``language: no`` must stay
    Norwegian, ``identifier: 0012`` keep its zeros. Line numbers are the file's.
    """
    opening = _FRONT_MATTER.FM_BOUNDARY.match(content)
    if opening is None:
        raise ImportProblem(
            path,
            1,
            "a document file starts with a front-matter block: a line “---”, "
            "then “key: value” lines of YAML, then a closing “---”.",
        )
    try:
        front_matter, body = _FRONT_MATTER.split(content)
    except ValueError as error:
        raise ImportProblem(
            path, 1, "the front matter opened here is never closed with a line “---”."
        ) from error
    first_line = content.count("\n", 0, opening.end()) + 1
    values, key_lines = _read_yaml(path, front_matter, first_line=first_line)
    _require(path, values, line=1)
    body_start = len(content) - len(body) + _leading_newlines(body)
    return Record(
        path=path,
        line=1,
        values=values,
        lines=key_lines,
        text=body.strip("\n"),
        text_line=content.count("\n", 0, body_start) + 1,
    )


def _read_yaml(path: Path, source: str, *, first_line: int) -> tuple[dict[str, Value], dict[str, int]]:
    def line_of(node: yaml.Node) -> int:
        return first_line + node.start_mark.line

    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:
        line = first_line + source.count("\n", 0, error.position)
        raise ImportProblem(
            path,
            line,
            f"the front matter contains the control character U+{error.character:04X}, "
            "which cannot be displayed.",
        ) from error
    except yaml.MarkedYAMLError as error:
        raise _yaml_problem(path, source, error, first_line=first_line) from error
    if root is None:
        return {}, {}
    if not isinstance(root, yaml.MappingNode):
        raise ImportProblem(path, line_of(root), f"{_not_key_value(source, root.start_mark.line)}.")

    values: dict[str, Value] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = line_of(key_node)
        if not isinstance(key_node, yaml.ScalarNode):
            raise ImportProblem(path, line, f"{_not_key_value(source, key_node.start_mark.line)}.")
        key = key_node.value
        if key not in METADATA_KEYS:
            raise ImportProblem(path, line, _unknown(key, METADATA_KEYS))
        if key in values:
            raise ImportProblem(path, line, f"“{key}” is given twice (first on line {key_lines[key]}).")
        try:
            values[key] = _list_value(value_node) if key in LIST_KEYS else _text_value(value_node)
        except _NodeProblem as problem:
            where = line if problem.node is value_node else line_of(problem.node)
            raise ImportProblem(path, where, f"{key}: {problem}") from problem
        key_lines[key] = line
    return values, key_lines


class _NodeProblem(ValueError):
    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.node = node


def _text_value(node: yaml.Node) -> str:
    _check_tag(node)
    if isinstance(node, yaml.SequenceNode):
        raise _NodeProblem(node, "give one value, not a list.")
    if isinstance(node, yaml.MappingNode):
        raise _NodeProblem(node, "give one value, not a key: value mapping; quote it if it contains “: ”.")
    if node.tag == _YAML_NULL:
        return ""
    return node.value.strip(_YAML_WHITESPACE)


def _list_value(node: yaml.Node) -> tuple[str, ...]:
    """A YAML list of names, or one string of comma-separated names as in a CSV cell."""
    _check_tag(node)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise _NodeProblem(item, "each item is one name, not a list or a mapping.")
            if name := " ".join(_text_value(item).split()):
                items.append(name)
        return tuple(items)
    return _split_list(_text_value(node))


def _check_tag(node: yaml.Node) -> None:
    if node.tag not in _YAML_CORE_TAGS:
        tag = node.tag.replace(_YAML_TAG_PREFIX, "!!", 1)
        raise _NodeProblem(node, f"the YAML tag “{tag}” is not accepted; write the value without it.")


def _yaml_problem(path: Path, source: str, error: yaml.MarkedYAMLError, *, first_line: int) -> ImportProblem:
    """The line a curator must fix: where an unclosed quote, list or key began, else where YAML stopped."""
    context = error.context or ""
    mark = error.context_mark if error.context_mark and "block" not in context else error.problem_mark
    line = mark.line if mark else 0
    reason = f"{error.problem} {context}".strip()
    return ImportProblem(
        path, first_line + line, f"{_not_key_value(source, line)} (YAML: {reason}). {_QUOTING_ADVICE}"
    )


def _not_key_value(source: str, line: int) -> str:
    found = source.split("\n")[line].strip(_YAML_WHITESPACE)
    return f"expected “key: value” or the closing “---”, found “{found}”"


def _leading_newlines(body: str) -> int:
    return len(body) - len(body.lstrip("\n"))


def _unknown(name: str, known: Iterable[str], *, noun: str = "key") -> str:
    return f"unknown {noun} “{name}”. Known {noun}s: {', '.join(known)}."


def _require(path: Path, values: dict[str, str], *, line: int) -> None:
    for key in REQUIRED_KEYS:
        if not values.get(key):
            raise ImportProblem(path, line, f"every document needs a {key}; this one has none.")


def _read_csv(path: Path, content: str) -> list[Record]:
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportProblem(path, 1, "the file is empty; a CSV file needs a header row.")
        columns = [name.strip() for name in header]
        seen: set[str] = set()
        for name in columns:
            if not name:
                raise ImportProblem(path, 1, "the header has a column without a name.")
            if name not in CSV_COLUMNS:
                raise ImportProblem(path, 1, _unknown(name, CSV_COLUMNS, noun="column"))
            if name in seen:
                raise ImportProblem(path, 1, f"the column “{name}” appears twice in the header.")
            seen.add(name)
        for required in REQUIRED_KEYS:
            if required not in seen:
                raise ImportProblem(
                    path, 1, f"the header has no “{required}” column; every document needs one."
                )

        records = []
        end_of_previous = reader.line_num
        for row in reader:
            line = end_of_previous + 1
            end_of_previous = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise ImportProblem(
                    path, line, f"this row has {len(row)} cells but the header has {len(columns)} columns."
                )
            cells = dict(zip(columns, row, strict=True))
            text = cells.pop("text", None)
            values: dict[str, Value] = {
                key: _split_list(value) if key in LIST_KEYS else value.strip(_CSV_WHITESPACE)
                for key, value in cells.items()
            }
            _require(path, values, line=line)
            records.append(Record(path=path, line=line, values=values, lines={}, text=text, text_line=line))
    except csv.Error as error:
        raise ImportProblem(path, reader.line_num, f"the CSV cannot be read: {error}.") from error
    return records


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(" ".join(item.split()) for item in value.split(",") if item.strip())
