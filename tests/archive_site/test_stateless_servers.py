"""Two app servers behind one load balancer behave as one (docs/performance.md, "Reading at scale").

Two gunicorn servers share a PostgreSQL database and a Redis cache, as several
machines would. Every write goes through one and every read through the other,
with caches warmed before each write: the reader sees each change at once, a
session made on one is honoured by the other, and no cached page carries one
reader's private note to another.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid

import pytest

from tests.servers import gunicorn_servers, manage, redis_reachable

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/5"
SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from documents.accounts.tokens import issue_token
from tests.factories import DocumentFactory, UserFactory
DocumentFactory(slug="shared", text="The first passage.\\n\\nThe second passage.")
scholar = UserFactory(username="scholar")
session = SessionStore()
session[SESSION_KEY] = str(scholar.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = scholar.get_session_auth_hash()
session.create()
print(json.dumps({"token": issue_token(user=scholar)[1], "session": session.session_key}))
"""


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def request(base: str, path: str, *, method="GET", body=None, headers=None) -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(f"{base}{path}", data=data, headers=headers or {}, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(sent, timeout=20) as response:  # noqa: S310 (a local test server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not (postgres_reachable() and redis_reachable()):
        if os.environ.get("CI"):
            pytest.fail("this test needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379")
        pytest.skip("PostgreSQL or Redis is not running on 127.0.0.1 (start them to run this)")
    import psycopg

    name = f"stateless_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "CACHE_URL", "DATABASE_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(
        DATABASE_URL=f"{POSTGRES}/{name}",
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
        DEBUG="true",
    )
    try:
        manage(env, "migrate", "--noinput")
        made = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        with gunicorn_servers(env) as bases:
            yield bases, made
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def annotation(base: str, comment: str, visibility: str) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": comment, "purpose": "commenting"}],
        "target": {
            "source": f"{base}/documents/shared/",
            "selector": {"type": "TextQuoteSelector", "exact": "second passage"},
        },
        "visibility": visibility,
    }


def test_a_write_through_one_server_is_read_at_once_through_the_other(servers):
    (writer, reader), made = servers
    token = {"Authorization": f"Token {made['token']}", "Content-Type": "application/ld+json"}
    session = {"Cookie": f"sessionid={made['session']}"}
    page = "/documents/shared/"

    def pages():
        return {
            "anonymous": request(reader, page),
            "scholar": request(reader, page, headers=session),
            "container": request(reader, "/api/documents/shared/annotations/"),
        }

    before = pages()
    assert all(status == 200 for status, _, _ in before.values())
    assert "Log in to annotate" not in before["scholar"][2]  # the session made for server one counts here

    status, headers, _ = request(
        writer,
        "/api/documents/shared/annotations/",
        method="POST",
        body=annotation(writer, "A public word.", "public"),
        headers=token,
    )
    assert status == 201
    public_iri = headers["Location"]
    status, _, _ = request(
        writer,
        "/api/documents/shared/annotations/",
        method="POST",
        body=annotation(writer, "A private word.", "private"),
        headers=token,
    )
    assert status == 201

    after = pages()
    assert "A public word." in after["anonymous"][2]
    assert "A private word." not in after["anonymous"][2]
    assert "A public word." in after["scholar"][2]
    assert "A private word." in after["scholar"][2]
    assert "A public word." in after["container"][2]
    for kind in ["anonymous", "container"]:
        etag = before[kind][1]["ETag"]
        path = page if kind == "anonymous" else "/api/documents/shared/annotations/"
        assert request(reader, path, headers={"If-None-Match": etag})[0] == 200

    path = "/api/" + public_iri.split("/api/", 1)[1]
    assert request(writer, path, method="DELETE", headers=token)[0] == 204
    assert "A public word." not in request(reader, page)[2]
    assert "A public word." not in request(reader, page, headers=session)[2]
