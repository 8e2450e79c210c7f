"""documents.annotations.anchoring: selectors <-> ranges of the canonical text, re-anchoring after edits."""

import unicodedata

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from documents.annotations.anchoring import describe, match, reanchor
from documents.annotations.anchoring.selectors import (
    CONTEXT_LENGTH,
    EXACT,
    FUZZY,
    FUZZY_SIMILARITY,
    NORMALISED,
    POSITION,
    AnchoringError,
    Match,
    Selector,
)

NBSP = "\u00a0"
CLEF = "\U0001d11e"  # one code point, two UTF-16 units: offsets must not count it twice.
COMBINING_ACUTE = "\u0301"

LETTER = (
    "Dear Sir,\n\n"
    "I write to you about the harvest. The harvest was poor this year.\n\n"
    "The rain came late, and the harvest was poor in every county.\n\n"
    "Yours faithfully,\u00a0J. Smith"
)


def span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    """Code-point range of the n-th occurrence of ``quote`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def stored(text: str, quote: str, occurrence: int = 0) -> dict:
    """The selectors an annotation on that occurrence keeps, as reanchor takes them."""
    found = describe(text, *span(text, quote, occurrence))
    return {
        "exact": found.exact,
        "prefix": found.prefix,
        "suffix": found.suffix,
        "start": found.start,
        "end": found.end,
    }


def reason_of(selector: Selector, text: str = LETTER) -> str:
    with pytest.raises(AnchoringError) as raised:
        match(selector, text)
    return raised.value.reason


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


# describe


def test_describe_fills_in_quote_and_context_of_32_code_points():
    start, end = span(LETTER, "The rain came late")
    found = describe(LETTER, start, end)
    assert found == Match(
        start=start,
        end=end,
        exact="The rain came late",
        prefix=LETTER[start - CONTEXT_LENGTH : start],
        suffix=LETTER[end : end + CONTEXT_LENGTH],
        how=POSITION,
    )
    assert len(found.prefix) == len(found.suffix) == 32
    assert found.prefix.endswith("poor this year.\n\n")


def test_describe_gives_shorter_context_at_the_edges_of_the_text():
    found = describe(LETTER, 0, 4)
    assert (found.exact, found.prefix) == ("Dear", "")
    last = describe(LETTER, len(LETTER) - 5, len(LETTER))
    assert (last.exact, last.suffix) == ("Smith", "")


def test_describe_trims_whitespace_from_the_ends_of_the_range():
    start, end = span(LETTER, "year.\n\nThe rain")
    found = describe(LETTER, start - 1, end + 1)
    assert (found.start, found.end, found.exact) == (start, end, "year.\n\nThe rain")


def test_describe_counts_astral_characters_as_one_code_point():
    text = f"A clef {CLEF} then music."
    found = describe(text, 7, 13)
    assert found.exact == f"{CLEF} then"
    assert found.end - found.start == 6
    assert found.suffix == " music."


def test_context_is_32_code_points_even_of_astral_characters():
    text = CLEF * 40 + "note" + CLEF * 40
    found = describe(text, 40, 44)
    assert (found.prefix, found.suffix) == (CLEF * 32, CLEF * 32)
    assert match(Selector(exact="note", prefix=found.prefix), text) == Match(
        start=40, end=44, exact="note", prefix=CLEF * 32, suffix=CLEF * 32, how=EXACT
    )


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (5, 5, "The position 5–5 is empty: end must be greater than start; select at least one character."),
        (9, 4, "The position 9–4 ends before it starts: end (4) comes before start (9); swap them."),
        (-1, 4, "Positions count characters from 0; the start -1 is negative: it must be 0 or more."),
        (10, 9999, f"The position 10–9999 is outside the document, which has {len(LETTER)} characters."),
        (9, 11, "The position 9–11 holds only whitespace; select some text."),
    ],
)
def test_describe_refuses_ranges_that_select_nothing(start, end, reason):
    with pytest.raises(AnchoringError) as raised:
        describe(LETTER, start, end)
    assert raised.value.reason == reason
    assert str(raised.value) == reason


# match: positions


def test_position_alone_is_taken_as_given():
    start, end = span(LETTER, "harvest", 1)
    found = match(Selector(start=start, end=end), LETTER)
    assert (found.start, found.end, found.exact, found.how) == (start, end, "harvest", POSITION)
    assert found.suffix == LETTER[end : end + 32]


def test_position_alone_out_of_range_is_refused_with_the_document_length():
    assert reason_of(Selector(start=120, end=140), "x" * 100) == (
        "The position 120–140 is outside the document, which has 100 characters."
    )


@pytest.mark.parametrize(
    ("selector", "reason"),
    [
        (Selector(), "Give the quoted text, its position (start and end), or both."),
        (Selector(start=3), "end is missing; give both the start and the end of the position, or neither."),
        (Selector(start="3", end=5), "The start of a position must be a whole number, not '3'."),
        (Selector(start=True, end=5), "The start of a position must be a whole number, not True."),
        (Selector(exact=" \n\u00a0"), "The quoted text is empty or only whitespace; select some text."),
        (Selector(exact=""), "The quoted text is empty or only whitespace; select some text."),
        (Selector(exact=5), "The exact of a quote must be text, not int."),
        (
            Selector(exact="harvest", start=6, end=2),
            "The position 6–2 ends before it starts: end (2) comes before start (6); swap them.",
        ),
    ],
)
def test_malformed_selectors_are_refused_with_a_reason(selector, reason):
    assert reason_of(selector) == reason


# match: quotes


def test_unique_quote_matches_exactly():
    found = match(Selector(exact="The rain came late"), LETTER)
    assert (found.start, found.end) == span(LETTER, "The rain came late")
    assert found.how == EXACT
    assert found.prefix == LETTER[found.start - 32 : found.start]


def test_quote_that_does_not_occur_is_refused():
    assert reason_of(Selector(exact="the drought")) == (
        "The quoted text “the drought” does not occur in this document."
    )


def test_long_missing_quote_is_shortened_in_the_reason():
    reason = reason_of(Selector(exact="word " * 40))
    assert reason.startswith("The quoted text “word word")
    assert "…”" in reason
    assert len(reason) < 120


def test_ambiguous_quote_without_context_is_refused_with_the_count():
    assert reason_of(Selector(exact="harvest was poor")) == (
        "The quote “harvest was poor” occurs 2 times in this document; "
        "add a prefix or suffix, or its position, to say which."
    )


def test_ambiguous_quote_is_resolved_by_prefix():
    found = match(Selector(exact="harvest was poor", prefix="and the "), LETTER)
    assert (found.start, found.end) == span(LETTER, "harvest was poor", 1)


def test_ambiguous_quote_is_resolved_by_suffix():
    found = match(Selector(exact="harvest was poor", suffix=" this year"), LETTER)
    assert (found.start, found.end) == span(LETTER, "harvest was poor", 0)


def test_longer_agreeing_context_wins_over_shorter():
    found = match(Selector(exact="harvest", prefix="write to you about the "), LETTER)
    assert (found.start, found.end) == span(LETTER, "harvest", 0)
    found = match(Selector(exact="harvest", prefix="The "), LETTER)
    assert (found.start, found.end) == span(LETTER, "harvest", 1)


def test_ambiguous_quote_is_resolved_by_nearness_to_the_position():
    start, end = span(LETTER, "harvest was poor", 1)
    found = match(Selector(exact="harvest was poor", start=start + 3, end=end + 3), LETTER)
    assert (found.start, found.end) == (start, end)
    assert found.how == EXACT


def test_context_that_fits_no_occurrence_better_leaves_the_quote_ambiguous():
    reason = reason_of(Selector(exact="harvest was poor", prefix="zzz", suffix="qqq"))
    assert "occurs 2 times" in reason


def test_position_agreeing_with_the_quote_is_used():
    start, end = span(LETTER, "harvest", 2)
    found = match(Selector(exact="harvest", start=start, end=end), LETTER)
    assert (found.start, found.end, found.how) == (start, end, POSITION)


def test_position_that_disagrees_with_the_quote_is_only_a_hint():
    start, end = span(LETTER, "The rain")
    found = match(Selector(exact="The rain", start=0, end=8), LETTER)
    assert (found.start, found.end, found.how) == (start, end, EXACT)


def test_missing_quote_with_position_says_what_the_position_holds():
    assert reason_of(Selector(exact="the drought", start=0, end=4)) == (
        "The quoted text “the drought” does not occur in this document; at 0–4 it reads “Dear”."
    )
    reason = reason_of(Selector(exact="the drought", start=500, end=510))
    assert reason.endswith(f"and the position 500–510 is outside it ({len(LETTER)} characters).")


def test_stale_position_out_of_range_does_not_stop_a_unique_quote():
    found = match(Selector(exact="The rain came", start=900, end=913), LETTER)
    assert (found.start, found.end) == span(LETTER, "The rain came")


def test_quote_keeps_astral_characters_as_single_code_points():
    text = f"Notes: {CLEF}{CLEF} and again {CLEF} at the end."
    found = match(Selector(exact=f"again {CLEF} at"), text)
    assert (found.start, found.end) == (text.index("again"), text.index("again") + 10)
    assert found.exact == text[found.start : found.end]


# match: whitespace as a browser's selection gives it


def test_space_in_quote_matches_non_breaking_space_in_text():
    found = match(Selector(exact="faithfully, J. Smith"), LETTER)
    assert found.exact == "faithfully,\u00a0J. Smith"
    assert found.how == NORMALISED


def test_non_breaking_space_in_quote_matches_space_in_text():
    found = match(Selector(exact="The\u00a0rain\u00a0came"), LETTER)
    assert (found.start, found.end) == span(LETTER, "The rain came")


def test_quote_across_passages_with_single_newline_matches_the_separator():
    quote = "this year.\nThe rain"
    found = match(Selector(exact=quote), LETTER)
    assert found.exact == "this year.\n\nThe rain"
    assert (found.start, found.end) == span(LETTER, "this year.\n\nThe rain")


@pytest.mark.parametrize("gap", [" ", "\n", "\n\n", "\n\n\n", " \n ", "\t"])
def test_quote_across_passages_matches_whatever_whitespace_joins_them(gap):
    found = match(Selector(exact=f"poor this year.{gap}The rain came late"), LETTER)
    assert found.exact == "poor this year.\n\nThe rain came late"


def test_runs_of_whitespace_in_the_text_match_one_space_in_the_quote():
    text = "First line.\n\n\n\nSecond   line with  gaps."
    found = match(Selector(exact="line. Second line with gaps"), text)
    assert found.exact == "line.\n\n\n\nSecond   line with  gaps"
    assert (found.start, found.end) == (6, len(text) - 1)


def test_whitespace_at_the_ends_of_a_quote_is_left_out_of_the_match():
    found = match(Selector(exact=" \n the harvest was poor in\u00a0"), LETTER)
    assert found.exact == "the harvest was poor in"
    assert (found.start, found.end) == span(LETTER, "the harvest was poor in")


def test_whitespace_at_the_ends_of_an_exact_quote_is_left_out_too():
    start, end = span(LETTER, " The harvest ")
    found = match(Selector(exact=" The harvest ", start=start, end=end), LETTER)
    assert (found.start, found.end, found.exact) == (start + 1, end - 1, "The harvest")


def test_exact_occurrence_is_preferred_to_one_differing_in_whitespace():
    text = "one\u00a0two three. Then one two three."
    found = match(Selector(exact="one two three", prefix="xyz"), text)
    assert (found.start, found.end, found.how) == (*span(text, "one two three"), EXACT)


def test_normalised_matches_are_disambiguated_by_context():
    text = "one two\n\nthree. Then one two three. And one\u00a0two three"
    quote = "one  two three"
    assert match(Selector(exact=quote, prefix="Then "), text).start == text.index("one two three")
    assert match(Selector(exact=quote, prefix="And "), text).exact == "one\u00a0two three"
    reason = reason_of(Selector(exact=quote), text)
    assert reason.startswith("The quote “one two three” occurs 3 times")


def test_decomposed_quote_matches_composed_text():
    text = "Un café noir, s'il vous plaît."
    found = match(Selector(exact="cafe\u0301 noir"), text)
    assert found.exact == "café noir"
    assert (found.start, found.end) == (3, 12)


# match: properties

ALPHABET = ["a", "b", "é", " ", NBSP, "\n\n", "\n", CLEF, "😀", "e" + COMBINING_ACUTE, COMBINING_ACUTE, "ab"]


@st.composite
def texts_and_ranges(draw, alphabet=ALPHABET):
    """A canonical-looking text and a range of it with something besides whitespace in it."""
    text = unicodedata.normalize("NFC", "".join(draw(st.lists(st.sampled_from(alphabet), min_size=1))))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    return text, start, end


def occurrences_with_context(text: str, found: Match) -> list[int]:
    return [
        i
        for i in range(len(text))
        if text.startswith(found.exact, i)
        and text[:i].endswith(found.prefix)
        and text[i + len(found.exact) :].startswith(found.suffix)
    ]


@given(texts_and_ranges())
@example((f"a\n\n{CLEF} b", 2, 5))
def test_describe_returns_the_range_trimmed_of_whitespace(case):
    text, start, end = case
    found = describe(text, start, end)
    assert found.exact == text[start:end].strip() == text[found.start : found.end]
    assert start <= found.start < found.end <= end
    assert found.prefix == text[max(0, found.start - 32) : found.start]
    assert found.suffix == text[found.end : found.end + 32]


@given(texts_and_ranges())
def test_position_alone_matches_the_described_range(case):
    text, start, end = case
    found = match(Selector(start=start, end=end), text)
    assert found == describe(text, start, end)
    if not (text[start].isspace() or text[end - 1].isspace()):
        assert (found.start, found.end) == (start, end)


@given(texts_and_ranges())
@example(("ab ab ab", 3, 5))
def test_quote_with_context_matches_where_it_was_described(case):
    text, start, end = case
    described = describe(text, start, end)
    selector = Selector(exact=described.exact, prefix=described.prefix, suffix=described.suffix)
    if len(occurrences_with_context(text, described)) == 1:
        found = match(selector, text)
        assert (found.start, found.end) == (described.start, described.end)
    else:
        try:
            found = match(selector, text)
        except AnchoringError as error:
            assert "occurs" in error.reason
        else:
            assert text[found.start : found.end] == described.exact


@given(texts_and_ranges())
def test_quote_with_context_and_position_always_matches_where_it_was_described(case):
    text, start, end = case
    described = describe(text, start, end)
    selector = Selector(
        exact=described.exact,
        prefix=described.prefix,
        suffix=described.suffix,
        start=described.start,
        end=described.end,
    )
    assert match(selector, text) == described


@given(texts_and_ranges(), st.data())
def test_quote_with_whitespace_changed_matches_where_it_was_described(case, data):
    """As a browser's selection may give it: other whitespace, more or less of it, some at the ends."""
    text, start, end = case
    described = describe(text, start, end)
    parts = described.exact.split()
    spaces = st.sampled_from([" ", "\n", "\n\n", NBSP, " \n "])
    joined = "".join(part + data.draw(spaces) for part in parts[:-1]) + parts[-1]
    quote = data.draw(st.sampled_from(["", " ", "\n"])) + joined + data.draw(st.sampled_from(["", " ", NBSP]))
    selector = Selector(
        exact=quote,
        prefix=described.prefix,
        suffix=described.suffix,
        start=described.start,
        end=described.end,
    )
    found = match(selector, text)
    if (found.start, found.end) != (described.start, described.end):
        assert found.how == EXACT
        assert found.exact == unicodedata.normalize("NFC", quote).strip() or found.exact == quote.strip()


