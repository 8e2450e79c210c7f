"""The soak test's driver: `make soak` (docs/performance.md, "Reading at scale").

Empties a PostgreSQL database of its own (SOAK_DATABASE_URL; its schema
``public`` is dropped, so never point it at a database you keep) and a Redis
database of its own (SOAK_CACHE_URL), migrates, loads the fixtures and a demo
archive, makes the accounts (``accounts``), starts two gunicorn servers on
127.0.0.1 with DEBUG off, runs locust headless against both for SOAK_TIME
with SOAK_USERS users, then runs the audit against the database and the API
while the servers still answer. Appends the figures and the verdict to
var/soak-results.txt, writes var/soak-results.json, and exits 1 when the
audit finds anything lost, duplicated, misplaced or answered with a 5xx.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
WORK = VAR / "soak"
RESULTS = VAR / "soak-results.txt"
DATABASE = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/soak")
CACHE = os.environ.get("SOAK_CACHE_URL", "redis://127.0.0.1:6379/9")
TIME = os.environ.get("SOAK_TIME", "10m")
USERS = os.environ.get("SOAK_USERS", "50")
SPAWN_RATE = os.environ.get("SOAK_SPAWN_RATE", "10")
WORKERS = os.environ.get("SOAK_WORKERS", "2")
THREADS = os.environ.get("SOAK_THREADS", "4")
DOCUMENTS = os.environ.get("SOAK_DOCUMENTS", "200")
ANNOTATIONS = os.environ.get("SOAK_ANNOTATIONS", "5000")


def seconds_of(duration: str) -> int:
    """Locust's run time ("90", "45s", "10m", "1h30m") in seconds, to bound the run."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms]?)", duration)
    if not parts or "".join(a + b for a, b in parts) != duration.replace(" ", ""):
        sys.exit(f"SOAK_TIME is {duration!r}; give e.g. 10m, 90s or 1h30m.")
    return sum(int(number) * units[unit or "s"] for number, unit in parts)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def empty_database() -> None:
    """Create the soak database when missing, else drop everything in it; refuse the developer's own."""
    if DATABASE.rstrip("/") == os.environ.get("DATABASE_URL", "").rstrip("/"):
        sys.exit(
            "SOAK_DATABASE_URL is your DATABASE_URL; the soak test empties its database, so give it its own."
        )
    url = urllib.parse.urlsplit(DATABASE)
    if url.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"SOAK_DATABASE_URL must be a postgres:// URL, not {DATABASE!r}.")
    name = url.path.lstrip("/")
    try:
        with psycopg.connect(DATABASE, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    except psycopg.OperationalError as error:
        if f'"{name}" does not exist' not in str(error):
            raise
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=DATABASE,
        CACHE_URL=CACHE,
        DEBUG="false",
        SECRET_KEY="soak-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        TRUSTED_PROXIES="127.0.0.1",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SITE_URL="http://127.0.0.1",
    )
    return env


def manage(env, *args) -> str:
    began = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    print(f"soak: manage.py {args[0]}: {time.monotonic() - began:.0f} s")
    return done.stdout


def static_files_stale() -> bool:
    """Whether collectstatic must run: it compresses every file again (minutes on a busy machine)."""
    manifest = VAR / "static" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [*(ROOT / "documents" / "static").rglob("*"), *ROOT.glob("requirements*.txt")]
    return max(path.stat().st_mtime for path in sources) > manifest.stat().st_mtime


def start_servers(env) -> tuple[list[subprocess.Popen], list[str]]:
    sys.path.insert(0, str(ROOT))
    from tests.servers import free_port

    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603 (gunicorn from our venv)
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "archive_site.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    WORKERS,
                    "--threads",
                    THREADS,
                    "--keep-alive",
                    "0",
                    "--no-control-socket",
                    "-c",
                    str(Path(__file__).with_name("gunicorn_timing.py")),
                ],
                cwd=ROOT,
                env={**env, "SOAK_TIMING_LOG": str(WORK / f"timing-{port}.log")},
                stdout=subprocess.DEVNULL,
                stderr=(WORK / f"gunicorn-{port}.log").open("w"),
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base, process in zip(bases, processes, strict=True):
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/", timeout=5).close()  # noqa: S310 (our local server)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn at {base} did not start; see {WORK}/gunicorn-*.log")
                time.sleep(0.3)
    return processes, bases


