"""/search/, /api/search/, the feeds, the sitemap, the discovery orderings: what each shows, to whom."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.annotations import moderation, services
from documents.models import Annotation, Document, SearchEntry
from documents.search import ranking
from tests.documents.search.test_search import configs_read, make_document, note  # noqa: F401 (configs_read: a fixture)
from tests.factories import UserFactory
from tests.html import parse

ATOM = "{http://www.w3.org/2005/Atom}"
TEXT = "A preface.\n\nThe court shall have jurisdiction over the gravest crimes.\n\nThe senate shall decide."


@pytest.fixture
def statute(db):
    return make_document(title="The statute", slug="statute", creator="Drafting committee", text=TEXT)


@pytest.fixture
def secret(statute, user):
    return note(statute, user, "gravest crimes", comment="Zanzibar conspiracy", visibility="private")


@pytest.mark.parametrize("url", ["/", "/documents/", "/documents/statute/", "/search/", "/tags/"])
def test_every_page_has_the_header_search_box(client, statute, url):
    page = parse(client.get(url))
    [form] = [f for f in page.find_all("form", role="search") if f.attrs.get("aria-label") == "Site search"]
    assert form.attrs["action"] == "/search/" and form.attrs["method"] == "get"
    assert [i.attrs["name"] for i in form.find_all("input")] == ["q"]


@pytest.mark.parametrize("url", ["/", "/documents/", "/documents/statute/", "/annotations/"])
def test_pages_link_the_atom_feeds(client, statute, url):
    page = parse(client.get(url))
    links = page.find_all("link", rel="alternate", type="application/atom+xml")
    assert {link.attrs["href"] for link in links} == {"/feeds/documents/", "/feeds/annotations/"}
    visible = {a.attrs["href"] for a in page.find("body").find_all("a", type="application/atom+xml")}
    assert visible == {"/feeds/documents/", "/feeds/annotations/"}


def test_search_page_links_each_passage_hit_with_its_words(client, statute):
    page = parse(client.get("/search/", {"q": "jurisdiction"}))
    links = [a.attrs["href"] for a in page.find_all("a") if a.text_content == "Passage 2"]
    assert links == ["/documents/statute/?highlight=jurisdiction#p-2"]
    assert [m.text_content for m in page.find_all("mark")] == ["jurisdiction"]


def test_search_page_escapes_note_words(client, statute, user):
    note(statute, user, "senate", comment="Tiberius <script>alert(1)</script> Tiberius", visibility="public")
    body = client.get("/search/", {"q": "tiberius"}).content.decode()
    assert "Tiberius" in body and "<script>alert" not in body


def test_a_notes_snippet_is_its_plain_text_with_the_words_marked(client, statute, user):
    """A note is written in Markdown; its hit shows what a reader reads, not the asterisks. (Each
    back end chooses how much of the comment to show, so the snippet may end before it does.)"""
    comment = "The court acts *proprio motu*, see [article 15](https://example.org/a15) & `rule 48`."
    plain = "The court acts proprio motu, see article 15 & rule 48."
    note(statute, user, "senate", comment=comment, visibility="public")

    page = parse(client.get("/search/", {"q": "proprio"}))
    [snippet] = [p for p in page.find_all("p") if "search-snippet" in p.attrs.get("class", "")]
    assert snippet.text_content.strip().startswith("The court acts proprio motu, see article 15 &")
    assert plain.startswith(snippet.text_content.strip().rstrip("…").strip())
    assert [m.text_content for m in snippet.find_all("mark")] == ["proprio"]

    [hit] = client.get("/api/search/", {"q": "proprio"}).json()["annotations"]["items"]
    assert hit["snippet"].startswith("The court acts proprio motu, see article 15 &")
    assert hit["snippet_html"].startswith("The court acts <mark>proprio</mark> motu, see article 15 &amp;")


def test_a_notes_snippet_never_turns_typed_markup_into_markup(client, statute, user):
    note(statute, user, "senate", comment="Tiberius wrote `<b>` and <i>this</i>", visibility="public")
    [hit] = client.get("/api/search/", {"q": "tiberius"}).json()["annotations"]["items"]
    assert hit["snippet"].startswith("Tiberius wrote") and "`" not in hit["snippet"]
    assert "<b>" not in hit["snippet_html"] and "<i>" not in hit["snippet_html"]


def test_a_private_notes_words_are_nowhere_in_another_readers_results(client, statute, secret, other_user):
    client.force_login(other_user)
    for url in ("/search/", "/api/search/"):
        body = client.get(url, {"q": "zanzibar OR gravest"}).content.decode()
        assert "Zanzibar" not in body and "conspiracy" not in body
    assert client.get("/api/search/", {"q": "zanzibar"}).json()["annotations"]["total"] == 0


def test_the_author_finds_their_private_note(client, statute, secret, user):
    client.force_login(user)
    results = client.get("/api/search/", {"q": "zanzibar"}).json()
    [item] = results["annotations"]["items"]
    assert item["url"].endswith(f"/annotations/{secret.pk}/") and item["visibility"] == "private"
    assert item["snippet_html"] == "<mark>Zanzibar</mark> conspiracy"
    assert "Zanzibar" in client.get("/search/", {"q": "zanzibar"}).content.decode()


def test_api_search_returns_grouped_results(client, statute):
    results = client.get("/api/search/", {"q": "court jurisdiction"}).json()
    assert results["documents"]["total"] == 1 and results["annotations"]["total"] == 0
    [item] = results["documents"]["items"]
    assert item["slug"] == "statute" and item["url"] == "http://testserver/documents/statute/"
    [passage] = item["passages"]
    assert passage["n"] == 2 and passage["url"].endswith(
        "/documents/statute/?highlight=court+jurisdiction#p-2"
    )
    assert {facet["value"] for facet in results["facets"]["creator"]} == {"Drafting committee"}


def test_a_notes_hit_shows_its_author_document_and_tags_in_name_order(client, statute, user):
    note(statute, user, "senate", comment="Quorum rules", tags=["Procedure", "archive", "quorum"])
    [item] = client.get("/api/search/", {"q": "quorum"}).json()["annotations"]["items"]
    assert item["tags"] == ["archive", "Procedure", "quorum"]
    assert item["author"] == user.get_username() and item["document"] == "statute"
    assert item["quote"] == "senate" and item["visibility"] == "public" and "group" not in item
    page = parse(client.get("/search/", {"q": "quorum"}))
    [meta] = [p for p in page.find_all("p") if "Tags:" in p.text_content]
    assert meta.text_content.endswith("Tags: archive, Procedure, quorum")
    assert f"Note by {user.get_username()} on The statute" in page.text_content


BAD = ["", "   ", "x" * 1000, "%", "\\", "-court", "*", '"', "NEAR(", "AND AND", "' OR 1=1 --", "Суд", "法院"]


@pytest.mark.parametrize("query", BAD)
def test_bad_queries_never_fail_the_page(client, statute, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", BAD)
def test_bad_queries_get_a_problem_or_results_from_the_api(client, statute, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["detail"]


def test_an_empty_search_says_what_to_type(client, statute):
    page = parse(client.get("/search/", {"q": " "}))
    [error] = page.find_all("p", id="search-error")
    assert "Type a word" in error.text_content


def test_a_long_search_says_how_long_it_may_be(client, statute):
    response = client.get("/api/search/", {"q": "x" * 1000})
    assert response.status_code == 400 and "200 or fewer" in response.json()["detail"]


@pytest.mark.parametrize("decade", ["99999999999999999999", "-10", "1e3", "２０００", "x"])
def test_a_decade_that_cannot_be_one_is_ignored(client, statute, decade):
    response = client.get("/api/search/", {"q": "court", "decade": decade})
    assert response.status_code == 200 and response.json()["documents"]["total"] == 1


@pytest.mark.parametrize("decade", ["0", "5", "9990"])
def test_the_first_and_last_decades_answer_without_error(client, statute, decade):
    """Years 0 and 10000 do not exist for Python's dates: the bounds stay within 1-9999."""
    response = client.get("/api/search/", {"q": "court", "decade": decade})
    assert response.status_code == 200 and response.json()["documents"]["total"] == 0


