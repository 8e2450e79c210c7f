"""documents.archive.text: curator markup -> passages -> the canonical text, with code-point offsets."""

import itertools
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from documents.archive.text import (
    HEADING,
    ITEM,
    KINDS,
    MARKERS,
    PARAGRAPH,
    PASSAGE_SEPARATOR,
    QUOTATION,
    MarkupError,
    Passage,
    canonical_text,
    normalise,
    parse,
    passage_at,
)

FACTORY_TEXT = (
    "# A heading\n\nThe first passage.\n\n> A quotation with a non-breaking\u00a0space.\n\n- An item"
)
NBSP = "\u00a0"
CLEF = "\U0001d11e"  # MUSICAL SYMBOL G CLEF: one code point, two UTF-16 units, four UTF-8 bytes.
MARKER_OF = {kind: marker for marker, kind in MARKERS.items()}


def kinds_and_texts(markup: str) -> list[tuple[str, str]]:
    return [(passage.kind, passage.text) for passage in parse(markup)]


def looks_like_markup(line: str) -> bool:
    """The escaping rule of the module docstring, restated independently for building markup."""
    unescaped = line.lstrip("\\")
    return unescaped[:2] in MARKERS or unescaped.rstrip(" \t") in {"#", ">", "-"}


def markup_for(kind: str, lines: list[str]) -> str:
    """Markup a curator could write for a passage of ``kind`` spread over ``lines``."""
    if kind == QUOTATION:
        return "\n".join("> " + line for line in lines)
    if kind == PARAGRAPH:
        first = "\\" + lines[0] if looks_like_markup(lines[0]) else lines[0]
        return "\n".join([first, *lines[1:]])
    return MARKER_OF[kind] + "\n".join(lines)


def rebuild(passages: list[Passage]) -> str:
    return "\n\n".join(markup_for(passage.kind, [passage.text]) for passage in passages)


def assert_well_formed(passages: list[Passage]) -> None:
    """The guarantees every caller relies on, whatever the markup was."""
    canonical = canonical_text(passages)
    assert unicodedata.is_normalized("NFC", canonical)
    assert [passage.n for passage in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert passage.kind in KINDS
        assert passage.text
        assert "\n" not in passage.text
        assert passage.text == passage.text.strip(" \t")
        assert canonical[passage.start : passage.end] == passage.text
        assert passage_at(passages, passage.start) == passage
        assert passage_at(passages, passage.end - 1) == passage
    for before, after in itertools.pairwise(passages):
        assert canonical[before.end : after.start] == PASSAGE_SEPARATOR
    if passages:
        assert passages[0].start == 0
        assert passages[-1].end == len(canonical)


# --- Markup to passages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "kind", "text"),
    [
        ("# The Rome Statute", HEADING, "The Rome Statute"),
        ("> We do so as well", QUOTATION, "We do so as well"),
        ("- Grey Facebook Icon", ITEM, "Grey Facebook Icon"),
        ("President Clinton", PARAGRAPH, "President Clinton"),
    ],
)
def test_marker_decides_the_kind_and_is_not_part_of_the_text(markup, kind, text):
    assert kinds_and_texts(markup) == [(kind, text)]


@pytest.mark.parametrize("markup", ["#hashtag", "-1 degrees", ">= 3 signatures", "#\tnot a heading"])
def test_marker_without_a_space_is_ordinary_text(markup):
    assert kinds_and_texts(markup) == [(PARAGRAPH, markup)]


def test_indented_marker_still_counts():
    assert kinds_and_texts("   # Indented heading") == [(HEADING, "Indented heading")]


def test_marker_later_in_a_passage_is_text():
    assert kinds_and_texts("The vote:\n# not a heading") == [(PARAGRAPH, "The vote: # not a heading")]


def test_every_line_of_a_quotation_may_carry_its_marker():
    markup = "> reaffirm our strong support\n> for international accountability\n>\n> and justice"
    assert kinds_and_texts(markup) == [
        (QUOTATION, "reaffirm our strong support for international accountability and justice")
    ]


