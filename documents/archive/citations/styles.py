"""Chicago, MLA and APA, the entries Cite this shows people, for a document or one of its passages.

Each is the bibliography entry the official CSL style makes from the document's CSL-JSON
(``reference_managers.csl_json``, the file Cite this offers), rendered by ``csl``; nothing
here writes a citation by hand, so the page says exactly what a reference manager would.

Pure: reads the CSL-JSON item it is given (and, once, the style files); Django only to mark the
HTML it built safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from documents.archive.citations.csl import Entry, bibliography_entry

# The styles Cite this shows, in its order: (key in csl.STYLES, heading).
STYLES = (("chicago", "Chicago"), ("mla", "MLA"), ("apa", "APA"))

# Cite this fills in the passage in the browser (docs/reading-and-annotating.md, "Cite this"): the reading
# view renders each style once more with this placeholder where the passage's number goes.
PASSAGE_PLACEHOLDER = "{passage}"


@dataclass(frozen=True)
class Citation:
    key: str
    heading: str
    entry: Entry
    passage_entry: Entry

    # Safe: ``csl`` builds the HTML by escaping every character the processor output, then adding
    # only its own <i>, <b> and <sup> tags.
    @property
    def html(self) -> SafeString:
        return mark_safe(self.entry.html)  # noqa: S308

    @property
    def passage_html(self) -> SafeString:
        return mark_safe(self.passage_entry.html)  # noqa: S308


def passage_item(item: dict, passage: int | str) -> dict:
    """The CSL-JSON item for one passage: its permalink (``#p-n``) as the URL and "par. n" as the
    location in the archive, which Chicago, MLA and APA each print their way."""
    return {**item, "URL": f"{item['URL']}#p-{passage}", "archive_location": f"par. {passage}"}


def citations(item: dict) -> list[Citation]:
    """Every style's entry for the item, and for its passage with PASSAGE_PLACEHOLDER."""
    passage = passage_item(item, PASSAGE_PLACEHOLDER)
    return [
        Citation(
            key=key,
            heading=heading,
            entry=bibliography_entry(item, key),
            passage_entry=bibliography_entry(passage, key),
        )
        for key, heading in STYLES
    ]