def test_facet_links_narrow_the_search(client, statute):
    make_document(title="Another", slug="other", creator="Someone else", text="The court met.")
    page = parse(client.get("/search/", {"q": "court"}))
    [link] = [a for a in page.find_all("a") if a.text_content == "Someone else"]
    narrowed = client.get(link.attrs["href"]).content.decode()
    assert "/documents/other/" in narrowed and "/documents/statute/" not in narrowed


@pytest.mark.usefixtures("configs_read")
def test_the_search_page_runs_a_fixed_number_of_queries(client, statute, user):
    client.force_login(user)
    note(statute, user, "senate", comment="senate note", tags=["t"], visibility="public")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/search/", {"q": "senate"}).status_code == 200
    for n in range(12):
        document = make_document(title=f"Senate {n}", slug=f"senate-{n}", text=f"The senate sat {n} times.")
        note(
            document,
            UserFactory(),
            "senate",
            comment=f"senate note {n}",
            tags=[f"tag-{n}"],
            visibility="public",
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get("/search/", {"q": "senate"}).content.decode()
    assert "13 documents" in body and "13 annotations" in body
    assert len(many) == len(few)


class TestFeeds:
    def test_the_documents_feed_lists_published_documents_only(self, client, statute):
        make_document(title="Secret draft", slug="draft", status=Document.Status.DRAFT, text="Hidden.")
        response = client.get("/feeds/documents/")
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert "The statute" in body and "Secret draft" not in body

    def test_the_annotations_feed_holds_public_visible_notes_only(self, client, statute, user, curator):
        note(statute, user, "senate", comment="Open remark", visibility="public")
        note(statute, user, "court", comment="Private remark", visibility="private")
        hidden = note(statute, user, "jurisdiction", comment="Hidden remark", visibility="public")
        services.create_annotation(author=curator, parent=hidden, comment="Reply below hidden")
        moderation.hide_annotation(hidden, by=curator, reason="Spam")
        draft = make_document(title="Draft", slug="draft", status=Document.Status.DRAFT, text="Draft words.")
        Annotation.objects.create(
            document=draft, author=user, visibility="public", comment="Remark on a draft", exact="Draft"
        )
        body = client.get("/feeds/annotations/").content.decode()
        assert "Open remark" in body
        for absent in ("Private remark", "Hidden remark", "Reply below hidden", "Remark on a draft"):
            assert absent not in body
        client.force_login(user)
        assert "Private remark" not in client.get("/feeds/annotations/").content.decode()

    def test_the_annotations_feed_is_valid_atom_whose_page_lists_its_notes(self, client, statute, user):
        note(statute, user, "senate", comment="Open *remark*", visibility="public")
        note(statute, user, "court", comment="Private remark", visibility="private")
        feed = ElementTree.fromstring(client.get("/feeds/annotations/").content)  # noqa: S314 (our own feed)
        [alternate] = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert alternate.get("href") == "http://testserver/annotations/"
        [entry] = feed.findall(f"{ATOM}entry")
        assert entry.find(f"{ATOM}author/{ATOM}name").text == user.username
        assert entry.find(f"{ATOM}author/{ATOM}uri").text == f"http://testserver/readers/{user.username}/"
        for element in (feed, entry):  # RFC 4287: each has an id, a title and an updated date
            assert all(element.find(f"{ATOM}{name}").text for name in ("id", "title", "updated"))

        page = parse(client.get("/annotations/"))
        listed = page.find("main").text_content
        assert "Open remark" in listed and "Private remark" not in listed
        client.force_login(user)
        assert "Private remark" not in parse(client.get("/annotations/")).find("main").text_content

    def test_the_documents_feed_is_valid_atom(self, client, statute):
        feed = ElementTree.fromstring(client.get("/feeds/documents/").content)  # noqa: S314 (our own feed)
        [alternate] = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert alternate.get("href") == "http://testserver/documents/"
        [entry] = feed.findall(f"{ATOM}entry")
        assert all(entry.find(f"{ATOM}{name}").text for name in ("id", "title", "updated"))

    def test_the_sitemap_lists_published_documents_only(self, client, statute):
        make_document(title="Secret draft", slug="draft", status=Document.Status.DRAFT, text="Hidden.")
        body = client.get("/sitemap.xml").content.decode()
        assert "http://testserver/documents/statute/" in body and "/documents/draft/" not in body


class TestDiscoveryOrderings:
    def test_most_annotated_counts_public_notes_only(self, client, user):
        busy = make_document(title="Busy", slug="busy", date="1900-01-01", text="Alpha beta gamma.")
        quiet = make_document(title="Quiet", slug="quiet", date="1950-01-01", text="Alpha beta gamma.")
        note(busy, user, "Alpha", comment="one", visibility="public")
        for word in ("Alpha", "beta", "gamma"):
            note(quiet, user, word, comment="private", visibility="private")
        page = parse(client.get("/documents/", {"sort": "most-annotated"}))
        titles = [
            a.text_content
            for a in page.find_all("a")
            if a.attrs.get("href") in ("/documents/busy/", "/documents/quiet/")
        ]
        assert titles == ["Busy", "Quiet"]

    def test_recently_annotated_puts_the_latest_public_note_first(self, client, user):
        old = make_document(title="Old", slug="old", date="1900-01-01", text="Alpha beta gamma.")
        new = make_document(title="New", slug="new", date="1950-01-01", text="Alpha beta gamma.")
        note(old, user, "Alpha", comment="first", visibility="public")
        note(new, user, "beta", comment="second", visibility="public")
        note(old, user, "gamma", comment="latest but private", visibility="private")
        page = parse(client.get("/documents/", {"sort": "recently-annotated"}))
        titles = [
            a.text_content
            for a in page.find_all("a")
            if a.attrs.get("href") in ("/documents/old/", "/documents/new/")
        ]
        assert titles == ["New", "Old"]


class TestCommands:
    def test_rebuild_search_index_restores_the_index(self, statute, secret, capsys):
        SearchEntry.objects.all().delete()
        call_command("rebuild_search_index")
        assert "Indexed 1 documents and 1 annotations." in capsys.readouterr().out
        assert SearchEntry.objects.filter(kind="annotation").count() == 1

    def test_rebuild_if_empty_leaves_a_full_index_alone(self, statute, capsys):
        call_command("rebuild_search_index", "--if-empty")
        assert capsys.readouterr().out == ""

    def test_seed_demo_is_deterministic(self, db):
        def snapshot():
            call_command(
                "seed_demo",
                "--documents",
                "5",
                "--annotations",
                "40",
                "--users",
                "3",
                "--seed",
                "7",
                "--replace",
            )
            return (
                list(Document.objects.order_by("slug").values_list("slug", "title", "text", "date")),
                list(
                    Annotation.objects.order_by("created").values_list(
                        "exact", "comment", "start", "author__username"
                    )
                ),
            )

        first = snapshot()
        assert len(first[0]) == 5 and len(first[1]) == 40
        assert first == snapshot()
        assert all(exact for exact, *_ in first[1])
        assert SearchEntry.objects.filter(kind="annotation").count() == 40

    def test_seed_demo_notes_quote_their_documents(self, db):
        call_command("seed_demo", "--documents", "3", "--annotations", "30", "--users", "2", "--seed", "1")
        for annotation in Annotation.objects.select_related("document"):
            assert annotation.document.canonical_text[annotation.start : annotation.end] == annotation.exact


class TestNotesSearch:
    def test_the_panel_searches_the_notes_the_reader_may_see(self, client, statute, secret, user, other_user):
        note(statute, other_user, "senate", comment="Zanzibar in public", visibility="public")
        note(statute, other_user, "court", comment="Unrelated", visibility="public")
        client.force_login(other_user)
        page = parse(client.get("/documents/statute/", {"q": "zanzibar"}))
        [panel] = page.find_all("section", id="annotations")
        assert "Zanzibar in public" in panel.text_content
        assert "Unrelated" not in panel.text_content and "conspiracy" not in panel.text_content
        client.force_login(user)
        panel_text = parse(client.get("/documents/statute/", {"q": "zanzibar"})).find_all(
            "section", id="annotations"
        )
        assert "Zanzibar conspiracy" in panel_text[0].text_content

    def test_the_panel_says_why_a_search_cannot_run(self, client, statute):
        page = parse(client.get("/documents/statute/", {"q": "-court"}))
        [error] = page.find_all("p", id="annotation-search-q-error")
        assert "minus sign" in error.text_content

    def test_my_notes_finds_my_own_notes_by_their_words(self, client, statute, secret, user, other_user):
        note(statute, user, "senate", comment="Budget question", visibility="public")
        note(statute, other_user, "court", comment="Zanzibar elsewhere", visibility="public")
        client.force_login(user)
        page = parse(client.get("/accounts/profile/", {"q": "zanzibar"}))
        assert [f for f in page.find_all("form") if f.attrs.get("aria-label") == "Search my notes"]
        body = page.text_content
        assert "Zanzibar conspiracy" in body
        assert "Budget question" not in body and "Zanzibar elsewhere" not in body


def test_the_seed_is_searchable_as_soon_as_it_is_loaded(client, db, settings):
    call_command("load_seed")
    results = client.get("/api/search/", {"q": '"Rome Statute" signing'}).json()
    assert "statement-on-signature-of-the-icc-treaty" in {
        item["slug"] for item in results["documents"]["items"]
    }


def test_totals_beyond_the_cap_say_they_are_minimums(client, statute, user, monkeypatch):
    monkeypatch.setattr(ranking, "CANDIDATES", 2)
    for n in range(4):
        note(statute, user, "senate", comment=f"senate note {n}", visibility="public")
    api = client.get("/api/search/", {"q": "senate"}).json()
    assert api["annotations"]["total"] == 2 and api["annotations"]["total_is_lower_bound"] is True
    assert api["total_is_lower_bound"] is True
    assert api["documents"]["total_is_lower_bound"] is False
    body = client.get("/search/", {"q": "senate"}).content.decode()
    assert "More than 2 annotations" in body and "Counted over the first 2 matches" in body


def test_exact_totals_are_not_called_minimums(client, statute):
    api = client.get("/api/search/", {"q": "senate"}).json()
    assert api["total_is_lower_bound"] is False and api["annotations"]["total_is_lower_bound"] is False
    body = client.get("/search/", {"q": "senate"}).content.decode()
    assert "More than" not in body and "At least" not in body


@pytest.mark.usefixtures("configs_read")
def test_the_search_page_runs_as_many_queries_beyond_the_cap(client, statute, user, monkeypatch):
    monkeypatch.setattr(ranking, "CANDIDATES", 3)
    client.force_login(user)
    note(statute, user, "senate", comment="senate note", tags=["t"], visibility="private")
    with CaptureQueriesContext(connection) as few:
        assert "More than" not in client.get("/search/", {"q": "senate"}).content.decode()
    for n in range(8):
        document = make_document(title=f"Senate {n}", slug=f"senate-{n}", text=f"The senate sat {n} times.")
        note(document, UserFactory(), "senate", comment=f"senate {n}", tags=[f"tag-{n}"], visibility="public")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/search/", {"q": "senate"}).content.decode()
    assert "More than 3 annotations" in body and "At least " in body
    assert len(many) == len(few)
