"""Comment Markdown -> HTML: hostile input comes out harmless, ordinary Markdown still renders."""

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from documents.annotations.sanitise import clean_html, plain_text, render_markdown

# Written out here rather than imported, so widening the module's allow-list fails a test.
EXPECTED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
EXPECTED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
SAFE_SCHEMES = {"", "http", "https", "mailto"}

XSS_PAYLOADS = [
    # Script elements, plain, upper-case, split and nested.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<!--><script>alert(1)</script>-->",
    # Event handlers, closed and unclosed.
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"',
    "<svg onload=alert(1)>",
    '<div onclick="alert(1)">x</div>',
    "<x onclick=alert(1)>unknown element</x>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '![x](x" onerror="alert(1))',
    '[x](https://ok.example "t" onmouseover=alert(1))',
    # javascript: links in Markdown.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](jav\tascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    # javascript: links in HTML.
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    '&#0000116&#0000058alert(1)">x</a>',
    '<a href="javascript:alert(1)"',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    # data: and vbscript: URLs.
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](vbscript:msgbox(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    # Frames, objects and document-level elements.
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<object data="javascript:alert(1)">',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # Styles.
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))" class="danger">x</p>',
    "<table><tr><td background=javascript:alert(1)>cell</td></tr></table>",
    # Forms and MathML, including known mutation-XSS shapes.
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Markup smuggled through code.
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
]