# reanchor


def test_reanchor_keeps_an_annotation_on_unchanged_text():
    annotation = stored(LETTER, "harvest was poor", 1)
    found = reanchor(**annotation, old_text=LETTER, new_text=LETTER)
    assert (found.start, found.end, found.how) == (annotation["start"], annotation["end"], POSITION)


def test_reanchor_without_old_text_keeps_a_position_that_still_holds_the_quote():
    annotation = stored(LETTER, "The rain")
    found = reanchor(**annotation, old_text=None, new_text=LETTER)
    assert (found.start, found.end) == (annotation["start"], annotation["end"])


def test_insertion_before_the_quote_shifts_it():
    annotation = stored(LETTER, "harvest was poor", 1)
    new_text = LETTER.replace("Dear Sir,", "Dear Sir or Madam,")
    found = reanchor(**annotation, old_text=LETTER, new_text=new_text)
    assert (found.start, found.end) == (annotation["start"] + 9, annotation["end"] + 9)
    assert found.exact == "harvest was poor"


def test_insertion_of_the_same_words_before_the_quote_still_finds_the_annotated_one():
    annotation = stored(LETTER, "harvest was poor", 1)
    new_text = LETTER.replace("The rain came late", "The harvest was poor. The rain came late")
    found = reanchor(**annotation, old_text=LETTER, new_text=new_text)
    start = new_text.index("harvest was poor in every")
    assert (found.start, found.end) == (start, start + len("harvest was poor"))


