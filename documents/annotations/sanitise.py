"""User Markdown -> safe HTML: the one place user text becomes markup.

Two independent layers, so a mistake in one is caught by the other:

1. markdown-it-py renders CommonMark (plus tables and strikethrough) with raw
   HTML switched off, so ``<script>`` typed in a comment comes out as text, and
   its link validator drops ``javascript:``, ``vbscript:``, ``file:`` and most
   ``data:`` targets.
2. nh3 (ammonia) then keeps only the tags and attributes in ``ALLOWED_TAGS``
   and ``ALLOWED_ATTRIBUTES``, only ``http``, ``https`` and ``mailto`` URLs
   (relative ones pass, so a comment may link to ``#p-3`` or another document),
   and stamps every link with ``LINK_REL``.

Store the result of ``render_markdown`` when a comment is written; when stored
HTML is displayed, ``clean_html`` runs layer 2 again, which is cheap and keeps
rows written by an older version of these rules in line with today's.
Where a comment is shown as a line of text (a search hit's snippet), ``plain_text``
gives the words a reader sees in that HTML, without the Markdown that made it.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

# Comments sit under the page's h1, the panel's h2 and the entry's h3, so a
# heading typed as "# Title" becomes h4 and deeper levels stop at h6: the
# outline stays in order for screen readers and the heading keeps its meaning.
HEADING_OFFSET = 3
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Dropped with their content, not just their tags: their text was never meant to be read.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "noscript", "noembed", "noframes",
        "template", "textarea", "title", "xmp", "svg", "math", "select",
    }
)  # fmt: skip


def _render_image_as_link(self, tokens, idx, options, env) -> str:
    """An image becomes a link to it, labelled with its alt text.

    Comments may not load third-party content into other readers' pages (a
    tracking pixel, a picture swapped after review), so ``img`` is not allowed.
    """
    token = tokens[idx]
    src = token.attrGet("src") or ""
    title = token.attrGet("title")
    label = self.renderInlineAsText(token.children or [], options, env) or src
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    return f'<a href="{escapeHtml(src)}"{title_attr}>{escapeHtml(label)}</a>'


_markdown = MarkdownIt(
    "commonmark",
    # Comments are typed in a plain text area, where a new line is meant as one.
    {"html": False, "breaks": True, "linkify": False, "typographer": False},
).enable(["table", "strikethrough"])
_markdown.add_render_rule("image", _render_image_as_link)

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative="pass_through",
    link_rel=LINK_REL,
    strip_comments=True,
)


def _adjust_tags(tokens) -> None:
    """Shift headings below the page's own and spell strikethrough ``del``, as GitHub does."""
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = int(token.tag[1])
            token.tag = f"h{min(6, level + HEADING_OFFSET)}"
        elif token.children:
            for child in token.children:
                if child.type in {"s_open", "s_close"}:
                    child.tag = "del"


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed.

    Safe to apply to any string; it leaves the output of ``render_markdown``
    unchanged.
    """
    if not html:
        return ""
    return _cleaner.clean(html)


def render_markdown(source: str) -> str:
    """Sanitised HTML for the Markdown ``source``; "" for an empty or blank one.

    Pure and independent of any length limit: callers check lengths first.
    """
    if not source or not source.strip():
        return ""
    env: dict = {}
    tokens = _markdown.parse(source, env)
    _adjust_tags(tokens)
    return clean_html(_markdown.renderer.render(tokens, _markdown.options, env)).strip()


# Elements that end a line of their own; the text of the others runs on.
_BLOCKS = frozenset(
    {"p", "br", "hr", "pre", "blockquote", "ul", "ol", "li", "h4", "h5", "h6", "table", "tr", "th", "td"}
)


class _TextCollector(HTMLParser):
    """The text of an HTML fragment, with a line break at each edge of a block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def _edge(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        self._edge(tag)

    def handle_endtag(self, tag):
        self._edge(tag)

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The words a reader sees in the sanitised ``html`` (made by ``render_markdown``), as plain text.

    Markup becomes nothing (``<em>proprio motu</em>`` is "proprio motu"), character
    references become their characters, a link keeps its label, and each block (a
    paragraph, an item, a cell) is separated from the next by one space. The result is
    text, not HTML: whoever displays it escapes it.
    """
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    return " ".join("".join(collector.parts).split())