def test_quotation_continues_on_lines_without_a_marker():
    assert kinds_and_texts("> Signature will enhance\nour ability") == [
        (QUOTATION, "Signature will enhance our ability")
    ]


def test_quotation_may_open_with_a_bare_marker_line():
    assert kinds_and_texts(">\n> In fact,\n>\t\n> we have worked") == [(QUOTATION, "In fact, we have worked")]


def test_marker_alone_on_the_first_line_of_a_longer_passage_counts_without_its_space():
    assert kinds_and_texts("#\nClinton Administration") == [(HEADING, "Clinton Administration")]
    assert kinds_and_texts("-\nAn item") == [(ITEM, "An item")]


def test_only_the_first_marker_of_a_quotation_line_is_markup():
    assert kinds_and_texts("> > quoted reply\n> > # and more") == [(QUOTATION, "> quoted reply > # and more")]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("\\# 1 is the loneliest number", "# 1 is the loneliest number"),
        ("\\> 3", "> 3"),
        ("\\- 5 degrees", "- 5 degrees"),
        ("\\#", "#"),
        ("\\# ", "#"),
        ("\\-", "-"),
        ("\\\\# 1", "\\# 1"),
        ("\\\\\\-", "\\\\-"),
    ],
)
def test_leading_backslash_escapes_a_marker(markup, text):
    assert kinds_and_texts(markup) == [(PARAGRAPH, text)]


@pytest.mark.parametrize("markup", ["\\n is a newline", "C:\\Users", "a \\# b", "\\\\server\\share", "\\"])
def test_backslash_that_escapes_nothing_is_text(markup):
    assert kinds_and_texts(markup) == [(PARAGRAPH, markup)]


def test_escape_applies_to_the_first_line_only():
    assert kinds_and_texts("First line\n\\# second line") == [(PARAGRAPH, "First line \\# second line")]


def test_lines_of_a_passage_are_joined_by_one_space_without_their_indentation():
    markup = "  The Clinton administration  \n\tinitially supported\t\n   the establishment"
    assert kinds_and_texts(markup) == [
        (PARAGRAPH, "The Clinton administration initially supported the establishment")
    ]


def test_spaces_inside_a_line_are_kept():
    assert kinds_and_texts("two  spaces\tand a tab") == [(PARAGRAPH, "two  spaces\tand a tab")]


def test_lines_of_spaces_and_tabs_separate_passages_like_empty_lines():
    assert kinds_and_texts("one\n   \t\ntwo\n\n\n\n\nthree") == [
        (PARAGRAPH, "one"),
        (PARAGRAPH, "two"),
        (PARAGRAPH, "three"),
    ]


def test_windows_and_old_mac_line_endings_read_like_newlines():
    expected = [(HEADING, "Title"), (PARAGRAPH, "one two"), (PARAGRAPH, "three")]
    assert kinds_and_texts("# Title\r\n\r\none\r\ntwo\r\n \r\nthree\r\n") == expected
    assert kinds_and_texts("# Title\r\rone\rtwo\r\rthree") == expected


@pytest.mark.parametrize("markup", ["", "\n\n", "  \t \r\n \n"])
def test_empty_markup_has_no_passages(markup):
    assert parse(markup) == []
    assert canonical_text(parse(markup)) == ""


# --- Canonical text and offsets ---------------------------------------------------------------------


def test_canonical_text_and_offsets_of_the_factory_document():
    passages = parse(FACTORY_TEXT)
    assert passages == [
        Passage(1, HEADING, "A heading", 0, 9),
        Passage(2, PARAGRAPH, "The first passage.", 11, 29),
        Passage(3, QUOTATION, f"A quotation with a non-breaking{NBSP}space.", 31, 69),
        Passage(4, ITEM, "An item", 71, 78),
    ]
    assert canonical_text(passages) == (
        f"A heading\n\nThe first passage.\n\nA quotation with a non-breaking{NBSP}space.\n\nAn item"
    )