def test_without_old_text_a_moved_quote_is_found_by_its_context():
    annotation = stored(LETTER, "harvest was poor", 1)
    new_text = "Postscript first.\n\n" + LETTER
    found = reanchor(**annotation, old_text=None, new_text=new_text)
    assert found.start == span(new_text, "harvest was poor", 1)[0]
    assert found.how == EXACT


def test_small_edit_inside_the_quote_reanchors_approximately():
    annotation = stored(LETTER, "The rain came late, and the harvest")
    new_text = LETTER.replace("The rain came late", "The rains came late")
    found = reanchor(**annotation, old_text=LETTER, new_text=new_text)
    assert found.exact == "The rains came late, and the harvest"
    assert found.how == FUZZY
    assert (found.start, found.end) == span(new_text, found.exact)


def test_small_edit_inside_the_quote_reanchors_without_old_text():
    annotation = stored(LETTER, "I write to you about the harvest")
    new_text = LETTER.replace("I write to you", "I wrote to you")
    found = reanchor(**annotation, old_text=None, new_text=new_text)
    assert found.exact == "I wrote to you about the harvest"
    assert found.how == FUZZY


def test_whitespace_change_inside_the_quote_reanchors():
    annotation = stored(LETTER, "faithfully,\u00a0J. Smith")
    new_text = LETTER.replace("faithfully,\u00a0J.", "faithfully, J.")
    found = reanchor(**annotation, old_text=LETTER, new_text=new_text)
    assert (found.exact, found.how) == ("faithfully, J. Smith", NORMALISED)


