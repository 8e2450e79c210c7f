"""Cross-origin use of the annotation API: token-authenticated clients on allowed origins, never cookies."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from documents.accounts.tokens import issue_token
from documents.models import Annotation
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db

ALLOWED = "https://reader.example"
OTHER = "https://evil.example"
ANNO = "http://www.w3.org/ns/anno.jsonld"
EXPOSED = {"etag", "location", "link", "content-location", "allow", "preference-applied"}


def annotation_for(document):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "From another site",
        "visibility": "public",
        "target": {
            "source": "http://testserver" + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": "The first passage"},
        },
    }


def preflight(client, url, origin, method="POST"):
    return client.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, if-match, prefer",
        },
    )


def listed(response, header: str) -> set[str]:
    return {item.strip().lower() for item in response.get(header, "").split(",") if item.strip()}


@pytest.fixture
def allowed():
    with override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED]):
        yield


@pytest.mark.usefixtures("allowed")
class TestAllowedOrigin:
    @pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
    def test_a_preflight_allows_the_protocols_request_headers(self, client, method):
        response = preflight(client, reverse("api-annotation-list"), ALLOWED, method)

        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ALLOWED
        assert method.lower() in listed(response, "Access-Control-Allow-Methods")
        assert listed(response, "Access-Control-Allow-Headers") >= {
            "authorization",
            "content-type",
            "if-match",
            "prefer",
        }
        assert "Access-Control-Allow-Credentials" not in response

    def test_a_read_exposes_the_headers_clients_need(self, client, document):
        AnnotationFactory(document=document, visibility="public")

        response = client.get(
            reverse("api-document-annotations", args=[document.slug]), headers={"Origin": ALLOWED}
        )

        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ALLOWED
        assert listed(response, "Access-Control-Expose-Headers") >= EXPOSED
        assert "Access-Control-Allow-Credentials" not in response

    def test_a_client_with_a_token_creates_an_annotation(self, client, user, document):
        _, key = issue_token(user=user)

        response = client.post(
            reverse("api-annotation-list"),
            json.dumps(annotation_for(document)),
            content_type="application/ld+json",
            headers={"Origin": ALLOWED, "Authorization": f"Token {key}"},
        )

        assert response.status_code == 201
        assert response["Access-Control-Allow-Origin"] == ALLOWED
        assert Annotation.objects.get().author == user

    def test_pages_outside_the_api_stay_same_origin(self, client, document):
        response = client.get(document.get_absolute_url(), headers={"Origin": ALLOWED})

        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response

    def test_a_session_cookie_does_not_ride_along_from_another_origin(self, client, user, document):
        """Even where a browser sends the cookie, another origin gets what an anonymous reader gets."""
        mine = AnnotationFactory(document=document, author=user, visibility="private")
        client.force_login(user)
        url = reverse("api-annotation-detail", args=[mine.pk])

        read = client.get(url, headers={"Origin": ALLOWED})
        write = client.post(
            reverse("api-annotation-list"),
            json.dumps(annotation_for(document)),
            content_type="application/ld+json",
            headers={"Origin": ALLOWED},
        )

        assert read.status_code == 404
        assert write.status_code in (401, 403)
        assert Annotation.objects.count() == 1

    def test_the_reading_views_own_requests_keep_their_session(self, client, user, document):
        mine = AnnotationFactory(document=document, author=user, visibility="private")
        client.force_login(user)

        response = client.get(
            reverse("api-annotation-detail", args=[mine.pk]), headers={"Origin": "http://testserver"}
        )

        assert response.status_code == 200


class TestOtherOrigins:
    @pytest.mark.usefixtures("allowed")
    def test_a_preflight_from_an_origin_not_listed_is_not_allowed(self, client):
        response = preflight(client, reverse("api-annotation-list"), OTHER)

        assert "Access-Control-Allow-Origin" not in response

    @pytest.mark.usefixtures("allowed")
    def test_a_read_from_an_origin_not_listed_is_not_shared(self, client, document):
        response = client.get(reverse("api-annotation-list"), headers={"Origin": OTHER})

        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response

    def test_by_default_no_origin_is_allowed(self, client):
        response = preflight(client, reverse("api-annotation-list"), ALLOWED)
        read = client.get(reverse("api-annotation-list"), headers={"Origin": ALLOWED})

        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Origin" not in read
