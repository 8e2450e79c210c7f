"""Who a comment mentions: ``@username`` in the Markdown a reader wrote (pure, no ORM).

The rules (docs/reading-and-annotating.md, "Notifications"):

- A mention is ``@`` followed by a username's characters as Django allows them
  (letters, digits and ``_ . + -``; ``@``, allowed in usernames, is not, so
  ``@bob@example.org`` is no mention and such usernames cannot be mentioned).
- The ``@`` starts the text or follows a space, an opening bracket or quote, or
  punctuation that ends a word, so an e-mail address (``ann@example.org``), a
  path (``/@bob``) or an escaped ``\\@bob`` mentions nobody.
- Only what renders as prose counts: the comment is read by the same
  CommonMark parser as ``sanitise.py`` and code spans, code blocks and link
  targets are skipped; a link's text is prose.
- A name's trailing dots are sentence punctuation ("thanks, @bob.").
- Each name counts once, in the order first written, at most ``MAX_MENTIONS``.

What a mention does (a notification, to a reader who may see the note) is the
services' concern (``documents.accounts.notifications``).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

MAX_MENTIONS = 20
"""At most this many names are taken from one comment; a longer list is not a conversation."""

USERNAME_MAX_LENGTH = 150  # django.contrib.auth's username field

_MENTION = re.compile(
    r"(?:^|(?<=[\s(\[{<\"'“‘«*_~>,;:!?]))@([\w.+-]{1," + str(USERNAME_MAX_LENGTH) + r"})(?![\w.+@-])"
)

# As sanitise.py's parser, but escapes stay apart from the text around them (no "text_join").
_parser = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    .enable(["table", "strikethrough"])
    .disable("text_join")
)


def _prose(source: str) -> list[str]:
    """The runs of prose text in ``source``, each as one string, without code or link targets."""
    runs: list[str] = []
    for token in _parser.parse(source):
        if token.type != "inline":
            continue  # code blocks and fences are block tokens with no inline children
        run = []
        for child in token.children or []:
            if child.type == "text":
                run.append(child.content)
            elif child.type == "text_special":
                # A backslash escape: kept with its backslash, so "\\@bob" is no mention.
                run.append("\\" + child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                run.append("\n")
            else:
                # A code span, or markup between texts: it separates words as a space would.
                runs.append("".join(run))
                run = []
                if child.type == "code_inline":
                    continue
        runs.append("".join(run))
    return [run for run in runs if "@" in run]


def mentioned_usernames(source: str) -> list[str]:
    """The usernames ``source`` (a comment's Markdown) mentions, each once, in order of first mention."""
    if not source or "@" not in source:
        return []
    names: list[str] = []
    for run in _prose(source):
        for match in _MENTION.finditer(run):
            name = match.group(1).rstrip(".")
            if name and name not in names:
                names.append(name)
                if len(names) == MAX_MENTIONS:
                    return names
    return names