def test_deleted_quote_is_orphaned():
    annotation = stored(LETTER, "The rain came late")
    new_text = LETTER.replace("The rain came late, and t", "T")
    assert reanchor(**annotation, old_text=LETTER, new_text=new_text) is None


def test_rewritten_quote_is_orphaned_rather_than_guessed():
    annotation = stored(LETTER, "The rain came late")
    new_text = LETTER.replace("The rain came late", "Snow fell early")
    assert reanchor(**annotation, old_text=LETTER, new_text=new_text) is None


def test_short_quote_surviving_only_elsewhere_without_its_context_is_orphaned():
    text = "Alpha. The cat sat on the mat.\n\nBeta. A dog barked."
    annotation = stored(text, "cat")
    new_text = "Alpha. The horse slept.\n\nBeta. A dog barked. cat food"
    assert reanchor(**annotation, old_text=text, new_text=new_text) is None


def test_quote_duplicated_after_the_edit_is_told_apart_by_context():
    text = "Minutes of the meeting.\n\nThe motion was carried unanimously by the members."
    annotation = stored(text, "The motion was carried")
    new_text = (
        "Minutes of the meeting. An earlier note: The motion was carried over to May.\n\n"
        "The motion was carried unanimously by the members."
    )
    found = reanchor(**annotation, old_text=text, new_text=new_text)
    assert (found.start, found.end) == span(new_text, "The motion was carried", 1)
    found = reanchor(**annotation, old_text=None, new_text=new_text)
    assert (found.start, found.end) == span(new_text, "The motion was carried", 1)


