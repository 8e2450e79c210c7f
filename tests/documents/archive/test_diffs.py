"""Word-level diffs for people (documents.archive.diffs): what is kept around a change, and where cut."""

from documents.archive.diffs import ADDED, REMOVED, SAME, Chunk, condensed, word_diff

WORDS = " ".join(f"word{n:03}" for n in range(60))


def test_context_is_cut_at_word_boundaries_with_an_ellipsis():
    shown = condensed([Chunk(ADDED, "New"), Chunk(SAME, f" {WORDS} "), Chunk(REMOVED, "Old")], context=30)

    middle = shown[1].text
    head, tail = middle.split("…")
    assert head.split() == WORDS.split()[: len(head.split())]
    assert tail.split() == WORDS.split()[-len(tail.split()) :]
    assert head.endswith(" ") and tail.startswith(" ")
    assert 0 < len(head) <= 31 and 0 < len(tail) <= 31


def test_context_stops_at_the_end_of_the_changed_passage():
    before = "The first passage ends here."
    after = "The last passage starts here and goes on."
    same = f" {before}\n\n{WORDS}\n\n{WORDS}\n\n{after}"

    shown = condensed([Chunk(ADDED, "Inserted."), Chunk(SAME, same), Chunk(ADDED, " More.")], context=80)

    assert shown[1].text == f" {before}\n\n…\n\n{after}"


def test_a_word_longer_than_the_context_is_left_out_whole():
    long_word = "x" * 200
    shown = condensed([Chunk(ADDED, "a"), Chunk(SAME, f" {long_word} "), Chunk(ADDED, "b")], context=30)

    assert shown[1].text.strip() == "…"


def test_the_first_and_last_runs_keep_only_the_side_next_to_a_change():
    old = f"{WORDS}. Changed. {WORDS}"
    new = f"{WORDS}. Altered. {WORDS}"

    first, *_, last = condensed(word_diff(old, new), context=30)

    assert first.text.startswith("… ") and first.text.endswith("word059. ")
    assert last.text.startswith(". word000") and last.text.endswith(" …")
