"""Rate-limit counters are shared by every server process, as behind several gunicorn workers.

Two gunicorn servers run on one database, with the cache the settings choose:
Redis (REDIS_URL) or, without it, the database cache table. Writes alternate
between the two servers; the per-user limit must hold across both, also for the
notes an import stores (each one write). Each server
keeping its own count would let twice the limit through.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.servers import gunicorn_servers, manage, redis_reachable

REDIS_URL = "redis://127.0.0.1:6379/3"
LIMIT = 4
SETUP = """
from documents.accounts.tokens import issue_token
from tests.factories import DocumentFactory, UserFactory
DocumentFactory(slug="shared", text="The first passage.")
print(issue_token(user=UserFactory())[1])
"""


def post(base: str, key: str, notes: int = 0) -> int:
    """One annotation, or with ``notes`` an import of that many."""
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "target": {
            "source": f"{base}/documents/shared/",
            "selector": {"type": "TextQuoteSelector", "exact": "first passage"},
        },
    }
    if notes:
        body = [{**body, "bodyValue": f"Note {n}, {uuid.uuid4()}."} for n in range(notes)]
    request = urllib.request.Request(  # noqa: S310 (a local test server)
        f"{base}/api/documents/shared/annotations/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/ld+json", "Authorization": f"Token {key}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def base_env(database: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", DEBUG="true", API_WRITE_RATE_USER=f"{LIMIT}/min")
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One migrated database with a document and a user's token, for both kinds of cache."""
    env = base_env(tmp_path_factory.mktemp("shared") / "shared.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    key = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    return env, key


@pytest.fixture(params=["redis", "database"])
def server_env(request, site):
    env, key = site
    env = {**env, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    if request.param == "redis":
        if not redis_reachable() and not os.environ.get("CI"):
            pytest.skip("Redis is not running at 127.0.0.1:6379 (start redis-server to run this)")
        env["REDIS_URL"] = REDIS_URL
    return env, key


def test_the_write_limit_holds_across_two_server_processes(server_env):
    server_env, key = server_env
    with gunicorn_servers(server_env) as bases:
        codes = [post(bases[n % 2], key) for n in range(2 * LIMIT + 2)]

    assert codes == [201] * LIMIT + [429] * (LIMIT + 2)


def test_notes_an_import_stores_count_against_the_same_limit_on_every_server(server_env):
    server_env, key = server_env
    with gunicorn_servers(server_env) as bases:
        codes = [post(bases[0], key, notes=LIMIT - 1), post(bases[1], key, notes=2)]

    assert codes == [200, 429]