def test_quote_duplicated_with_identical_context_is_orphaned_without_a_position():
    text = "Intro. Same words here. End."
    annotation = stored(text, "Same words") | {"start": None, "end": None}
    new_text = "Intro. Same words here. End.\n\nIntro. Same words here. End."
    assert reanchor(**annotation, old_text=text, new_text=new_text) is None


def numbered_passages(count: int) -> list[str]:
    """Passages told apart by more than their numbers, as prose is."""
    words = ["harvest", "rain", "county", "letter", "mill", "river", "parish", "rent", "wool", "road"]
    return [
        f"Passage {n} mentions the {words[n % 10]} and the {words[n // 10 % 10]} near {words[n * 7 % 10]}."
        for n in range(count)
    ]


def test_edits_earlier_in_a_long_document_move_the_approximate_search_with_them():
    passages = numbered_passages(300)
    old_text = "\n\n".join(passages)
    annotation = stored(old_text, passages[250][:-1])
    passages[10] = "A much longer rewritten passage. " * 200
    passages[250] = passages[250].replace("mentions", "mentioned")
    new_text = "\n\n".join(passages)
    found = reanchor(**annotation, old_text=old_text, new_text=new_text)
    assert found.exact == passages[250][:-1]
    assert found.how == FUZZY


def test_approximate_match_is_refused_when_a_neighbour_fits_as_well():
    passages = [f"Passage {n} says the same thing as its neighbours do." for n in range(200)]
    old_text = "\n\n".join(passages)
    annotation = stored(old_text, "Passage 150 says the same thing")
    new_text = old_text.replace("Passage 150 says", "Passage 150 said")
    assert reanchor(**annotation, old_text=None, new_text=new_text) is None


