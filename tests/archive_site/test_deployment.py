"""Production settings pass Django's deployment checklist once HTTPS is configured from the environment."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "archive.example",
}
HTTPS = {
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}
SETTINGS = (*PRODUCTION, *HTTPS, "DJANGO_SETTINGS_MODULE", "DATABASE_URL")


def check_deploy(**variables: str) -> subprocess.CompletedProcess:
    # The test run's own Django variables (such as the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) stay out.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS and not key.startswith("DJANGO_")
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "archive_site.settings", **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_https_configured_the_deployment_check_is_clean():
    result = check_deploy(**PRODUCTION, **HTTPS)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_it_the_check_names_hsts_and_the_ssl_redirect():
    result = check_deploy(**PRODUCTION)

    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
    assert "identified 2 issues" in result.stderr


@pytest.mark.parametrize("value", ["X-Forwarded-Proto", "HTTP_X_FORWARDED_PROTO,https,extra"])
def test_a_malformed_proxy_header_setting_is_refused_with_the_expected_form(value):
    result = check_deploy(**PRODUCTION, SECURE_PROXY_SSL_HEADER=value)

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr
    assert "HTTP_X_FORWARDED_PROTO,https" in result.stderr


@pytest.mark.parametrize("value", ["a year", "-1", "1.5"])
def test_hsts_seconds_must_be_a_whole_number(value):
    result = check_deploy(**PRODUCTION, SECURE_HSTS_SECONDS=value)

    assert result.returncode != 0
    assert f"SECURE_HSTS_SECONDS is '{value}'; give a whole number, 0 or more." in result.stderr


def test_make_serve_refuses_to_start_without_a_secret_key():
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    refused = subprocess.run(
        ["make", "-s", "serve"],  # noqa: S607 (make from the PATH, as a person runs it)
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert refused.returncode != 0
    assert "set SECRET_KEY" in refused.stderr


def test_make_serve_answers_others_while_one_client_is_slow_to_send_its_request():
    """A worker serves THREADS requests at once (docs/performance.md, "Reading at scale"): a client that has
    sent half a
    request, as a slow phone or a request waiting on the database holds a thread, holds up no other."""
    port = free_port()
    dry_run = subprocess.run(
        ["make", "-n", "-s", "serve", "SECRET_KEY=x", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=1"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = next(line for line in dry_run.splitlines() if "-m gunicorn" in line).split()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="false")
    command = [sys.executable if word.endswith("/python") else word for word in command if "=" not in word]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/api/", server)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=10) as answer:
                assert answer.status == 200
                assert answer.headers["Connection"] == "close"
    finally:
        server.terminate()
        server.wait(timeout=10)
