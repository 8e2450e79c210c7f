"""Every rule of our stylesheets reaches the browser: an unclosed rule drops all that follows it
without an error anywhere, so the structure is checked here and what it styles in
``tests/browser/test_search.py``."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "documents" / "static"
STYLESHEETS = sorted(p for p in STATIC.rglob("*.css") if "vendor" not in p.parts)
# Blocks whose bodies are rules rather than declarations.
GROUPING = re.compile(r"@(media|supports|container|layer|document|(-\w+-)?keyframes)\b")


def blocks(css: str):
    """Each ``{`` with its nesting depth and the text before it since the last block boundary."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', css)
    depth, start, stack = 0, 0, []
    for index, char in enumerate(css):
        if char == "{":
            prelude = css[start:index].strip()
            yield depth, prelude, [GROUPING.match(p) is not None for p in stack]
            stack.append(prelude)
            depth += 1
            start = index + 1
        elif char == "}":
            assert depth > 0, f"a '}}' closes nothing near {css[max(0, index - 60) : index]!r}"
            depth -= 1
            stack.pop()
            start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1
    assert depth == 0, f"{depth} rule(s) left open: {stack}"


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_rule_is_closed_before_the_next_begins(path):
    for depth, prelude, parents in blocks(path.read_text(encoding="utf-8")):
        assert all(parents), (
            f"{path.name}: {prelude!r} opens inside a rule that was never closed ({depth} deep)"
        )