def test_passage_at_finds_the_passage_holding_an_offset():
    passages = parse(FACTORY_TEXT)
    assert passage_at(passages, 0).n == 1
    assert passage_at(passages, 8).n == 1
    assert passage_at(passages, 11).n == 2
    assert passage_at(passages, 77).n == 4


@pytest.mark.parametrize("offset", [9, 10, 78, 1000, -1])
def test_separators_and_offsets_outside_the_text_belong_to_no_passage(offset):
    assert passage_at(parse(FACTORY_TEXT), offset) is None


# --- Unicode ----------------------------------------------------------------------------------------


def test_text_is_normalised_to_nfc():
    passages = parse("# Cafe\u0301\n\nre\u0301sume\u0301")
    assert [passage.text for passage in passages] == ["Caf\u00e9", "r\u00e9sum\u00e9"]
    assert [(passage.start, passage.end) for passage in passages] == [(0, 4), (6, 12)]


def test_combining_characters_without_a_precomposed_form_stay_separate_code_points():
    assert parse("q\u0307")[0].text == "q\u0307"
    assert parse("q\u0307")[0].end == 2
    assert parse("a\u0301\u0323")[0].text == "\u1ea1\u0301"  # dot below reordered first, then composed


def test_non_breaking_spaces_are_kept_even_at_the_edges_of_a_line():
    passages = parse(f"> {NBSP}indented quotation{NBSP}\n\nWhy did he sign?{NBSP}\n\n12\u202f000 signatures")
    assert [passage.text for passage in passages] == [
        f"{NBSP}indented quotation{NBSP}",
        f"Why did he sign?{NBSP}",
        "12\u202f000 signatures",
    ]


def test_a_line_of_only_unicode_whitespace_is_blank():
    assert kinds_and_texts(f"one\n{NBSP}\u3000\ntwo") == [(PARAGRAPH, "one"), (PARAGRAPH, "two")]


def test_symbols_are_kept_as_written():
    assert (
        parse("\u00a9 2017 AMICC \u2022 \u201cquoted\u201d")[0].text
        == "\u00a9 2017 AMICC \u2022 \u201cquoted\u201d"
    )


@pytest.mark.parametrize(
    ("first", "code_points"),
    [
        (f"{CLEF} clef", 6),
        ("\U0001f389 party", 7),
        ("\U0001f469\u200d\U0001f52c scientist", 13),  # woman, zero-width joiner, microscope
        ("\U0001f1eb\U0001f1f7 flag", 7),  # two regional indicators
    ],
)
def test_characters_outside_the_bmp_count_as_one_code_point_each(first, code_points):
    passages = parse(f"{first}\n\nnext")
    assert passages[0].end == code_points
    assert passages[1].start == code_points + 2
    assert canonical_text(passages)[passages[1].start :] == "next"


def test_normalise_unifies_line_endings_and_composes_characters():
    assert normalise("e\u0301\r\nb\rc\n") == "\u00e9\nb\nc\n"


# --- Errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "line", "code"),
    [
        ("\x00", 1, "U+0000"),
        ("fine\nbell \x07 here", 2, "U+0007"),
        ("a\r\nb\r\n\r\nc\x1b", 4, "U+001B"),
        ("a\r\rb\x7f", 3, "U+007F"),
        ("one\n\ntwo\x85", 3, "U+0085"),
        ("form\x0cfeed", 1, "U+000C"),
    ],
)
def test_control_characters_are_refused_with_their_line_number(markup, line, code):
    with pytest.raises(MarkupError) as raised:
        parse(markup)
    assert raised.value.line == line
    assert code in raised.value.message
    assert str(raised.value).startswith(f"Line {line}: ")


def test_tabs_are_not_control_characters():
    assert kinds_and_texts("a\tb") == [(PARAGRAPH, "a\tb")]


