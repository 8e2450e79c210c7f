"""The Redis cache backend (archive_site/cache.py) is Django's, with one client per pool, on a real Redis."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from archive_site.cache import SharedClientRedisCache
from tests.servers import redis_reachable

pytestmark = pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379")

LOCATION = "redis://127.0.0.1:6379/7"


def backend(location: str = LOCATION) -> SharedClientRedisCache:
    return SharedClientRedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_it_is_django_s_redis_cache():
    cache = backend()

    assert isinstance(cache, RedisCache)
    cache.set("page", b"x" * 50_000)
    assert cache.get("page") == b"x" * 50_000
    assert cache.add("page", b"other") is False
    cache.set("count", 1)
    assert cache.incr("count", 2) == 3
    assert cache.get_many(["page", "count", "none"]) == {"page": b"x" * 50_000, "count": 3}
    cache.delete("page")
    assert cache.get("page", "gone") == "gone"


def test_one_client_serves_every_command():
    cache = backend()

    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_a_client_per_pool_when_reads_go_to_replicas():
    # With several servers, Django writes to the first and reads from the others.
    cache = backend(f"{LOCATION},redis://127.0.0.1:6379/8")

    writer = cache._cache.get_client(write=True)
    assert writer.connection_pool.connection_kwargs["db"] == 7
    assert cache._cache.get_client(write=True) is writer
    assert cache._cache.get_client().connection_pool.connection_kwargs["db"] == 8


def test_threads_share_the_client_without_mixing_replies():
    cache = backend()
    failures = []

    def work(number: int) -> None:
        for round_ in range(200):
            cache.set(f"key-{number}", (number, round_))
            if cache.get(f"key-{number}") != (number, round_):
                failures.append((number, round_))

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
