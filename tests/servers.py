"""Real servers for the tests that need several processes: gunicorn started as a subprocess.

Shared by the tests that prove the servers keep no state of their own (docs/deployment.md, "Limits on abuse"
and "Performance"): counters, sessions and caches must be
seen by every process, so these tests write through one server and read
through another.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    """A port free a moment ago, for servers that bind their own (an SMTP sink, ``make serve``).

    Another process may take it in between; servers we start ourselves inherit a bound
    socket instead (``listening_socket``).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_socket() -> socket.socket:
    """A socket bound to a port the system picks, for a server to inherit.

    Handing the bound socket over (gunicorn's ``fd://``) rather than a port number
    leaves no moment in which a parallel test worker could take the same port.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_until_serving(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (a local test server)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no server at {url} after 30 s")


@contextmanager
def gunicorn_servers(env: dict[str, str], *, count: int = 2) -> Iterator[list[str]]:
    """``count`` gunicorn servers of the archive, one worker each, with ``env``; yields their base URLs."""
    processes: list[subprocess.Popen] = []
    bases: list[str] = []
    listeners: list[socket.socket] = []
    try:
        for _ in range(count):
            listener = listening_socket()
            listeners.append(listener)
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "archive_site.wsgi",
                        "-b",
                        f"fd://{listener.fileno()}",
                        "-w",
                        "1",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    pass_fds=[listener.fileno()],
                )
            )
            bases.append(f"http://127.0.0.1:{listener.getsockname()[1]}")
        for base, process in zip(bases, processes, strict=True):
            wait_until_serving(f"{base}/api/", process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        for listener in listeners:
            listener.close()
