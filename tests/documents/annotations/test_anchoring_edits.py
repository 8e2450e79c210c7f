"""Properties of re-anchoring after the edits curators make (docs/curators.md, "Revisions"), with
hypothesis."""

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from documents.annotations.anchoring import describe, reanchor

WORDS = ["the", "court", "treaty", "we", "support", "may", "might", "be", "mosaic", "shattered", "of", "a"]


@st.composite
def documents_with_a_quote(draw):
    """A text of words and passages, and a quote of whole words in it (as ``describe`` records it)."""
    passages = draw(
        st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=6)
    )
    text = "\n\n".join(" ".join(words) for words in passages)
    spans = [word.span() for word in re.finditer(r"\S+", text)]
    first = draw(st.integers(0, len(spans) - 1))
    last = draw(st.integers(first, min(len(spans) - 1, first + 5)))
    start, end = spans[first][0], spans[last][1]
    assume("\n\n" not in text[start:end])
    return text, describe(text, start, end)


def again(quote, old_text, new_text):
    return reanchor(
        exact=quote.exact,
        prefix=quote.prefix,
        suffix=quote.suffix,
        start=quote.start,
        end=quote.end,
        old_text=old_text,
        new_text=new_text,
    )


# Edited text is marked with characters the texts never hold, so an edit cannot make or unmake words.
EDIT_TEXT = st.text("§¶✎ ", max_size=12)


@settings(max_examples=300)
@given(documents_with_a_quote(), st.data())
def test_an_edit_that_does_not_touch_a_quote_keeps_it_on_the_same_words(case, data):
    text, quote = case
    before = data.draw(st.booleans())
    if before:
        cut_start = data.draw(st.integers(0, max(0, quote.start - 1)))
        cut_end = data.draw(st.integers(cut_start, max(cut_start, quote.start - 1)))
    else:
        cut_start = data.draw(st.integers(min(len(text), quote.end + 1), len(text)))
        cut_end = data.draw(st.integers(cut_start, len(text)))
    replacement = data.draw(EDIT_TEXT)
    assume(cut_end > cut_start or replacement)
    new_text = text[:cut_start] + replacement + text[cut_end:]
    shift = len(replacement) - (cut_end - cut_start) if before else 0

    found = again(quote, text, new_text)

    assert found is not None
    assert (found.start, found.end, found.exact) == (quote.start + shift, quote.end + shift, quote.exact)


@settings(max_examples=300)
@given(documents_with_a_quote(), st.data())
def test_an_insertion_anywhere_outside_the_quote_shifts_offsets_exactly(case, data):
    text, quote = case
    at = data.draw(st.one_of(st.integers(0, quote.start), st.integers(quote.end, len(text))))
    inserted = data.draw(st.text("§¶✎", min_size=1, max_size=12))
    new_text = text[:at] + inserted + text[at:]
    shift = len(inserted) if at <= quote.start else 0

    found = again(quote, text, new_text)

    assert (found.start, found.end) == (quote.start + shift, quote.end + shift)
    assert new_text[found.start : found.end] == quote.exact


@settings(max_examples=300)
@given(documents_with_a_quote())
def test_deleting_the_quoted_words_never_anchors_the_note_on_other_words(case):
    text, quote = case
    new_text = text[: quote.start] + text[quote.end :]

    found = again(quote, text, new_text)

    assert found is None or found.exact.split() == quote.exact.split()


def test_a_deletion_in_repeated_words_before_a_quote_keeps_it_where_either_reading_leaves_it_untouched():
    # Deleting one of two "we be " before "we of" can be read as deleting characters 0-6 or 6-12,
    # or, matching the longest common beginning first, 9-15, which would cut into the quote (found
    # by Hypothesis). Any reading that leaves the quote untouched says where it went.
    old_text, new_text = "we be we be we of", "we be we of"
    found = reanchor(
        exact="we of",
        prefix="we be we be ",
        suffix="",
        start=12,
        end=17,
        old_text=old_text,
        new_text=new_text,
    )
    assert found is not None
    assert (found.start, found.end, found.how) == (6, 11, "position")


def test_an_insertion_in_repeated_words_after_a_quote_keeps_it_in_place():
    old_text, new_text = "we of we be", "we of we be we be"
    found = reanchor(
        exact="we of", prefix="", suffix=" we be", start=0, end=5, old_text=old_text, new_text=new_text
    )
    assert (found.start, found.end, found.how) == (0, 5, "position")
