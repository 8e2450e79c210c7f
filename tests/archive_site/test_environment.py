"""Settings are safe by default and read strictly (docs/deployment.md, "Configuration"): DEBUG is off
unless the environment turns it on, `make run` turns it on, and a value that cannot be read stops
start-up with a message naming the variable."""

import os
import runpy
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import archive_site.settings
from tests.servers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]


def start(**variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh Python whose environment holds only ``variables`` (and PATH)."""
    return subprocess.run(
        [sys.executable, "-c", "import archive_site.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_for(monkeypatch, **environment) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(archive_site.settings.__file__)


def test_debug_is_off_when_unset():
    started = start(SECRET_KEY="a-long-random-production-key-" + "x" * 40)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "False []"


def test_with_debug_off_and_no_secret_key_the_site_refuses_to_start():
    started = start()

    assert started.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in started.stderr


def test_debug_on_needs_no_secret_key_and_serves_this_machine_only():
    started = start(DEBUG="true")

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "True ['127.0.0.1', 'localhost', '[::1]']"


@pytest.mark.parametrize("word", ["maybe", "treu", "2", "enabled"])
def test_a_word_that_is_not_true_or_false_is_refused_naming_the_variable(word):
    started = start(DEBUG=word)

    assert started.returncode != 0
    assert f"ImproperlyConfigured: DEBUG is '{word}'; give true or false." in started.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMAIL_PORT", "25a"),
        ("SQLITE_CACHE_MB", "64MB"),
        ("AXES_FAILURE_LIMIT", "-1"),
        ("EMAIL_TIMEOUT", "1.5"),
    ],
)
def test_a_number_that_is_not_a_whole_number_is_refused_naming_the_variable(name, value):
    started = start(DEBUG="true", **{name: value})

    assert started.returncode != 0
    assert f"ImproperlyConfigured: {name} is '{value}'; give a whole number, 0 or more." in started.stderr


@pytest.mark.parametrize(("word", "meaning"), [("TRUE", True), ("yes", True), ("On", True), ("1", True)])
def test_booleans_are_read_in_any_case_and_their_opposites_too(monkeypatch, word, meaning):
    assert settings_for(monkeypatch, SIGNUP_OPEN=word)["SIGNUP_OPEN"] is meaning
    opposite = {"TRUE": "False", "yes": "no", "On": "off", "1": "0"}[word]
    assert settings_for(monkeypatch, SIGNUP_OPEN=opposite)["SIGNUP_OPEN"] is not meaning


def test_an_empty_value_means_the_default_but_an_empty_policy_switches_the_header_off(monkeypatch):
    settings = settings_for(
        monkeypatch,
        DATABASE_PREPARED_STATEMENTS="",
        EMAIL_PORT=" ",
        DATABASE_URL="",
        CONTENT_SECURITY_POLICY="",
    )

    assert settings["DATABASE_PREPARED_STATEMENTS"] is True
    assert settings["EMAIL_PORT"] == 25
    assert settings["DATABASES"]["default"]["NAME"] == str(ROOT / "var" / "archive.sqlite3")
    assert settings["CONTENT_SECURITY_POLICY"] == ""


def test_a_secret_is_taken_as_written_even_when_it_begins_with_a_dollar(monkeypatch):
    # django-environ alone reads "$NAME" as the value of the variable NAME.
    assert settings_for(monkeypatch, SECRET_KEY="$HOME")["SECRET_KEY"] == "$HOME"


def test_lists_are_comma_separated_and_each_item_stripped(monkeypatch):
    settings = settings_for(monkeypatch, ALLOWED_HOSTS=" archive.example , www.archive.example ,,")

    assert settings["ALLOWED_HOSTS"] == ["archive.example", "www.archive.example"]


def make_run(port: int) -> list[str]:
    dry_run = subprocess.run(
        ["make", "-n", "-s", "run", "HOST=127.0.0.1", f"PORT={port}"],  # noqa: S607 (make from the PATH)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in dry_run.splitlines() if "manage.py" in line]


def command(line: str) -> tuple[dict[str, str], list[str]]:
    """The variables a ``make`` line sets and the command it runs, with this test's Python."""
    words = line.split()
    variables = dict(word.split("=", 1) for word in words[: words.index("manage.py") - 1])
    return variables, [sys.executable, *words[words.index("manage.py") :]]


def test_make_run_turns_debug_on_for_every_command():
    lines = make_run(8000)

    assert lines
    for line in lines:
        assert line.count("manage.py") == line.count("DEBUG=true .venv/bin/python manage.py"), line


def test_make_run_serves_pages_and_static_files_on_a_fresh_machine_without_a_secret_key(tmp_path):
    """`make run`'s own commands, from an environment with nothing but PATH and a new database."""
    port = free_port()
    lines = make_run(port)
    fresh = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    variables, migrate = command(next(line for line in lines if " migrate " in f"{line} "))
    subprocess.run(migrate, cwd=ROOT, env=fresh | variables, capture_output=True, check=True, timeout=300)
    variables, runserver = command(lines[-1])
    assert runserver[2] == "runserver"

    server = subprocess.Popen(
        [*runserver, "--noreload"],
        cwd=ROOT,
        env=fresh | variables,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", server)
        # With DEBUG on, WhiteNoise serves the apps' files as they are, without collectstatic.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/documents/css/archive.css") as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=10)
