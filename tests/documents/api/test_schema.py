"""The OpenAPI schema and its browsable documentation, served without a CDN."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/",
    "/api/documents/",
    "/api/documents/{slug}/",
    "/api/documents/{slug}/annotations/",
    "/api/annotations/",
    "/api/annotations/{id}/",
]


def test_schema_is_valid_and_warning_free(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(PATHS) <= set(schema["paths"])


def test_schema_describes_annotation_requests_responses_and_examples(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    create = schema["paths"]["/api/annotations/"]["post"]
    assert "examples" in create["requestBody"]["content"]["application/ld+json"]
    assert {"201", "400", "401", "429"} <= set(create["responses"])
    put = schema["paths"]["/api/annotations/{id}/"]["put"]
    assert "If-Match" in [parameter["name"] for parameter in put["parameters"]]
    assert "personalToken" in schema["components"]["securitySchemes"]


def test_docs_page_loads_its_scripts_locally(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    assert "<script>" not in html.replace(" ", "")
