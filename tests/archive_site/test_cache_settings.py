"""CACHE_URL chooses Django's cache; REDIS_URL still works; the default is shared by every process."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

import archive_site.settings


def caches_for(monkeypatch, **environment) -> dict:
    for name in ["CACHE_URL", "REDIS_URL"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(archive_site.settings.__file__)["CACHES"]["default"]


def test_cache_url_selects_redis(monkeypatch):
    cache = caches_for(monkeypatch, CACHE_URL="redis://127.0.0.1:6379/5")

    # Django's RedisCache, keeping one client per connection pool (archive_site/cache.py).
    assert cache["BACKEND"] == "archive_site.cache.SharedClientRedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/5"


def test_redis_url_is_an_alias_that_cache_url_overrides(monkeypatch):
    assert caches_for(monkeypatch, REDIS_URL="redis://h:6379/1")["LOCATION"] == "redis://h:6379/1"
    cache = caches_for(monkeypatch, REDIS_URL="redis://h:6379/1", CACHE_URL="db://")
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_without_services_the_cache_is_a_database_table_every_worker_shares(monkeypatch):
    cache = caches_for(monkeypatch)

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["KEY_PREFIX"] == "archive"


def test_an_unknown_cache_url_is_refused_with_the_forms_it_takes(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="redis://HOST:PORT/DB"):
        caches_for(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211")
