"""TASKS_URL chooses the task queue (docs/deployment.md, "Production"); the default is the database's."""

import runpy
from importlib.util import find_spec

import pytest
from django.core.exceptions import ImproperlyConfigured

import archive_site.settings


def settings_for(monkeypatch, **environment) -> dict:
    monkeypatch.delenv("TASKS_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(archive_site.settings.__file__)


def test_without_services_the_queue_is_a_database_table(monkeypatch):
    settings = settings_for(monkeypatch)

    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings["INSTALLED_APPS"]


@pytest.mark.skipif(find_spec("django_tasks_rq") is not None, reason="django-tasks-rq is installed here")
def test_a_redis_queue_without_its_backend_says_what_to_install(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="pip install django-tasks-rq=="):
        settings_for(monkeypatch, TASKS_URL="redis://127.0.0.1:6379/2")


def test_an_unknown_queue_is_refused_with_the_forms_it_takes(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="give db:// or redis://HOST:PORT/DB"):
        settings_for(monkeypatch, TASKS_URL="amqp://127.0.0.1")
