"""The browser's ES modules: pages load entry modules only, and every module is reached.

A page names only its entry modules in a <script type="module">; the rest are imported
(docs/architecture.md, "Layout"). A module no entry reaches is dead code, and an entry that another module
imports would run twice over (once by name, once as a dependency) in a reader's head.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "documents" / "static" / "documents" / "js"
TEMPLATES = [*ROOT.glob("*/templates/**/*.html")]
SCRIPT = re.compile(r"<script\b([^>]*)>")
STATIC_JS = re.compile(r"""src="\{% static '(documents/js/[\w-]+\.js)' %\}\"""")
IMPORT = re.compile(r"""\bfrom\s*["']\./([\w-]+\.js)["']""")


def script_tags() -> list[str]:
    return [attrs for template in TEMPLATES for attrs in SCRIPT.findall(template.read_text())]


def entries() -> set[str]:
    return {Path(STATIC_JS.search(attrs).group(1)).name for attrs in script_tags()}


def imports(name: str) -> set[str]:
    return set(IMPORT.findall((JS / name).read_text()))


def test_every_script_is_an_external_module_from_our_static_files():
    tags = script_tags()
    assert tags
    for attrs in tags:
        assert 'type="module"' in attrs, attrs
        assert STATIC_JS.search(attrs), attrs


def test_every_module_is_reached_from_an_entry_and_no_entry_is_imported():
    reached, todo = set(), list(entries())
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(imports(name))
    assert reached == {path.name for path in JS.glob("*.js")}
    imported = set().union(*(imports(path.name) for path in JS.glob("*.js")))
    assert not imported & entries()
