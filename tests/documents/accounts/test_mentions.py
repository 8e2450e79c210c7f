"""Who a comment mentions: the pure parser of ``@username`` (docs/reading-and-annotating.md,
"Notifications")."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.accounts.mentions import MAX_MENTIONS, mentioned_usernames


@pytest.mark.parametrize(
    ("comment", "names"),
    [
        ("@ann, what do you make of this?", ["ann"]),
        ("Thanks, @bob.", ["bob"]),
        ("(@ann) and @bob!", ["ann", "bob"]),
        ("@a.b.c @x-y+z_1", ["a.b.c", "x-y+z_1"]),
        ("*@em* and **@strong**", ["em", "strong"]),
        ("[@ann](https://example.org/@bob)", ["ann"]),
        ("@zoë", ["zoë"]),
        ("@bob and @bob again", ["bob"]),
        ("line one\n@bob on line two", ["bob"]),
    ],
)
def test_mentions_are_found_in_prose(comment, names):
    assert mentioned_usernames(comment) == names


@pytest.mark.parametrize(
    "comment",
    [
        "Write to ann@example.org",
        "@bob@example.org is an address",
        "`@ann` is code",
        "```\n@ann in a fence\n```",
        "    @ann in an indented code block",
        "\\@ann is escaped",
        "a path /@ann",
        "https://example.org/@ann",
        "@ alone",
        "",
    ],
)
def test_addresses_code_and_escapes_mention_nobody(comment):
    assert mentioned_usernames(comment) == []


def test_one_comment_names_at_most_the_limit():
    comment = " ".join(f"@reader{n}" for n in range(MAX_MENTIONS + 5))

    assert mentioned_usernames(comment) == [f"reader{n}" for n in range(MAX_MENTIONS)]


@given(st.text(alphabet=st.sampled_from("ab.+-_@ `*\\/\n(")))
def test_every_name_found_is_written_after_an_at_sign_and_is_a_username(comment):
    for name in mentioned_usernames(comment):
        assert re.fullmatch(r"[\w.+-]+", name)
        assert not name.endswith(".")
        assert "@" + name in comment


@given(st.text(alphabet=st.sampled_from("ab.@ *_"), min_size=1))
def test_nothing_inside_a_code_span_is_a_mention(inside):
    assert mentioned_usernames(f"See `{inside}` here") == []
