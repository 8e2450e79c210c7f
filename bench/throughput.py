"""Throughput benchmark: `make bench-http` (docs/performance.md, "Reading at scale").

Builds a throwaway database (SQLite under var/, or BENCH_DATABASE_URL, which
is emptied first), migrates it, empties the cache (CACHE_URL, as the server
uses it: the database table by default, or redis://...), writes three
300-passage documents (one with no annotations, one with 1,000 public ones on
which a scholar has 20 private notes, one with 10,000 public ones), starts
gunicorn with DEBUG off (BENCH_WORKERS workers, 2 by default), and drives each
URL with wrk for BENCH_SECONDS seconds (2) over 8 connections, sending
`Accept-Encoding: gzip` as browsers do, BENCH_HTTP_ROUNDS times (3), each time
right after the static file. It prints the median requests/s and the median of
each figure's ratio to the static file driven just before it, the page
weight on the wire, the time of the first (uncached) and a cached request for
the 10,000-note page, the ratios the targets in docs/performance.md name, and the load
average (the machine may be shared), and appends them to
var/bench-http-results.txt. Performance is never asserted by a test; this is
for people to read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench-http-results.txt"
SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", "3"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
CONNECTIONS = 8
STATIC = "a static CSS file (WhiteNoise)"
ANONYMOUS_0 = "reading view, 0 annotations"
ANONYMOUS_1000 = "reading view, 1,000 public annotations"
SCHOLAR_0 = "reading view, 0 annotations, scholar"
SCHOLAR_1000 = "reading view, 1,000 public + 20 private, scholar"
CONTAINER = "API container page (50 annotations)"
ONE = "one annotation (API)"

SETUP = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.templatetags.static import static
from documents.models import Annotation, Document
from tests.factories import DocumentFactory, UserFactory

passage = "The delegates met again in the long room, and the clerk read the motion aloud once more. " * 4
text = "\n\n".join(f"{passage}Passage {n}." for n in range(300))
cache.clear()
empty = DocumentFactory(slug="bench-empty", text=text)
busy = DocumentFactory(slug="bench-busy", text=text)
huge = DocumentFactory(slug="bench-huge", text=text)
canonical = busy.canonical_text
authors = UserFactory.create_batch(20)
scholar = UserFactory(username="bench-scholar")

def note(document, n, author, visibility):
    start = (n * 97) % (len(canonical) - 40)
    comment = f"Note number {n}, with a few words of comment about this passage."
    return Annotation(
        document=document, author=author, visibility=visibility, motivation="commenting", start=start,
        end=start + 30, exact=canonical[start:start + 30], revision=document.revision, comment=comment,
        comment_html=f"<p>{comment}</p>",
    )

Annotation.objects.bulk_create(
    [note(busy, n, authors[n % 20], "public") for n in range(1000)]
    + [note(busy, n, scholar, "private") for n in range(20)]
    + [note(huge, n, authors[n % 20], "public") for n in range(10_000)],
    batch_size=2000,
)
Document.objects.filter(pk__in=[empty.pk, busy.pk, huge.pk]).bump_annotations_version()
session = SessionStore()
session[SESSION_KEY] = str(scholar.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = scholar.get_session_auth_hash()
session.create()
one = Annotation.objects.filter(document=busy, visibility="public").first()
css = static("documents/css/archive.css")
print(json.dumps({"session": session.session_key, "annotation": str(one.pk), "css": css}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment() -> tuple[dict[str, str], str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    database = os.environ.get("BENCH_DATABASE_URL", "")
    if not database:
        path = ROOT / "var" / "bench-http.sqlite3"
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        database = f"sqlite:///{path}"
    env.update(
        DATABASE_URL=database,
        DEBUG="false",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        LOG_LEVEL="WARNING",
    )
    return env, database.partition(":")[0]


def manage(env, *args) -> str:
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def fetch(url: str, headers: dict[str, str]) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={**headers, "Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own local server)
        return response.status, len(response.read())


def timed(url: str) -> tuple[float, int]:
    """Milliseconds to fetch ``url`` once, and its bytes on the wire."""
    began = time.perf_counter()
    status, size = fetch(url, {})
    assert status == 200, (url, status)
    return (time.perf_counter() - began) * 1000, size


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def cache_backend(env: dict[str, str]) -> str:
    url = env.get("CACHE_URL") or env.get("REDIS_URL") or "db://"
    return url.partition("://")[0] or "db"


def wrk(url: str, headers: dict[str, str]) -> float:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-H", "Accept-Encoding: gzip"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench-http needs wrk: sudo apt-get install wrk")
    env, vendor = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "flush", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    made = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (gunicorn from our venv)
        [sys.executable, "-m", "gunicorn", "archive_site.wsgi", "-b", f"127.0.0.1:{port}", "-w", WORKERS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scholar = {"Cookie": f"sessionid={made['session']}"}
    cases = [
        (STATIC, made["css"], {}),
        ("home page", "/", {}),
        (ANONYMOUS_0, "/documents/bench-empty/", {}),
        (ANONYMOUS_1000, "/documents/bench-busy/", {}),
        ("reading view, 10,000 public annotations", "/documents/bench-huge/", {}),
        (SCHOLAR_0, "/documents/bench-empty/", scholar),
        (SCHOLAR_1000, "/documents/bench-busy/", scholar),
        (CONTAINER, "/api/documents/bench-busy/annotations/?page=0", {}),
        (ONE, f"/api/annotations/{made['annotation']}/", {}),
    ]
    rows = []
    load_before = load_average()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/", {})
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.3)
        # The 10,000-note page once before anything is cached, then once cached.
        huge_cold, huge_bytes = timed(base + "/documents/bench-huge/")
        # Cached: the median of a few, since a worker's first request of all also imports the views.
        huge_warm = statistics.median(timed(base + "/documents/bench-huge/")[0] for _ in range(7))
        # Each URL right after the static file, so that each ratio compares two runs seconds apart:
        # on a shared machine the load moves between URLs more than the code does. ROUNDS such
        # pairs per URL; the medians are reported.
        for label, path, headers in cases:
            status, size = fetch(base + path, headers)
            assert status == 200, (label, status)
            values, shares = [], []
            for _ in range(ROUNDS):
                static_now = wrk(base + made["css"], {}) if path != made["css"] else None
                values.append(wrk(base + path, headers))
                shares.append(values[-1] / (static_now or values[-1]))
            rows.append((label, statistics.median(values), size, statistics.median(shares)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    load_after = load_average()

    rate = {label: value for label, value, _, _ in rows}
    to_static = {label: share for label, _, _, share in rows}
    weight = {label: size for label, _, size, _ in rows}

    def ratio(label: str, against: str) -> str:
        if against == STATIC:
            return f"{to_static[label]:.2f}x"
        return f"{rate[label] / rate[against]:.2f}x"

    lines = [
        f"# bench-http {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {vendor}, cache {cache_backend(env)}, "
        f"gunicorn {WORKERS} workers, DEBUG=false, wrk {CONNECTIONS} connections, {SECONDS} s per URL, "
        f"medians of {ROUNDS} rounds, "
        f"{os.cpu_count()} CPUs, load average {load_before} before, {load_after} after",
        "",
        "| what | requests/s | vs the static file just before | bytes on the wire (gzip accepted) |",
        "| --- | --- | --- | --- |",
        *(f"| {label} | {value:,.0f} | {share:.3f} | {size:,} |" for label, value, size, share in rows),
        "",
        "Targets (docs/performance.md):",
        f"- reading view, 1,000 notes vs none (>= 0.5x): anonymous {ratio(ANONYMOUS_1000, ANONYMOUS_0)}, "
        f"scholar with 20 private notes {ratio(SCHOLAR_1000, SCHOLAR_0)}",
        f"- anonymous reading view vs static file (>= 0.25x): {ratio(ANONYMOUS_1000, STATIC)} "
        f"with 1,000 notes, {ratio(ANONYMOUS_0, STATIC)} with none",
        f"- API container page vs static file (>= 0.25x): {ratio(CONTAINER, STATIC)}",
        f"- one annotation (API) vs static file (>= 0.25x): {ratio(ONE, STATIC)}",
        f"- page weight with 1,000 notes (<= 300 KB): anonymous {weight[ANONYMOUS_1000]:,} bytes, "
        f"scholar with 20 private notes {weight[SCHOLAR_1000]:,} bytes",
        f"- 10,000 notes: {huge_bytes:,} bytes, first request {huge_cold:,.0f} ms (nothing cached), "
        f"then {huge_warm:,.0f} ms (cached, median of 7)",
        "",
    ]
    output = "\n".join(lines)
    with RESULTS.open("a") as results:
        results.write(output + "\n")
    print(output)
    print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
