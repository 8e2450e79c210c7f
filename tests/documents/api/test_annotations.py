"""The Web Annotation Protocol: containers, resources, headers, paging, Prefer, If-Match."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from documents.annotations import services
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

ANNO = "http://www.w3.org/ns/anno.jsonld"
MEDIA = f'application/ld+json; profile="{ANNO}"'
BASE = "http://testserver"

pytestmark = pytest.mark.django_db


def container(document):
    return reverse("api-document-annotations", args=[document.slug])


def new_annotation(document, *, exact="The first passage", comment="Note", tags=(), visibility="public"):
    body = [{"type": "TextualBody", "value": comment, "purpose": "commenting", "format": "text/markdown"}]
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    return {
        "@context": ANNO,
        "type": "Annotation",
        "body": body,
        "target": {
            "source": BASE + document.get_absolute_url(),
            "selector": [{"type": "TextQuoteSelector", "exact": exact}],
        },
        "visibility": visibility,
    }


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/ld+json", headers=headers)


def put(client, url, data, **headers):
    return client.put(url, json.dumps(data), content_type="application/ld+json", headers=headers)


@pytest.fixture
def author_client(client, user):
    client.force_login(user)
    return client


class TestCreate:
    def test_post_creates_an_anchored_annotation(self, author_client, document, user):
        response = post(author_client, container(document), new_annotation(document, tags=["law", "icc"]))

        assert response.status_code == 201
        assert response["Content-Type"] == MEDIA
        data = response.json()
        assert response["Location"] == data["id"]
        assert response["ETag"].startswith('"')
        annotation = Annotation.objects.get()
        assert data["id"] == f"{BASE}/api/annotations/{annotation.pk}/"
        assert (annotation.author, annotation.visibility) == (user, "public")
        assert document.canonical_text[annotation.start : annotation.end] == "The first passage"
        selectors = {s["type"]: s for s in data["target"]["selector"]}
        assert selectors["TextPositionSelector"] == {
            "type": "TextPositionSelector",
            "start": annotation.start,
            "end": annotation.end,
        }
        assert selectors["TextQuoteSelector"]["prefix"] == document.canonical_text[: annotation.start][-32:]
        assert sorted(annotation.tags.names()) == ["icc", "law"]

    def test_position_alone_is_enough(self, author_client, document):
        data = new_annotation(document)
        data["target"]["selector"] = {"type": "TextPositionSelector", "start": 13, "end": 18}

        response = post(author_client, container(document), data)

        assert response.status_code == 201
        quote = next(s for s in response.json()["target"]["selector"] if s["type"] == "TextQuoteSelector")
        assert quote["exact"] == document.canonical_text[13:18]

    def test_private_is_the_default(self, author_client, document):
        data = new_annotation(document)
        del data["visibility"]

        post(author_client, container(document), data)

        assert Annotation.objects.get().visibility == "private"

    def test_a_selection_that_does_not_match_is_a_problem_and_stores_nothing(self, author_client, document):
        response = post(author_client, container(document), new_annotation(document, exact="not in the text"))

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert "does not occur" in response.json()["detail"] or "not" in response.json()["detail"]
        assert response.json()["field"] == "target"
        assert not Annotation.objects.exists()

    def test_invalid_json_ld_names_the_field(self, author_client, document):
        data = new_annotation(document)
        data["bodyValue"] = "and a body"

        response = post(author_client, container(document), data)

        assert response.status_code == 400
        assert response.json()["field"]
        assert not Annotation.objects.exists()

    def test_malformed_json_is_a_problem(self, author_client, document):
        response = author_client.post(container(document), "{not json", content_type="application/ld+json")

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"

    def test_posted_id_moves_to_via_and_client_fields_are_ignored(self, author_client, document, user):
        data = new_annotation(document)
        data |= {
            "id": "https://elsewhere.example/anno/1",
            "creator": {"id": "acct:mallory@evil", "type": "Person", "nickname": "mallory"},
            "created": "1999-01-01T00:00:00Z",
            "hidden": True,
        }

        response = post(author_client, container(document), data)

        annotation = Annotation.objects.get()
        assert annotation.via == "https://elsewhere.example/anno/1"
        assert annotation.author == user
        assert annotation.created.year != 1999
        assert annotation.hidden is False
        assert response.json()["creator"]["nickname"] == user.username

    def test_an_annotation_from_a_browser_text_annotation_library_is_stored(
        self, author_client, document, user
    ):
        """As such a library sends a new annotation: a client-local “#uuid” id, both selectors,
        a body list with the client's own creator and dates, and the annotation's creator."""
        exact = "non-breaking\u00a0space"
        start = document.canonical_text.index(exact)
        sent = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "#4a1b5c1e-93f0-4a8e-b2c9-0d1e2f3a4b5c",
            "type": "Annotation",
            "motivation": "commenting",
            "creator": {"id": "https://client.example/users/ada", "type": "Person", "name": "Ada"},
            "created": "2026-11-30T08:00:00.000Z",
            "body": [
                {
                    "type": "TextualBody",
                    "value": "Why a non-breaking space here?",
                    "purpose": "commenting",
                    "creator": {"id": "https://client.example/users/ada", "name": "Ada"},
                    "created": "2026-11-30T08:00:00.000Z",
                },
                {"type": "TextualBody", "value": "typography", "purpose": "tagging"},
            ],
            "target": {
                "source": BASE + document.get_absolute_url(),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": document.canonical_text[start - 10 : start],
                        "suffix": ".",
                    },
                    {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
                ],
            },
        }

        response = post(author_client, container(document), sent)

        assert response.status_code == 201, response.json()
        annotation = Annotation.objects.get()
        assert response.json()["id"] == f"{BASE}/api/annotations/{annotation.pk}/"
        assert (annotation.start, annotation.exact, annotation.via) == (start, exact, "")
        assert annotation.author == user
        assert annotation.comment == "Why a non-breaking space here?"
        assert [tag.name for tag in annotation.tags.all()] == ["typography"]

    def test_anonymous_post_is_401(self, client, document):
        response = post(client, container(document), new_annotation(document))

        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"

    def test_source_of_another_document_is_refused_by_a_document_container(self, author_client, document):
        other = DocumentFactory()

        response = post(author_client, container(document), new_annotation(other))

        assert response.status_code == 400
        assert response.json()["field"] == "target.source"

    def test_global_container_takes_the_document_from_the_source(self, author_client, document):
        response = post(author_client, reverse("api-annotation-list"), new_annotation(document))

        assert response.status_code == 201
        assert Annotation.objects.get().document == document

    def test_a_draft_is_not_a_target(self, author_client, draft):
        response = post(author_client, reverse("api-annotation-list"), new_annotation(draft))

        assert response.status_code == 400
        assert "not a published document" in response.json()["detail"]

    def test_too_many_tags_and_too_long_comments_are_refused(self, author_client, document):
        many = post(
            author_client, container(document), new_annotation(document, tags=[f"t{i}" for i in range(21)])
        )
        long = post(author_client, container(document), new_annotation(document, comment="x" * 10_001))

        assert many.status_code == long.status_code == 400
        assert "20" in many.json()["detail"]
        assert "10,000" in long.json()["detail"] or "10000" in long.json()["detail"]
        assert not Annotation.objects.exists()

    def test_reply_inherits_visibility_and_document(self, author_client, document, other_user):
        parent = AnnotationFactory(document=document, author=other_user, visibility="public")
        reply = {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "replying",
            "body": [{"type": "TextualBody", "value": "I disagree", "purpose": "commenting"}],
            "target": f"{BASE}/api/annotations/{parent.pk}/",
            "visibility": "private",
        }

        response = post(author_client, container(document), reply)

        assert response.status_code == 201
        data = response.json()
        assert data["target"] == f"{BASE}/api/annotations/{parent.pk}/"
        assert data["motivation"] == "replying"
        created = Annotation.objects.get(parent=parent)
        assert (created.visibility, created.document, created.root) == ("public", document, parent)

    def test_cannot_reply_to_what_you_cannot_see(self, author_client, document, other_user):
        private = AnnotationFactory(document=document, author=other_user)
        reply = {
            "@context": ANNO,
            "type": "Annotation",
            "bodyValue": "Peek",
            "target": f"{BASE}/api/annotations/{private.pk}/",
        }

        response = post(author_client, container(document), reply)

        assert response.status_code == 400
        assert Annotation.objects.count() == 1


class TestResource:
    def test_get_has_protocol_headers(self, client, document):
        annotation = AnnotationFactory(document=document, visibility="public")

        response = client.get(reverse("api-annotation-detail", args=[annotation.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == MEDIA
        assert '<http://www.w3.org/ns/ldp#Resource>; rel="type"' in response["Link"]
        assert "constrainedBy" in response["Link"]
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["ETag"]
        assert "Accept" in response["Vary"]

    def test_if_none_match_gives_304(self, client, document):
        annotation = AnnotationFactory(document=document, visibility="public")
        url = reverse("api-annotation-detail", args=[annotation.pk])
        etag = client.get(url)["ETag"]

        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    def test_head_and_options(self, client, document):
        annotation = AnnotationFactory(document=document, visibility="public")
        url = reverse("api-annotation-detail", args=[annotation.pk])

        head = client.head(url)
        options = client.options(url)

        assert head.status_code == 200
        assert head["ETag"] == client.get(url)["ETag"]
        assert options.status_code == 200
        assert "PUT" in options["Allow"]

    def test_put_replaces_comment_and_tags(self, author_client, document, user):
        annotation = AnnotationFactory(document=document, author=user, tags=["old"])
        url = reverse("api-annotation-detail", args=[annotation.pk])
        current = author_client.get(url)
        data = current.json()
        data["body"] = [
            {
                "type": "TextualBody",
                "value": "**Better**",
                "purpose": "commenting",
                "format": "text/markdown",
            },
            {"type": "TextualBody", "value": "new", "purpose": "tagging"},
        ]
        data["visibility"] = "public"

        response = put(author_client, url, data, **{"If-Match": current["ETag"]})

        assert response.status_code == 200, response.json()
        annotation.refresh_from_db()
        assert annotation.comment == "**Better**"
        assert "<strong>Better</strong>" in annotation.comment_html
        assert list(annotation.tags.names()) == ["new"]
        assert annotation.visibility == "public"
        assert response["ETag"] != current["ETag"]

    def test_put_with_a_stale_if_match_is_412_and_changes_nothing(self, author_client, document, user):
        annotation = AnnotationFactory(document=document, author=user)
        url = reverse("api-annotation-detail", args=[annotation.pk])
        data = author_client.get(url).json()
        data["bodyValue"] = "Changed"
        data.pop("body", None)

        response = put(author_client, url, data, **{"If-Match": '"stale"'})

        assert response.status_code == 412
        assert response["Content-Type"] == "application/problem+json"
        annotation.refresh_from_db()
        assert annotation.comment == "A *note*."

    def test_put_cannot_move_an_annotation_to_another_document(self, author_client, document, user):
        annotation = AnnotationFactory(document=document, author=user)
        other = DocumentFactory()

        response = put(
            author_client, reverse("api-annotation-detail", args=[annotation.pk]), new_annotation(other)
        )

        assert response.status_code == 400
        annotation.refresh_from_db()
        assert annotation.document == document

    def test_others_cannot_change_a_public_annotation(self, client, document, other_user):
        annotation = AnnotationFactory(document=document, visibility="public")
        client.force_login(other_user)
        url = reverse("api-annotation-detail", args=[annotation.pk])

        assert put(client, url, new_annotation(document)).status_code == 403
        assert client.delete(url).status_code == 403
        assert Annotation.objects.filter(pk=annotation.pk).exists()

    def test_delete_answers_204_and_honours_if_match(self, author_client, document, user):
        annotation = AnnotationFactory(document=document, author=user)
        url = reverse("api-annotation-detail", args=[annotation.pk])

        stale = author_client.delete(url, headers={"If-Match": '"stale"'})
        etag = author_client.get(url)["ETag"]
        done = author_client.delete(url, headers={"If-Match": etag})

        assert stale.status_code == 412
        assert done.status_code == 204
        assert author_client.get(url).status_code == 404

    @pytest.mark.parametrize("header", ["W/{etag}", "W/*", '"other", W/{etag}', "{etag}x", "W/ {etag}"])
    def test_if_match_compares_strongly_so_a_weak_tag_never_matches(
        self, author_client, document, user, header
    ):
        """RFC 9110 §13.1.1: If-Match uses the strong comparison; a weak tag (``W/"…"``) never matches,
        and ``W/*`` is not ``*`` (nor any entity tag at all)."""
        annotation = AnnotationFactory(document=document, author=user)
        url = reverse("api-annotation-detail", args=[annotation.pk])
        current = author_client.get(url)
        data = {**current.json(), "bodyValue": "Changed"}
        data.pop("body", None)
        header = header.format(etag=current["ETag"])

        changed = put(author_client, url, data, **{"If-Match": header})
        deleted = author_client.delete(url, headers={"If-Match": header})

        assert (changed.status_code, deleted.status_code) == (412, 412)
        assert changed["Content-Type"] == "application/problem+json"
        if "W/" in header:
            assert "strong ETag" in changed.json()["detail"]
        annotation.refresh_from_db()
        assert annotation.comment == "A *note*."

    @pytest.mark.parametrize("header", ["*", "{etag}", '"other", {etag}', '"other",{etag} , W/"x"'])
    def test_if_match_with_the_current_strong_tag_or_a_star_is_met(
        self, author_client, document, user, header
    ):
        annotation = AnnotationFactory(document=document, author=user)
        url = reverse("api-annotation-detail", args=[annotation.pk])
        current = author_client.get(url)
        data = {**current.json(), "bodyValue": "Changed"}
        data.pop("body", None)

        response = put(author_client, url, data, **{"If-Match": header.format(etag=current["ETag"])})

        assert response.status_code == 200, response.content[:300]
        annotation.refresh_from_db()
        assert annotation.comment == "Changed"

    def test_editing_an_orphan_keeps_its_last_selection(self, author_client, document, user):
        annotation = AnnotationFactory(document=document, author=user, anchor="orphaned", exact="Gone word")
        url = reverse("api-annotation-detail", args=[annotation.pk])
        current = author_client.get(url)
        data = current.json()
        data["body"] = [{"type": "TextualBody", "value": "Still mine", "purpose": "commenting"}]

        response = put(author_client, url, data, **{"If-Match": current["ETag"]})

        assert response.status_code == 200
        annotation.refresh_from_db()
        assert (annotation.comment, annotation.exact, annotation.anchor) == (
            "Still mine",
            "Gone word",
            "orphaned",
        )


class TestContainer:
    def test_empty_container(self, client, document):
        response = client.get(container(document))

        assert response.status_code == 200
        assert response["Content-Type"] == MEDIA
        data = response.json()
        assert data["type"] == ["BasicContainer", "AnnotationCollection"]
        assert data["total"] == 0
        assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
        constrained_by = '<http://testserver/api/docs/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
        assert constrained_by in response["Link"]
        assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
        assert response["Accept-Post"] == MEDIA
        assert response["ETag"]
        assert "Prefer" in response["Vary"]

    def test_paging_across_pages(self, client, document):
        AnnotationFactory.create_batch(5, document=document, visibility="public")

        collection = client.get(container(document), {"page_size": 2}).json()

        assert collection["total"] == 5
        first = collection["first"]
        assert first["type"] == "AnnotationPage"
        assert len(first["items"]) == 2
        assert collection["last"].endswith("page=2")
        seen = [item["id"] for item in first["items"]]
        page = client.get(first["next"]).json()
        while True:
            assert page["partOf"]["total"] == 5
            seen += [item["id"] for item in page["items"]]
            if "next" not in page:
                break
            page = client.get(page["next"]).json()
        assert len(set(seen)) == 5
        assert page["startIndex"] == 4
        assert page["prev"].endswith("page=1")

    def test_page_beyond_the_last_is_404(self, client, document):
        response = client.get(container(document), {"page": 3})

        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    def test_page_size_has_a_maximum(self, client, document):
        AnnotationFactory.create_batch(3, document=document, visibility="public")

        data = client.get(container(document), {"page_size": 100000}).json()

        assert len(data["first"]["items"]) == 3
        assert client.get(container(document), {"page_size": "many"}).status_code == 400

    @pytest.mark.parametrize(
        ("prefer", "shape"),
        [
            ('return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"', "minimal"),
            ('return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"', "iris"),
            ('return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"', "full"),
        ],
    )
    def test_prefer_variants(self, client, document, prefer, shape):
        annotation = AnnotationFactory(document=document, visibility="public")

        response = client.get(container(document), headers={"Prefer": prefer})
        data = response.json()

        assert response["Preference-Applied"] == "return=representation"
        if shape == "minimal":
            assert isinstance(data["first"], str)
        elif shape == "iris":
            assert data["first"]["items"] == [f"{BASE}/api/annotations/{annotation.pk}/"]
        else:
            assert data["first"]["items"][0]["id"] == f"{BASE}/api/annotations/{annotation.pk}/"

    def test_etag_changes_when_the_contents_change(self, client, document, user):
        before = client.get(container(document))["ETag"]
        # Through the services, as every write is: they bump the document's annotations version.
        services.create_annotation(
            author=user, document=document, target=Target(start=0, end=5), visibility="public"
        )

        assert client.get(container(document))["ETag"] != before
        assert client.get(container(document), headers={"If-None-Match": before}).status_code == 200

    def test_filters(self, client, document):
        alice = UserFactory(username="alice")
        AnnotationFactory(document=document, author=alice, visibility="public", tags=["law"])
        AnnotationFactory(document=document, visibility="public", comment="", comment_html="")

        def total(**params):
            return client.get(reverse("api-annotation-list"), params).json()["total"]

        assert total() == 2
        assert total(tag="LAW") == 1
        assert total(creator="alice") == 1
        assert total(motivation="commenting") == 2
        assert total(visibility="private") == 0
        assert total(since="2000-01-01") == 2
        assert total(since="2999-01-01T00:00:00Z") == 0
        assert client.get(reverse("api-annotation-list"), {"since": "yesterday"}).status_code == 400
        assert client.get(reverse("api-annotation-list"), {"motivation": "x"}).status_code == 400

    def test_options_lists_post(self, client, document):
        response = client.options(container(document))

        assert response.status_code == 200
        assert "POST" in response["Allow"]

    def test_unknown_document_container_is_404(self, client):
        assert client.get("/api/documents/nope/annotations/").status_code == 404

    @pytest.mark.parametrize("count", [10, 500])
    def test_list_runs_a_fixed_number_of_queries(
        self, client, document, count, django_assert_max_num_queries
    ):
        author = UserFactory()
        Annotation.objects.bulk_create(
            [
                Annotation(
                    document=document,
                    author=author,
                    visibility="public",
                    start=0,
                    end=5,
                    exact=document.canonical_text[:5],
                )
                for _ in range(count)
            ]
        )

        with django_assert_max_num_queries(5):
            response = client.get(reverse("api-annotation-list"), {"page_size": 200})

        assert response.json()["total"] == count


@override_settings(API_WRITE_RATE_USER="2/min", API_WRITE_RATE_ADDRESS="100/min")
def test_writes_are_throttled_with_retry_after(client, user, document):
    cache.clear()
    client.force_login(user)
    try:
        codes = [post(client, container(document), new_annotation(document)).status_code for _ in range(3)]
        reads = client.get(container(document)).status_code
        last = post(client, container(document), new_annotation(document))
    finally:
        cache.clear()

    assert codes == [201, 201, 429]
    assert reads == 200
    assert int(last["Retry-After"]) > 0
    assert last["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"])
def test_text_no_database_can_store_is_a_problem_not_a_500(author_client, document, bad):
    data = new_annotation(document, comment=bad, tags=["fine"])

    response = post(author_client, container(document), data)

    assert response.status_code == 400
    assert response.json()["field"] == "body[0].value"
    assert not Annotation.objects.exists()


class TestProtocolConformance:
    """The MUSTs the W3C Web Annotation Protocol's own server tests check on containers."""

    PROTOCOL = "http://www.w3.org/TR/annotation-protocol/"
    CONSTRAINED_BY = 'rel="http://www.w3.org/ns/ldp#constrainedBy"'

    @pytest.mark.parametrize("scope", ["all", "document"])
    def test_a_container_names_itself_in_content_location(self, client, document, scope):
        AnnotationFactory(document=document, visibility="public")
        url = reverse("api-annotation-list") if scope == "all" else container(document)

        response = client.get(url)

        assert response["Content-Location"] == response.json()["id"] == BASE + url

    def test_a_page_names_itself_in_content_location(self, client, document):
        AnnotationFactory.create_batch(3, document=document, visibility="public")

        first = client.get(container(document), {"page_size": 2}).json()["first"]
        response = client.get(first["next"])

        assert response["Content-Location"] == response.json()["id"] == first["next"]

    def test_a_filtered_collection_is_a_resource_of_its_own(self, client, document):
        """A filtered answer is not a representation of the whole container, so its IRI keeps the filter."""
        AnnotationFactory(document=document, visibility="public", tags=["law"])

        response = client.get(container(document), {"tag": "law"})
        data = response.json()

        assert data["id"] == response["Content-Location"] == BASE + container(document) + "?tag=law"
        assert data["first"]["id"] == BASE + container(document) + "?tag=law&page=0"

    def test_a_created_annotation_names_itself_in_content_location(self, author_client, document):
        response = post(author_client, container(document), new_annotation(document))

        assert response.status_code == 201
        assert response["Content-Location"] == response["Location"] == response.json()["id"]

    @pytest.mark.parametrize("scope", ["all", "document", "page"])
    def test_containers_are_constrained_by_the_protocol_and_the_api_docs(self, client, document, scope):
        url = reverse("api-annotation-list") if scope == "all" else container(document)
        AnnotationFactory(document=document, visibility="public")

        response = client.get(url, {"page": 0} if scope == "page" else {})

        assert f"<{self.PROTOCOL}>; {self.CONSTRAINED_BY}" in response["Link"]
        assert f"<{BASE}/api/docs/>; {self.CONSTRAINED_BY}" in response["Link"]
        assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]

    def test_error_answers_link_the_constraints(self, author_client, document):
        response = post(author_client, container(document), new_annotation(document, exact="not in the text"))

        missing = author_client.get(container(document), {"page": 5})

        assert response.status_code == 400
        assert f"<{self.PROTOCOL}>; {self.CONSTRAINED_BY}" in response["Link"]
        assert missing.status_code == 404
        assert f"<{self.PROTOCOL}>; {self.CONSTRAINED_BY}" in missing["Link"]

    def test_the_protocol_tests_can_read_the_headers_of_a_head_request(self, client, document):
        url = container(document)

        head = client.head(url)

        assert head.status_code == 200
        assert head["Content-Location"] == BASE + url
        assert "GET" in head["Allow"] and "HEAD" in head["Allow"] and "OPTIONS" in head["Allow"]