class _Elements(HTMLParser):
    """Every start tag and its attributes, with character references resolved as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def url_scheme(url: str) -> str:
    """The scheme a browser would read from ``url`` (WHATWG URL parsing), or "" for a relative URL."""
    url = url.strip("".join(chr(code) for code in range(0x21)))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else ""


def assert_harmless(html: str) -> None:
    for tag, attributes in elements_of(html):
        assert tag not in {"script", "iframe", "style", "svg", "math", "form", "img", "object", "embed"}
        assert tag in EXPECTED_TAGS, f"unexpected <{tag}> in {html!r}"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name in EXPECTED_ATTRIBUTES.get(tag, set()), f"unexpected {name} on <{tag}> in {html!r}"
            if name in {"href", "src"}:
                assert url_scheme(value or "") in SAFE_SCHEMES, f"unsafe URL {value!r} in {html!r}"


def test_there_are_enough_payloads_to_mean_something():
    assert len(XSS_PAYLOADS) >= 25


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_markdown_is_harmless(payload):
    assert_harmless(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_clean_html_alone_is_harmless(payload):
    assert_harmless(clean_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitised_filter_is_harmless(payload):
    rendered = Template("{% load sanitised %}{{ html|sanitised }}").render(Context({"html": payload}))
    assert_harmless(rendered)


def test_the_checker_catches_what_it_looks_for():
    with pytest.raises(AssertionError):
        assert_harmless('<a href=" jav&#x09;ascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_harmless('<p onclick="x">x</p>')
    with pytest.raises(AssertionError):
        assert_harmless("<script></script>")


def test_raw_html_in_markdown_is_shown_as_text():
    assert render_markdown("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert render_markdown('Say <b onclick="x">hi</b>') == ('<p>Say &lt;b onclick="x"&gt;hi&lt;/b&gt;</p>')


def test_javascript_link_in_markdown_stays_text():
    assert render_markdown("[click](javascript:alert(1))") == "<p>[click](javascript:alert(1))</p>"


def test_javascript_link_in_stored_html_loses_its_href():
    assert clean_html('<a href="javascript:alert(1)">x</a>') == '<a rel="nofollow noopener noreferrer">x</a>'


def test_dropped_elements_take_their_content_with_them():
    assert clean_html("<p>before</p><script>alert(1)</script><style>p{}</style><p>after</p>") == (
        "<p>before</p><p>after</p>"
    )


def test_emphasis_renders():
    assert render_markdown("*one* **two** _three_") == (
        "<p><em>one</em> <strong>two</strong> <em>three</em></p>"
    )


def test_links_render_with_rel():
    assert render_markdown('[Miller Center](https://millercenter.org/ "Speeches")') == (
        '<p><a href="https://millercenter.org/" title="Speeches" rel="nofollow noopener noreferrer">'
        "Miller Center</a></p>"
    )


def test_autolinks_and_mail_links_render():
    assert render_markdown("<https://example.org> <me@example.org>") == (
        '<p><a href="https://example.org" rel="nofollow noopener noreferrer">https://example.org</a> '
        '<a href="mailto:me@example.org" rel="nofollow noopener noreferrer">me@example.org</a></p>'
    )


def test_relative_links_to_the_archive_are_kept():
    assert render_markdown("[see passage 3](/documents/signing/#p-3)") == (
        '<p><a href="/documents/signing/#p-3" rel="nofollow noopener noreferrer">see passage 3</a></p>'
    )


def test_lists_render():
    assert render_markdown("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert render_markdown("3. three\n4. four") == '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'


def test_code_renders_escaped():
    assert render_markdown("Use `a < b`.") == "<p>Use <code>a &lt; b</code>.</p>"
    assert render_markdown("```python\nif a < b:\n    pass\n```") == (
        "<pre><code>if a &lt; b:\n    pass\n</code></pre>"
    )


def test_quotations_rules_and_strikethrough_render():
    assert render_markdown("> quoted\n\n---\n\n~~struck~~") == (
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n<p><del>struck</del></p>"
    )


def test_tables_render_without_inline_styles():
    assert render_markdown("| a | b |\n|--:|---|\n| 1 | 2 |") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"
    )


def test_headings_sit_below_the_page_outline():
    assert render_markdown("# One\n## Two\n### Three\n###### Six") == (
        "<h4>One</h4>\n<h5>Two</h5>\n<h6>Three</h6>\n<h6>Six</h6>"
    )


def test_images_become_links_to_the_image():
    assert render_markdown('![The signed page](https://example.org/page.png "Scan")') == (
        '<p><a href="https://example.org/page.png" title="Scan" rel="nofollow noopener noreferrer">'
        "The signed page</a></p>"
    )


def test_a_new_line_is_a_line_break():
    assert render_markdown("first line\nsecond line") == "<p>first line<br>\nsecond line</p>"


def test_text_is_escaped_and_kept_as_written():
    assert render_markdown("AT&T <3 © 𝔄\u00a0x") == "<p>AT&amp;T &lt;3 © 𝔄&nbsp;x</p>"


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_blank_comment_renders_as_nothing(source):
    assert render_markdown(source) == ""


def test_clean_html_of_nothing_is_nothing():
    assert clean_html("") == ""


# Characters that make Markdown and HTML do things, so generated text hits the interesting paths.
MARKUP_SOUP = st.lists(
    st.sampled_from(
        [*"<>[]()!*_~`#-|:/\\\"'&;= \n\t", "javascript", "&#x09;", "onerror", "http", "a", "img", "script"]
    ),
    max_size=40,
).map("".join)


@given(st.one_of(st.text(), MARKUP_SOUP))
def test_any_text_renders_harmless(source):
    assert_harmless(render_markdown(source))


@given(st.one_of(st.text(), MARKUP_SOUP))
def test_clean_html_is_idempotent_on_rendered_markdown(source):
    rendered = render_markdown(source)
    assert clean_html(rendered) == rendered


@given(MARKUP_SOUP)
def test_clean_html_is_harmless_on_any_markup(markup):
    assert_harmless(clean_html(markup))


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("*proprio motu*", "proprio motu"),
        ("**Article 15** of [the statute](https://example.org/s)", "Article 15 of the statute"),
        ("# Heading\n\n- one\n- two\n\nEnd", "Heading one two End"),
        ("`<script>` & &amp; &lt;", "<script> & & <"),
        ("line one\nline two", "line one line two"),
        ("| a | b |\n|---|---|\n| c | d |", "a b c d"),
        ("", ""),
    ],
)
def test_plain_text_is_what_a_reader_reads(source, text):
    assert plain_text(render_markdown(source)) == text
