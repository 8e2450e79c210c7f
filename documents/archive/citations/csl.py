"""Chicago, MLA and APA entries made by a CSL processor from the document's own CSL-JSON.

The reading view's citations are what citeproc-js, the processor Zotero uses, makes from the
page's CSL-JSON with the official CSL styles ``chicago-notes-bibliography``,
``modern-language-association`` and ``apa`` (shipped in ``styles/``, with the en-US locale; see
``styles/README.md``). They are made here by citeproc-py, the Python processor, with the parts
of CSL 1.0 it leaves out or gets wrong added below, each where citeproc-py and citeproc-js
disagreed on our documents; ``tests/documents/archive/test_csl.py`` compares the two processors
character for character:

- ``cs:name``'s ``initialize="false"`` (Chicago, MLA): given names stay whole ("Clinton, William
  J.", not "Clinton, W. J."); initials in them get the ``initialize-with`` mark ("J. R. R.").
- ``cs:substitute``: the variable that stood in for a missing author (the title) is left out of
  the rest of the entry; citeproc-py printed the title twice.
- a literal date ("c. 1850") shows where the year goes, not also for the month and day (APA).
- a title's straight quotation marks and apostrophes become typographic ("Clinton’s"), quotation
  marks inside the style's own become single ("“On the ‘Object’ ...”"), and title case also takes
  the word after an opening quotation mark and each part of a hyphenated word ("Anti-War").
- the en-US locale's ``punctuation-in-quote``: a period or comma after a closing quotation mark
  goes inside it ("Treaty.”"), and a period after ! or ? is dropped ("Statute?”", "Statute?").

The HTML keeps the style's font styles (italic titles) and escapes everything else; the plain
text is what Copy citation copies. Reads only the files in ``styles/`` (once, then kept) and
keeps recent entries; no Django, no network.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import CitationStylesElement, Date, Name, Substitute, Text, TextCased
from citeproc.source import LiteralDate, VariableError
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, String
from lxml import etree

STYLES_DIR = Path(__file__).resolve().parent / "styles"
LOCALE_FILE = STYLES_DIR / "locales-en-US.xml"
# The reading view's names for the official styles' files (without ``.csl``).
STYLES = {
    "chicago": "chicago-notes-bibliography",
    "mla": "modern-language-association",
    "apa": "apa",
}

# The processor renders once, with each font style it applies between two private-use characters;
# the plain text drops them, the HTML escapes the text and turns them into tags.
_FONT_STYLES = {"i": ("\ue000", "\ue001"), "b": ("\ue002", "\ue003"), "sup": ("\ue004", "\ue005")}
_MARKS = {
    mark: html
    for tag, (opening, closing) in _FONT_STYLES.items()
    for mark, html in ((opening, f"<{tag}>"), (closing, f"</{tag}>"))
}
_MARKS_PATTERN = "[\ue000-\ue005]*"
# en-US punctuation-in-quote, and CSL's rule that a period after ! or ? is left out.
_AFTER_QUOTE = re.compile(f"([!?]?)({_MARKS_PATTERN})([”’])([.,])")
_STOP_WORDS = frozenset(TextCased._stop_words)
_TITLES = ("title", "container-title", "collection-title")
_APOSTROPHE = re.compile(r"(?<=\w)'")
_STRAIGHT_DOUBLE = re.compile(r'"([^"]*)"')
_AFTER_MARK = re.compile(f"([!?])({_MARKS_PATTERN})\\.")


@dataclass(frozen=True)
class Entry:
    """One bibliography entry: plain text (what Copy citation copies) and HTML (titles in <i>)."""

    text: str
    html: str


def bibliography_entry(item: dict, style: str) -> Entry:
    """The entry ``style`` (a key of STYLES) makes for one CSL-JSON item."""
    return _entry(json.dumps(item, sort_keys=True), style)


@lru_cache(maxsize=512)
def _entry(item_json: str, style: str) -> Entry:
    item = _without_marks(json.loads(item_json))
    for variable in _TITLES:
        if isinstance(item.get(variable), str):
            item[variable] = _typographic_quotes(item[variable])
    loaded, lock = _style(STYLES[style])
    with lock:  # a bibliography sets its formatter on the shared style
        bibliography = CitationStylesBibliography(loaded, CiteProcJSON([item]), _MarkedFormatter)
        bibliography.register(Citation([CitationItem(item["id"])]))
        (entry,) = bibliography.bibliography()
    marked = _nested_quotes_single(str(entry).strip())
    marked = _AFTER_MARK.sub(r"\1\2", _AFTER_QUOTE.sub(_inside_quote, marked))
    html = "".join(_MARKS.get(char) or escape(char) for char in marked)
    return Entry(text="".join(char for char in marked if char not in _MARKS), html=html)


def _typographic_quotes(title: str) -> str:
    """Straight quotation marks and apostrophes made typographic, as citeproc-js reads a title."""
    title = _APOSTROPHE.sub("’", title)
    return _STRAIGHT_DOUBLE.sub(lambda match: f"“{match.group(1)}”", title)


def _nested_quotes_single(entry: str) -> str:
    """Quotation marks inside quotation marks made single ("“On the ‘object’ ...”"), as CSL says."""
    output, depth = [], 0
    for char in entry:
        if char == "“":
            output.append("‘" if depth else char)
            depth += 1
        elif char == "”" and depth:
            depth -= 1
            output.append("’" if depth else char)
        else:
            output.append(char)
    return "".join(output)


def _inside_quote(match: re.Match) -> str:
    mark, tags, quote, punctuation = match.groups()
    return f"{mark or punctuation}{tags}{quote}"


def _without_marks(value):
    """The item with the private-use characters used as marks taken out of its strings."""
    if isinstance(value, str):
        return "".join(char for char in value if char not in _MARKS)
    if isinstance(value, list):
        return [_without_marks(part) for part in value]
    if isinstance(value, dict):
        return {key: _without_marks(part) for key, part in value.items()}
    return value


def _marked(tag: str):
    opening, closing = _FONT_STYLES[tag]

    class Marked(str):
        def __new__(cls, text):
            return super().__new__(cls, f"{opening}{text}{closing}")

    return Marked


class _MarkedFormatter:
    """A citeproc-py output format: text as it is, font styles between marks (see _FONT_STYLES)."""

    preformat = staticmethod(str)
    Italic = Oblique = _marked("i")
    Bold = _marked("b")
    Superscript = _marked("sup")
    Light = Underline = Subscript = SmallCaps = str


class _Name(Name):
    """``cs:name`` with CSL's ``initialize`` attribute: "false" keeps given names whole and only
    puts the ``initialize-with`` mark after the initials in them ("J.R.R." -> "J. R. R.")."""

    def initialize(self, given, mark, context):
        if self.get("initialize", "true").lower() != "false":
            return super().initialize(given, mark, context)
        words = given.replace(".", ". ").split()
        return "".join(
            word[0] + mark if len(word.rstrip(".")) == 1 and word[0].isupper() else word + " "
            for word in words
        ).strip()


class _Text(Text):
    """``cs:text`` that tells an enclosing ``cs:substitute`` which variables it rendered."""

    def _variable(self, item, context):
        text = super()._variable(item, context)
        rendered = getattr(context.get_layout(), "substituted", None)
        if text and rendered is not None:
            rendered.append((self.tag, self.get("variable")))
        return text

    def case(self, text, language=None):
        """Title case as citeproc-js does it: also the word after an opening quotation mark and
        each part of a hyphenated word ("Anti-War", "State-of-the-Art"); stop words stay lower
        case but for the first word and the word after a colon."""
        if self.get("text-case") != "title" or language != "en" or not _plain(text):
            return super().case(text, language)
        words, after_colon = [], True
        for word in str(text).split(" "):
            parts = word.split("-")
            parts = [_capitalised(part, first=index == 0 and after_colon) for index, part in enumerate(parts)]
            words.append("-".join(parts))
            after_colon = word.endswith((":", ".", "?", "!"))
        return String(" ".join(words))


def _plain(text) -> bool:
    """Whether the text is one run without font styles (a title as the item gives it)."""
    return type(text) is String or (
        isinstance(text, MixedString) and all(type(part) is String for part in text)
    )


def _capitalised(word: str, *, first: bool) -> str:
    start = len(word) - len(word.lstrip("“‘\"'("))
    core = word[start:]
    if not core or not core.islower() or (not first and core.rstrip(",.;:!?”’") in _STOP_WORDS):
        return word
    return word[:start] + core[0].upper() + core[1:]


class _Substitute(Substitute):
    """``cs:substitute`` that suppresses, for the rest of the entry, every variable the chosen
    substitute rendered, as CSL says; citeproc-py suppressed only a child naming it directly, so
    an item without author showed its title twice."""

    def render(self, item, context=None, **kwargs):
        layout = context.get_layout()
        layout.substituted = []
        try:
            text = super().render(item, context=context, **kwargs)
            if text:
                for tag, variable in layout.substituted:
                    layout.repressed.setdefault(tag, []).append(variable)
            return text
        finally:
            layout.substituted = None


class _Date(Date):
    """``cs:date`` that shows a literal date ("c. 1850") only where the year would go, as
    citeproc-js does; citeproc-py also showed it for the month and day ("c. 1850, c. 1850")."""

    def process(self, item, variable=None, show_parts=None, context=None, **kwargs):
        try:
            value = item.reference[(variable or self.get("variable")).replace("-", "_")]
        except VariableError:
            value = None
        if isinstance(value, LiteralDate):
            if self.get("form") is not None and not self.is_locale_date():
                parts = self.get("date-parts", "year-month-day").split("-")
            else:
                parts = [child.get("name") for child in self.iterchildren()]
                if show_parts is not None:
                    parts = [part for part in parts if part in show_parts]
            if "year" not in parts:
                return None
        return super().process(item, variable, show_parts, context, **kwargs)


class _Style(CitationStylesStyle):
    """An official style file read with our ``cs:name`` and the shipped en-US locale file."""

    def __init__(self, path: Path):
        self.xml = _parse(path)
        self.root = self.xml.getroot()
        # citeproc-py's order (CSL's): the style's own locale elements for en-US, en and any
        # language, then the locale file, which is ours in place of the one citeproc-py bundles.
        in_style = [
            element
            for test in ('@xml:lang="en-US"', '@xml:lang="en"', "not(@xml:lang)")
            for element in self.root.xpath_search(f"./cs:locale[{test}]")
        ]
        self.root.locales = [*in_style, _parse(LOCALE_FILE).getroot()]
        for locale in self.root.locales:
            locale.style = self.root


def _parse(path: Path) -> etree._ElementTree:
    """A CSL file as citeproc-py reads it (CitationStylesXML), with ``_Name`` for ``cs:name``."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
    namespace[None] = CitationStylesElement
    namespace.update(
        {cls.__name__.replace("_", "-").lower(): cls for cls in CitationStylesElement.__subclasses__()}
    )
    namespace.update({"name": _Name, "text": _Text, "substitute": _Substitute, "date": _Date})
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(lookup)
    return etree.parse(str(path), parser)


@cache
def _style(name: str) -> tuple[CitationStylesStyle, threading.Lock]:
    return _Style(STYLES_DIR / f"{name}.csl"), threading.Lock()
