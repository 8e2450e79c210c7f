"""Benchmarks: `make bench`. Times the pages and API calls that grow with annotations.

Builds a throwaway SQLite database under var/ (or uses DATABASE_URL), fills a
document with annotations, and measures median wall-clock times and query
counts through Django's test client. Results go to var/bench-results.txt.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.test_settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.corpus import generated_text  # noqa: E402
from documents.annotations import (  # noqa: E402
    anchoring,
    text_changes,
)
from documents.models import Annotation, Document  # noqa: E402

REPEATS = 15
SIZES = (0, 200, 1000)
RESULTS = ROOT / "var" / "bench-results.txt"


def measure(label: str, action) -> str:
    action()  # warm caches and templates
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        action()
    median, p90 = statistics.median(times), sorted(times)[int(REPEATS * 0.9)]
    return f"{label:<58} median {median:7.1f} ms  p90 {p90:7.1f} ms  {len(queries):3d} queries"


def fill(document: Document, author, count: int) -> None:
    Annotation.objects.filter(document=document).delete()
    text = document.canonical_text
    rows = []
    for n in range(count):
        start = (n * 37) % max(1, len(text) - 40)
        rows.append(
            Annotation(
                document=document,
                author=author,
                visibility="public",
                start=start,
                end=start + 20,
                exact=text[start : start + 20],
                comment=f"Note {n}",
                comment_html=f"<p>Note {n}</p>",
            )
        )
    Annotation.objects.bulk_create(rows)


def reanchor_large(author, count: int = 5000, size: int = 500_000) -> str:
    """A curator's edit of a 500 KB text carrying 5,000 annotations, through text_changes.save_document:
    the revision, the re-anchoring and its writes. Timed once, then once more under tracemalloc."""
    text = generated_text(size, seed=3)
    Document.objects.filter(slug="bench-large").delete()
    document = Document(slug="bench-large", title="Large", status="published", text=text)
    text_changes.save_document(document)
    rng = random.Random(5)
    rows = []
    for n in range(count):
        start = rng.randrange(0, len(text) - 60)
        while not text[start].isalpha():
            start += 1
        found = anchoring.describe(text, start, start + rng.randint(15, 50))
        rows.append(
            Annotation(
                document=document,
                author=author,
                start=found.start,
                end=found.end,
                exact=found.exact,
                prefix=found.prefix,
                suffix=found.suffix,
                comment=f"Note {n}",
            )
        )
    Annotation.objects.bulk_create(rows, batch_size=500)

    def edit(piece: str):
        current = Document.objects.get(pk=document.pk)
        middle = len(current.text) // 2
        current.text = (
            current.text[:1000] + piece + current.text[1000:middle] + "x" + current.text[middle + 1 :]
        )
        return text_changes.save_document(current)

    started = time.perf_counter()
    report = edit("\n\nA paragraph a curator added.\n\n")
    seconds = time.perf_counter() - started
    tracemalloc.start()
    edit("\n\nAnother paragraph.\n\n")
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return (
        f"save_document: {count:,} annotations on {size // 1000} KB re-anchored after an edit "
        f"in {seconds:.2f} s, peak {peak:.0f} MB ({report.summary()})"
    )


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    author, _ = get_user_model().objects.get_or_create(username="bench-author")
    passages = "\n\n".join(
        f"Passage {n}: " + "The quick brown fox jumps over the lazy dog. " * 6 for n in range(300)
    )
    document = Document.objects.filter(slug="bench-document").first() or Document(
        slug="bench-document", title="Benchmark", status="published"
    )
    document.text = passages
    text_changes.save_document(document)
    client = Client()
    lines = [
        f"Benchmarks on {connection.vendor}, {REPEATS} runs each, "
        f"{len(document.canonical_text):,} characters of text"
    ]
    for size in SIZES:
        fill(document, author, size)
        reset_queries()
        lines.append(
            measure(f"reading view, {size} annotations", lambda: client.get("/documents/bench-document/"))
        )
        lines.append(
            measure(
                f"API document container, {size} annotations (page of 50)",
                lambda: client.get("/api/documents/bench-document/annotations/"),
            )
        )
    big = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18_000)[
        :1_000_000
    ] + " unique words here"
    selector = anchoring.Selector(exact="unique words here")
    lines.append(
        measure("anchoring a unique quote in 1,000,000 characters", lambda: anchoring.match(selector, big))
    )
    lines.append(reanchor_large(author))
    output = "\n".join(lines) + "\n"
    RESULTS.write_text(output)
    print(output, end="")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
