"""Search benchmark, part of `make bench` (docs/search.md, "How search works").

Seeds a demo archive with `seed_demo` (sizes from the environment: BENCH_DOCUMENTS,
BENCH_ANNOTATIONS, BENCH_USERS, BENCH_SEED), then times `documents.search.query.search`
over rotating queries against a plain `icontains` search of the same documents and
annotations (count plus the first page of each, as the search does), side by side in
the same run, for an anonymous reader and for a logged-in scholar. Also checks that
the search page runs the same number of queries for few hits and for many.
Uses var/bench-search.sqlite3, or DATABASE_URL. Results go to var/bench-search-results.txt.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.test_settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-search.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from documents.importing import demo as demo_data  # noqa: E402
from documents.models import Annotation, Document  # noqa: E402
from documents.search import query as search  # noqa: E402
from documents.search import ranking  # noqa: E402
from documents.search import syntax as search_syntax  # noqa: E402

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "2000"))
ANNOTATIONS = int(os.environ.get("BENCH_ANNOTATIONS", "20000"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
RESULTS = ROOT / "var" / "bench-search-results.txt"

QUERIES = [
    "jurisdiction",
    "tribunal",
    "harbour",
    "treaty",
    "weavers",
    "petition",
    "grain tariff",
    "coal mines",
    '"freedom of the press"',
    '"price of bread"',
    "shipwreck inquiry",
    "extradition merchants",
    "sovereignty islands",
    "immunity envoys",
    "census",
    "pension widows",
    "prisons reform",
    "canal",
    "ratified",
    "postponed",
    "bitter discussion",
    "narrow majority",
    "under protest",
    "witnesses",
    "treasury accounts",
    "forests",
    "fisheries -harbour",
    "railway OR canal",
    "bishop",
    "ambassador",
    '"law of nations"',
    "economy",
    "consent minority",
    "counsel advice",
    "resolution",
    "capital instructions",
    "contradicts governor",
    "careful wording",
    "translation French",
    "key sentence",
    "newspaper",
    "principle immunity",
    "weak argument",
    "court cited",
    "drafted paragraph",
    "crowd waited",
]
# Rare words, as most of a real archive's words are: made-up names the demo text uses.
QUERIES += [demo_data.proper_name(n * 97 % demo_data.NAMES) for n in range(1, 21)]
QUERIES += [f"treaty {demo_data.proper_name(n * 131 % demo_data.NAMES)}" for n in range(1, 7)]


def icontains(text: str, user, page_size: int = ranking.PAGE_SIZE):
    """The plain search a site without an index would run: every word in any field, newest first."""
    words = [word for term in search_syntax.parse(text).groups for t in term for word in t.words]
    documents = Document.objects.visible_to(user)
    notes = Annotation.objects.visible_to(user)
    for word in words:
        documents = documents.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(text__icontains=word)
        )
        notes = notes.filter(Q(comment__icontains=word) | Q(exact__icontains=word))
    return (
        documents.count(),
        list(documents.defer("text").order_by("-date", "pk")[:page_size]),
        notes.count(),
        list(
            notes.select_related("author", "document")
            .defer("document__text")
            .order_by("-created")[:page_size]
        ),
    )


def timed(action) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            action(query)
            times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def best(times: list[float]) -> list[float]:
    """Each query's fastest round: on a shared machine, what the query costs without waiting for a core."""
    return [min(times[n :: len(QUERIES)]) for n in range(len(QUERIES))]


def summary(label: str, times: list[float]) -> str:
    fastest = best(times)
    median, fastest_median = statistics.median(times), statistics.median(fastest)
    return (
        f"{label:<44} median {median:8.2f} ms   p95 {p95(times):8.2f} ms   ({len(times)} runs)   "
        f"best of {ROUNDS} per query: median {fastest_median:8.2f} ms   p95 {p95(fastest):8.2f} ms"
    )


def seeded() -> bool:
    demo = Document.objects.filter(slug__startswith="demo-")
    return demo.count() == DOCUMENTS and Annotation.objects.filter(document__in=demo).count() == ANNOTATIONS


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    if not seeded():
        call_command(
            "seed_demo",
            documents=DOCUMENTS,
            annotations=ANNOTATIONS,
            users=USERS,
            seed=SEED,
            replace=True,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
    seeding = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # A settled database, as autovacuum leaves it: seeding and the index rebuild leave a dead
        # row version for every row they rewrote, which the first searches would step over.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    scholar = get_user_model().objects.filter(username__startswith="demo-").order_by("username").first()
    lines = [
        f"Search benchmark on {connection.vendor}: {Document.objects.count():,} documents, "
        f"{Annotation.objects.count():,} annotations, {len(QUERIES)} rotating queries x {ROUNDS} rounds "
        f"(seed_demo took {seeding:.0f} s, or 0 when reused)",
        f"load average (1, 5, 15 min) at the start: {', '.join(f'{n:.2f}' for n in os.getloadavg())} "
        f"on {os.cpu_count()} cores; ranking.CANDIDATES = {ranking.CANDIDATES}",
    ]
    for label, user in (("anonymous", AnonymousUser()), ("logged-in scholar", scholar)):
        for query in QUERIES[:3]:  # warm caches
            search.search(query, user=user)
            icontains(query, user)
        fast = timed(lambda q, user=user: search.search(q, user=user))
        slow = timed(lambda q, user=user: icontains(q, user))
        ratio = statistics.median(slow) / statistics.median(fast)
        best_ratio = statistics.median(best(slow)) / statistics.median(best(fast))
        lines += [
            summary(f"search.search ({label})", fast),
            summary(f"icontains ({label})", slow),
            f"{'':<44} full-text is {ratio:.1f}x faster at the median, {p95(slow) / p95(fast):.1f}x at p95; "
            f"best of {ROUNDS}: {best_ratio:.1f}x at the median, "
            f"{p95(best(slow)) / p95(best(fast)):.1f}x at p95",
        ]
    client = Client()
    counts = {}
    for query in ("ambassador", "treaty OR court OR tribunal"):
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", {"q": query})
        hits = search.search(query, user=AnonymousUser())
        counts[query] = (len(queries), hits.total)
    lines.append(
        "search page queries: "
        + "; ".join(f"{n} queries for {hits:,} hits ({q!r})" for q, (n, hits) in counts.items())
    )
    page_times = timed(lambda q: client.get("/search/", {"q": q}))
    lines.append(summary("/search/ page, whole response (anonymous)", page_times))
    lines.append("load average (1, 5, 15 min) at the end: " + ", ".join(f"{n:.2f}" for n in os.getloadavg()))
    output = "\n".join(lines) + "\n"
    RESULTS.write_text(output)
    print(output, end="")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
