"""Production static files: collectstatic succeeds and every ES module imports hashed names."""

import fcntl
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

JS = Path(__file__).resolve().parents[2] / "documents" / "static" / "documents" / "js"
# Loose on purpose: an import Django's manifest storage fails to rewrite (one without its
# semicolon, say) is still found here, and then fails for not being hashed.
RELATIVE_IMPORT = re.compile(r"""\bfrom\s*["'](\./[^"']+)["']""")
HASHED = re.compile(r"\./[\w-]+\.[0-9a-f]{12}\.js")


def collect(root: Path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "archive_site.storage.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="module")
def collected(tmp_path_factory, worker_id):
    """One production collectstatic for the whole run, read by every test here and changed by none.

    Hashing and compressing every file is the suite's most expensive setup, so under
    ``pytest -n`` the first worker to need it collects into the run's shared temporary
    directory, under a lock, and the others read that copy.
    """
    if worker_id == "master":
        root = tmp_path_factory.mktemp("static")
        collect(root)
        return root
    root = tmp_path_factory.getbasetemp().parent / "static"
    done = root / ".collected"
    with open(root.with_name("static.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            collect(root)
            done.touch()
    return root


def hashed_copy(root: Path, source: Path) -> Path:
    candidates = (root / "documents" / "js").glob(f"{source.stem}.*.js")
    [copy] = [path for path in candidates if HASHED.fullmatch(f"./{path.name}")]
    return copy


def test_collectstatic_hashes_files_and_module_imports(collected):
    [annotator] = [p for p in (collected / "documents" / "js").glob("annotator.*.js") if p.suffix == ".js"]
    imports = re.findall(r'from "(\./[^"]+)"', annotator.read_text())
    assert imports
    assert all(re.fullmatch(r"\./[\w-]+\.[0-9a-f]{12}\.js", name) for name in imports), imports
    assert list((collected / "documents" / "css").glob("archive.*.css"))


def test_every_module_imports_the_hashed_names_of_modules_that_exist(collected):
    modules = sorted(JS.glob("*.js"))
    assert len(modules) > 1
    for source in modules:
        expected = RELATIVE_IMPORT.findall(source.read_text())
        copy = hashed_copy(collected, source)
        imports = RELATIVE_IMPORT.findall(copy.read_text())
        assert len(imports) == len(expected), (source.name, imports)
        for name in imports:
            assert HASHED.fullmatch(name), (source.name, name)
            assert (copy.parent / name).is_file(), (source.name, name)
