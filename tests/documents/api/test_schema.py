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


def test_containers_declare_pages_iris_and_problem_answers(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    listing = schema["paths"]["/api/annotations/"]["get"]
    container = schema["components"]["schemas"]["AnnotationContainer"]
    assert {"$ref": "#/components/schemas/AnnotationPageSchema"} in container["oneOf"]
    items = schema["components"]["schemas"]["AnnotationPageSchema"]["properties"]["items"]["items"]
    assert {"type": "string", "format": "uri"} in items["oneOf"]
    annotation = schema["components"]["schemas"]["AnnotationSchema"]
    assert not {"hidden", "hiddenReason", "@context"} & set(annotation["required"])
    for code in ("400", "404", "412", "413", "415", "429"):
        assert list(listing["responses"][code]["content"]) == ["application/problem+json"]


@pytest.mark.parametrize("path", ["/api/annotations/", "/api/documents/"])
def test_page_size_is_declared_from_one_on_every_list(client, path):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
    assert parameters["page_size"]["minimum"] == 1
    assert "400" in schema["paths"][path]["get"]["responses"]


def test_schema_description_states_the_limits_the_rules_enforce(client):
    from documents.annotations import rules as annotation_rules

    description = yaml.safe_load(client.get("/api/schema/").content)["info"]["description"]

    assert "**Constraints on annotations**" in description
    assert f"{annotation_rules.MAX_COMMENT_LENGTH:,} characters" in description
    assert f"at most {annotation_rules.MAX_TAGS} tags" in description
    assert f"{annotation_rules.MAX_TAG_LENGTH} characters each" in description