def test_neighbours_the_edit_left_unchanged_are_never_taken_for_the_edited_quote():
    """Knowing the edit, the neighbours are words that were there before and were not the quote."""
    passages = [f"Passage {n} says the same thing as its neighbours do." for n in range(200)]
    old_text = "\n\n".join(passages)
    annotation = stored(old_text, "Passage 150 says the same thing")
    new_text = old_text.replace("Passage 150 says", "Passage 150 said")

    found = reanchor(**annotation, old_text=old_text, new_text=new_text)

    assert found.exact == "Passage 150 said the same thing"
    assert found.start == annotation["start"]


def test_whitespace_trimmed_off_an_approximate_match_counts_against_it():
    text = "aaaaaaaaa" + "\n" * 8 + "a"
    annotation = stored(text, text)
    new_text = text[:-2]
    assert annotation["exact"] == text
    assert reanchor(**annotation, old_text=text, new_text=new_text) is None


def test_empty_stored_quote_is_orphaned():
    assert reanchor(exact="", prefix="", suffix="", start=0, end=3, old_text=None, new_text="abc") is None


@given(texts_and_ranges())
def test_reanchor_on_unchanged_text_keeps_the_range(case):
    text, start, end = case
    annotation = describe(text, start, end)
    found = reanchor(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
        old_text=text,
        new_text=text,
    )
    assert found == annotation


@given(texts_and_ranges(), st.data())
def test_insertion_before_a_quote_shifts_it_by_the_insertion(case, data):
    text, start, end = case
    annotation = describe(text, start, end)
    at = data.draw(st.integers(0, annotation.start))
    inserted = data.draw(st.text("§¶✎", min_size=1))
    new_text = text[:at] + inserted + text[at:]
    found = reanchor(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
        old_text=text,
        new_text=new_text,
    )
    assert (found.start, found.end) == (annotation.start + len(inserted), annotation.end + len(inserted))


@given(texts_and_ranges(["a", "b", "c", " ", "\n\n", "ab", "ba"]), st.data())
def test_reanchor_never_answers_a_quote_much_unlike_the_annotated_one(case, data):
    """Whatever the edit, a re-anchored quote is at least FUZZY_SIMILARITY alike the annotated one."""
    text, start, end = case
    annotation = describe(text, start, end)
    cut_start = data.draw(st.integers(0, len(text)))
    cut_end = data.draw(st.integers(cut_start, len(text)))
    new_text = text[:cut_start] + data.draw(st.text("abc \n", max_size=5)) + text[cut_end:]
    found = reanchor(
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
        old_text=text,
        new_text=new_text,
    )
    if found is None:
        return
    assert found.exact == new_text[found.start : found.end]
    if found.how == FUZZY:
        assert levenshtein(annotation.exact, found.exact) <= len(annotation.exact) * (1 - FUZZY_SIMILARITY)
    else:
        assert found.exact.split() == annotation.exact.split()
