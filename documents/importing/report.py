"""What an import did, one outcome per thing it was given: the one report of every importer.

Curators' document files, the seed fixtures and W3C annotations are imported
by different readers, but each answers the same questions: what was created,
updated, left unchanged or refused, and for a refusal why and where (the JSON
path of the value at fault). The management commands print ``lines()`` and
``summary()``; the profile's import page and the API read ``imported`` and
``refused``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from documents.annotations.text_changes import ReanchorReport


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


# What a dry run says it would do, in the words of the command's output.
WOULD = {Action.CREATED: "create", Action.UPDATED: "update", Action.UNCHANGED: "unchanged"}


class Subject(StrEnum):
    DOCUMENTS = "documents"
    SEED = "seed"
    ANNOTATIONS = "annotations"


@dataclass(frozen=True)
class Outcome:
    """What became of one thing an import was given.

    ``label`` names it for a person: a document's slug, a fixture object, or an
    annotation item's position and id. ``changed`` lists the fields an update
    changed. A refusal carries its ``reason`` and ``field``, the input at fault
    as a JSON path such as ``target.selector[0].start`` ("" for the item as a
    whole); an annotation item also its ``index`` (from 0, in the order sent)
    and its own ``id`` ("" without one). ``stored`` is what a created outcome
    became, for callers that show it. ``annotations`` is what a document's new
    text did to its annotations (docs/curators.md, "Revisions").
    """

    action: Action
    label: str
    changed: tuple[str, ...] = ()
    reason: str = ""
    field: str = ""
    index: int | None = None
    id: str = ""
    stored: object = None
    annotations: ReanchorReport | None = None

    def describe(self, *, dry_run: bool) -> str:
        line = f"{WOULD.get(self.action, self.action) if dry_run else self.action} {self.label}"
        if self.changed:
            line += f" (fields: {', '.join(self.changed)})"
        if self.reason:
            line += f": {self.reason}"
        if self.annotations is not None:
            line += f"; {self.annotations.summary()}"
        return line


@dataclass
class ImportReport:
    """The outcomes of one import, in the order their things were given (refusals by index).

    ``sources`` are the files read, where the summary counts them (the seed).
    """

    subject: Subject
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    sources: list[Path] = field(default_factory=list)

    def add(self, outcome: Outcome) -> Outcome:
        self.outcomes.append(outcome)
        return outcome

    def count(self, action: Action) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def imported(self) -> list:
        """What was stored anew, in the order it was stored."""
        return [outcome.stored for outcome in self.outcomes if outcome.action == Action.CREATED]

    @property
    def already(self) -> list:
        """What was in the archive already (an annotation import's items sent again), in the order given."""
        return [outcome.stored for outcome in self.outcomes if outcome.action == Action.UNCHANGED]

    @property
    def refused(self) -> list[Outcome]:
        refusals = [outcome for outcome in self.outcomes if outcome.action == Action.REFUSED]
        return sorted(refusals, key=lambda outcome: -1 if outcome.index is None else outcome.index)

    def lines(self) -> list[str]:
        return [outcome.describe(dry_run=self.dry_run) for outcome in self.outcomes]

    def summary(self) -> str:
        created, unchanged = self.count(Action.CREATED), self.count(Action.UNCHANGED)
        if self.subject is Subject.SEED:
            files = "file" if len(self.sources) == 1 else "files"
            return (
                f"Seed fixtures ({len(self.sources)} {files}): {created} created, "
                f"{unchanged} left alone because they or their document already exist."
            )
        if self.subject is Subject.ANNOTATIONS:
            noun = "annotation" if created == 1 else "annotations"
            parts = [f"{created} {noun} imported"] if created else []
            if unchanged:
                parts.append(f"{unchanged} already in the archive")
            if refused := self.count(Action.REFUSED):
                parts.append(f"{refused} refused")
            if not created and not unchanged:
                parts.insert(0, "No annotations were imported")
            return "; ".join(parts) + "."
        total = len(self.outcomes)
        noun = "document" if total == 1 else "documents"
        parts = [f"{created} created", f"{self.count(Action.UPDATED)} updated"]
        if unchanged:
            parts.append(f"{unchanged} unchanged")
        reports = [outcome.annotations for outcome in self.outcomes if outcome.annotations is not None]
        if reports:
            parts.append(sum(reports, ReanchorReport()).summary())
        if self.dry_run:
            return f"Dry run: would import {total} {noun}: {', '.join(parts)}. Nothing was written."
        return f"Imported {total} {noun}: {', '.join(parts)}."
