"""Template helpers for the public pages: JSON-LD, COinS, language tags, the exact text, its passages."""

import json
import re

from django import template
from django.conf.locale import LANG_INFO
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from documents.archive import text
from documents.archive.citations import embedded

register = template.Library()

# The same escapes as Django's json_script: nothing inside the JSON can close the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@register.simple_tag
def json_ld(data: dict) -> str:
    """``data`` in a ``<script type="application/ld+json">`` element.

    The JSON is escaped so ``<``, ``>`` and ``&`` cannot end the element or
    start markup, which makes it safe to mark the result safe.
    """
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    escaped = mark_safe(encoded.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped right here)
    return format_html('<script type="application/ld+json">{}</script>', escaped)


@register.simple_tag(takes_context=True)
def coins(context: template.Context, document) -> str:
    """The title of a listed document's COinS span, the reading view's own: with two or more on a
    page, Zotero offers the documents to save (docs/reading-and-annotating.md, "Checked with Zotero")."""
    return embedded.coins(document, url=context["request"].build_absolute_uri(document.get_absolute_url()))


@register.filter
def compact_json_script(value, element_id: str) -> str:
    """Django's ``json_script`` without the spaces after ``,`` and ``:``: the reading view's thousand
    highlights are a quarter of a scholar's page, which is sent uncompressed (docs/performance.md,
    "Reading at scale"). Escaped as ``json_script`` escapes, so marking it safe is safe."""
    encoded = json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))
    escaped = mark_safe(encoded.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped right here)
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, escaped)


@register.filter
def language_tag(value: str) -> str:
    """``value`` if it looks like a BCP 47 language tag, else "" (an invalid ``lang`` is worse than none)."""
    value = (value or "").strip()
    return value if _LANGUAGE_TAG.fullmatch(value) else ""


@register.filter
def language_name(value: str) -> str:
    """ "English" for "en", "French (fr-CA)" for "fr-CA", the tag itself when Django does not know it."""
    value = (value or "").strip()
    info = LANG_INFO.get(value.lower())
    if info and "name" in info:
        return info["name"]
    primary = LANG_INFO.get(value.split("-")[0].lower())
    if primary and "name" in primary:
        return f"{primary['name']} ({value})"
    return value


# Runs of whitespace that hold a line break: the template's own layout, never a passage's text
# (a passage's lines are joined by a space, see docs/curators.md, "The text markup").
_TEMPLATE_LAYOUT = re.compile(r"\s*\n\s*")


class ExactTextNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return self.nodelist.render(context)


@register.tag
def exact_text(parser, token):
    """``{% exact_text %}…{% endexact_text %}``: drop the template's line breaks and indentation.

    The reading view's ``[data-document-body]`` must hold exactly the canonical text
    (docs/reading-and-annotating.md, "Readers"), so no whitespace from the template may reach it. This
    removes it
    from the template's literal text when the template is compiled; values and tags
    inside render unchanged, so ``{% passage_separator %}`` is the only text added.
    """
    nodelist = parser.parse(("endexact_text",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.base.TextNode):
        node.s = _TEMPLATE_LAYOUT.sub("", node.s)
    return ExactTextNode(nodelist)


# The element each kind of passage is (docs/curators.md, "The text markup"); the ``ul`` around a
# run of list items is the template's.
_PASSAGE_ELEMENTS = {text.HEADING: "h2", text.QUOTATION: "blockquote", text.ITEM: "li", text.PARAGRAPH: "p"}


@register.simple_tag
def passage_element(passage: text.Passage) -> str:
    """One passage of the reading view, whatever its kind: the one place its markup is written.

    The element carries ``id="p-N"`` and the passage's code-point offsets in ``data-start`` and
    ``data-end``; its text, and nothing else, sits in ``span.passage-text``; ``a.permalink`` holds no
    text (its icon is CSS generated content), so the element's text content is the passage's text
    (docs/reading-and-annotating.md, "Readers"). A quotation's text is a paragraph inside the
    ``blockquote``; a heading's permalink sits beside the ``h2``, so the heading's name stays its text.
    """
    tag = _PASSAGE_ELEMENTS[passage.kind]
    opening = format_html(
        '<{} class="passage" id="p-{}" data-start="{}" data-end="{}">',
        tag,
        passage.n,
        passage.start,
        passage.end,
    )
    content = format_html('<span class="passage-text">{}</span>', passage.text)
    if passage.kind == text.QUOTATION:
        content = format_html("<p>{}</p>", content)
    permalink = format_html(
        '<a class="permalink" href="#p-{}" aria-label="Link to passage {}"></a>', passage.n, passage.n
    )
    if passage.kind == text.HEADING:
        return format_html('<div class="passage-heading">{}{}</{}>{}</div>', opening, content, tag, permalink)
    return format_html("{}{}{}</{}>", opening, content, permalink, tag)


@register.simple_tag
def passage_separator() -> str:
    """The text between two passages in the canonical text."""
    return text.PASSAGE_SEPARATOR
