"""SQLite is configured for concurrent web use; PostgreSQL is left as it is (README "Concurrency")."""

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
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def test_postgresql_gets_no_sqlite_options(monkeypatch):
    database = settings_for(monkeypatch, DATABASE_URL="postgres://postgres@127.0.0.1:5432/archive")

    assert "transaction_mode" not in database.get("OPTIONS", {})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite options apply to SQLite only")
def test_the_test_database_runs_with_those_options():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()

    assert mode == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
