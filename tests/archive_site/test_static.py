"""Production static files: collectstatic succeeds and the annotator's modules import hashed names."""

import re

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_hashes_files_and_module_imports(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "archive_site.storage.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)

    [annotator] = [p for p in (tmp_path / "documents" / "js").glob("annotator.*.js") if p.suffix == ".js"]
    imports = re.findall(r'from "(\./[^"]+)"', annotator.read_text())
    assert imports
    assert all(re.fullmatch(r"\./[\w-]+\.[0-9a-f]{12}\.js", name) for name in imports), imports
    assert list((tmp_path / "documents" / "css").glob("archive.*.css"))
