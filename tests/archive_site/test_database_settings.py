"""SQLite is configured for concurrent web use (docs/architecture.md, "Concurrency"); PostgreSQL prepares
only the
statements asked for (docs/performance.md, "Reading at scale")."""

import runpy

import pytest
from django.db import connection

import archive_site.settings


def settings_for(monkeypatch, **environment) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(archive_site.settings.__file__)["DATABASES"]["default"]


def test_sqlite_writes_in_wal_with_immediate_transactions_and_a_busy_timeout(monkeypatch):
    database = settings_for(monkeypatch, DATABASE_URL="sqlite:///var/x.sqlite3", SQLITE_BUSY_TIMEOUT="7")

    assert database["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 7.0,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
    }


def test_sqlite_read_memory_is_set_from_the_environment(monkeypatch):
    database = settings_for(
        monkeypatch, DATABASE_URL="sqlite:///var/x.sqlite3", SQLITE_CACHE_MB="8", SQLITE_MMAP_MB="0"
    )

    assert database["OPTIONS"]["init_command"].endswith("PRAGMA cache_size=-8192; PRAGMA mmap_size=0;")


def test_postgresql_gets_no_sqlite_options(monkeypatch):
    database = settings_for(monkeypatch, DATABASE_URL="postgres://postgres@127.0.0.1:5432/archive")

    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_postgresql_prepares_only_what_is_asked_for_unless_switched_off(monkeypatch):
    url = "postgres://postgres@127.0.0.1:5432/archive"
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)

    # Prepared at their first run: only what documents/freshness.py binds on the server can be prepared.
    assert settings_for(monkeypatch, DATABASE_URL=url)["OPTIONS"]["prepare_threshold"] == 0
    off = settings_for(monkeypatch, DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")
    assert "prepare_threshold" not in off.get("OPTIONS", {})
    sqlite = settings_for(
        monkeypatch, DATABASE_URL="sqlite:///var/x.sqlite3", DATABASE_PREPARED_STATEMENTS="true"
    )
    assert "prepare_threshold" not in sqlite["OPTIONS"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite options apply to SQLite only")
def test_the_test_database_runs_with_those_options():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()

    assert mode == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone() == (-65536,)
        cursor.execute("PRAGMA mmap_size")
        assert cursor.fetchone() == (268435456,)
