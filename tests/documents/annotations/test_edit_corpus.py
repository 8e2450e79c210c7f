"""The edit corpus (bench/corpus.py) as ordinary tests: every annotation ends where the edit put its
words, or orphaned when the edit removed them; never on other words. `make bench` times the same
cases against two other methods."""

import pytest

from bench import corpus
from bench.reanchoring import exact_only, judge, ours

CASES = corpus.cases(sizes=(20_000,), per_text=4)


def test_the_corpus_covers_every_kind_of_edit_on_seed_and_generated_texts():
    kinds = {case.kind for case in CASES}
    texts = {case.name.split(":")[0] for case in CASES}

    assert kinds == set(corpus.EDITS)
    assert "generated-20kb" in texts
    assert len(texts) >= 3


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_annotation_follows_its_words_or_is_orphaned(case):
    verdicts = [judge(note, ours(note, case.old_text, case.new_text)) for note in case.notes]

    assert verdicts == ["correct"] * len(case.notes)


def test_the_judge_counts_a_deleted_quote_placed_elsewhere_as_wrongly_placed():
    case = next(case for case in CASES if case.kind == "quoted passage deleted")
    note = case.notes[0]

    assert judge(note, (0, 5)) == "wrongly_placed"
    assert judge(note, None) == "correct"


def test_the_exact_only_baseline_orphans_a_corrected_typo():
    case = next(case for case in CASES if case.kind == "typo fixed inside the quote")
    note = case.notes[0]

    assert judge(note, exact_only(note, case.old_text, case.new_text)) == "wrongly_orphaned"