@pytest.mark.parametrize("marker", ["#", "# ", ">", "> \t", "-", "  -  "])
def test_a_bare_marker_is_refused_with_its_line_and_the_escape_that_fixes_it(marker):
    bare = marker.strip()
    with pytest.raises(MarkupError) as raised:
        parse(f"Intro\r\n\r\n{marker}\r\n\r\nMore")
    assert raised.value.line == 3
    assert f'"{bare}" starts a passage but has no text after it' in raised.value.message
    assert kinds_and_texts(f"\\{bare}") == [(PARAGRAPH, bare)]


def test_a_quotation_of_empty_lines_is_refused_at_its_first_line():
    with pytest.raises(MarkupError) as raised:
        parse("Intro\n\n> \n>\n> ")
    assert raised.value.line == 3
    assert "no text" in raised.value.message


def test_markup_error_is_a_value_error():
    assert issubclass(MarkupError, ValueError)


# --- Properties -------------------------------------------------------------------------------------

# Characters a curator's text may hold, weighted towards the awkward ones.
characters = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    st.sampled_from([" ", "\t", NBSP, "\u202f", "\u3000", "#", ">", "-", "\\", "e", "q", "\u00a9"]),
    st.sampled_from(["\u0301", "\u0323", "\u200d", CLEF, "\U0001f389", "\U0001f1eb"]),
)
lines = (
    st.text(characters, min_size=1, max_size=12)
    .map(lambda line: unicodedata.normalize("NFC", line).strip(" \t"))
    .filter(lambda line: line.strip() != "")
)
passage_specs = st.tuples(st.sampled_from(KINDS), st.lists(lines, min_size=1, max_size=3))
line_endings = st.sampled_from(["\n", "\r\n", "\r"])
blank_lines = st.sampled_from(["\n\n", "\n \n", "\n\t\n\n\n", "\n  \t  \n"])


@st.composite
def documents(draw):
    """Markup for generated passages, and the (kind, text) pairs it must parse to."""
    specs = draw(st.lists(passage_specs, max_size=6))
    markup = ""
    for index, (kind, passage_lines) in enumerate(specs):
        if index:
            markup += draw(blank_lines)
        markup += draw(st.sampled_from(["", " ", "\t"])) + markup_for(kind, passage_lines)
    expected = [(kind, " ".join(passage_lines)) for kind, passage_lines in specs]
    return markup.replace("\n", draw(line_endings)), expected


@given(documents())
@example(("\\\\# 1\n\n#\nx\n\n>\n> y", [(PARAGRAPH, "\\# 1"), (HEADING, "x"), (QUOTATION, "y")]))
def test_generated_markup_parses_to_the_passages_it_was_written_from(document):
    markup, expected = document
    assert kinds_and_texts(markup) == expected


@given(documents())
def test_offsets_of_generated_passages_slice_the_canonical_text(document):
    markup, _ = document
    passages = parse(markup)
    assert_well_formed(passages)
    assert parse(markup) == passages


# Arbitrary text, heavy on markup characters: anything but a MarkupError must parse to well-formed passages.
arbitrary_markup = st.text(
    st.one_of(
        st.sampled_from(["\n", "\r", " ", "\t", "#", ">", "-", "\\", NBSP, "\u0301", CLEF, "\x07"]),
        characters,
    ),
    max_size=80,
)


@given(arbitrary_markup)
@example("> a\n>\t\n-\n\\\n\\\\>")
def test_any_markup_either_parses_to_well_formed_passages_or_raises_markup_error(markup):
    try:
        passages = parse(markup)
    except MarkupError as error:
        assert error.line >= 1
        return
    assert_well_formed(passages)
    assert parse(markup) == passages
    assert parse(normalise(markup)) == passages


@given(arbitrary_markup)
def test_markup_rebuilt_from_passages_parses_to_the_same_passages(markup):
    try:
        passages = parse(markup)
    except MarkupError:
        return
    assert parse(rebuild(passages)) == passages


@given(st.text(characters))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)