def report(
    latencies: dict, audit: dict, *, started: str, load_before: str, load_after: str, seconds: float
) -> str:
    kinds = latencies["kinds"]
    total = sum(kind["count"] for kind in kinds.values())
    lines = [
        f"# soak {started} UTC, PostgreSQL, Redis cache, "
        f"2 gunicorn servers x {WORKERS} workers x {THREADS} threads, "
        f"{USERS} locust users for {TIME} ({seconds:.0f} s), {os.cpu_count()} CPUs, "
        f"load average {load_before} before, {load_after} after",
        "",
        f"{total:,} requests, {total / seconds:.1f} per second",
        "",
        "| request | count | per second | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = [*kinds.items(), ("all reads", latencies["reads"]), ("all writes", latencies["writes"])]
    lines += [
        f"| {name} | {row['count']:,} | {row['count'] / seconds:.2f} | {row['p50']:.0f} | {row['p95']:.0f} "
        f"| {row['p99']:.0f} | {row['max']:.0f} |"
        for name, row in rows
    ]
    if latencies["failures"]:
        lines += ["", "Requests locust counted as failed (status, error):"]
        lines += [
            f"- {name}: " + "; ".join(f"{error} x{count}" for error, count in counts.items())
            for name, counts in latencies["failures"].items()
        ]
    lines += [
        "",
        f"Audit: {'PASSED' if audit['passed'] else 'FAILED'}",
        *(f"- {line}" for line in audit["lines"]),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    for leftover in WORK.glob("*"):
        leftover.unlink()
    env = environment()
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    print(f"soak: emptying {DATABASE} and {CACHE}; migrating; loading the fixtures and a demo archive")
    empty_database()
    redis.Redis.from_url(CACHE).flushdb()
    manage(env, "migrate", "--noinput")
    if static_files_stale():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_seed")
    manage(env, "seed_demo", "--documents", DOCUMENTS, "--annotations", ANNOTATIONS, "--users", "20")
    accounts = (
        manage(env, "shell", "-c", "from bench.soak.accounts import main; main()").strip().splitlines()[-1]
    )
    (WORK / "accounts.json").write_text(accounts)

    processes, bases = start_servers(env)
    try:
        locust_env = {
            **env,
            "SOAK_ACCOUNTS": str(WORK / "accounts.json"),
            "SOAK_HOSTS": ",".join(bases),
            "SOAK_JOURNAL": str(WORK / "journal.jsonl"),
            "SOAK_LATENCIES": str(WORK / "latencies.json"),
        }
        print(f"soak: {USERS} users for {TIME} against {', '.join(bases)}")
        load_before = load_average()
        began = time.monotonic()
        subprocess.run(  # noqa: S603 (locust from our venv)
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--only-summary",
                "--users",
                USERS,
                "--spawn-rate",
                SPAWN_RATE,
                "--run-time",
                TIME,
                "--stop-timeout",
                "30",
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            check=True,
            timeout=seconds_of(TIME) + 300,
            stdout=(WORK / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        seconds = time.monotonic() - began
        load_after = load_average()
        print("soak: auditing")
        audit_env = {**locust_env, "SOAK_BASE": bases[0]}
        audit = json.loads(
            manage(audit_env, "shell", "-c", "from bench.soak.audit import main; main()")
            .strip()
            .splitlines()[-1]
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    latencies = json.loads((WORK / "latencies.json").read_text())
    text = report(
        latencies, audit, started=started, load_before=load_before, load_after=load_after, seconds=seconds
    )
    with RESULTS.open("a") as results:
        results.write(text + "\n")
    (VAR / "soak-results.json").write_text(
        json.dumps(
            {"started": started, "time": TIME, "users": USERS, "latencies": latencies, "audit": audit},
            indent=1,
        )
    )
    print(text)
    print(f"appended to {RESULTS.relative_to(ROOT)}; details in {WORK.relative_to(ROOT)}/")
    sys.exit(0 if audit["passed"] else 1)


if __name__ == "__main__":
    main()
