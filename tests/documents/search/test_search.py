"""documents.search.query: the same hits on both databases, fresh after every write, private notes private."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.annotations import moderation, services, text_changes
from documents.annotations.writes import Target
from documents.models import Annotation, Document, SearchEntry
from documents.search import index as search_index
from documents.search import query as search
from documents.search import ranking
from documents.search.backends import postgresql, sqlite
from documents.search.syntax import QueryError
from tests.factories import CollectionFactory, UserFactory

STATEMENT = (
    "# Statement on the Rome Statute\n\n"
    "The United States is today signing the Rome Treaty on the International Criminal Court.\n\n"
    "Court jurisdiction over our soldiers remains a concern; we will continue to engage.\n\n"
    "I will not, and do not recommend that my successor submit the treaty to the Senate."
)
LETTER = (
    "Dear Sir,\n\n"
    "The fisheries of the northern coast were discussed at length.\n\n"
    "We spoke of whales, of herring and of the jurisdictions of the harbours."
)
SPEECH = "Friends,\n\nThe railway opens tomorrow and the harbour will flourish."


@pytest.fixture
def configs_read(monkeypatch):
    """For counting a search's queries: the text search configurations in use, which PostgreSQL
    reads at most once a minute (docs/search.md, "How search works"), held as read already, so that no reading
    falls into one count and not another."""
    monkeypatch.setattr(postgresql.PostgreSQL, "_in_use", (["english"], math.inf))


def make_document(**fields) -> Document:
    fields.setdefault("status", Document.Status.PUBLISHED)
    document = Document(**fields)
    text_changes.save_document(document)
    return document


@pytest.fixture
def archive(db):
    collection = CollectionFactory(slug="presidents", title="Presidents")
    statement = make_document(
        title="Statement on signing the Rome Treaty",
        slug="statement",
        creator="William J. Clinton",
        type=Document.Type.STATEMENT,
        date="2000-12-31",
        text=STATEMENT,
    )
    statement.collections.add(collection)
    statement.tags.add("icc")
    letter = make_document(
        title="A letter on fisheries",
        slug="letter",
        creator="Mary Smith",
        type=Document.Type.LETTER,
        date="1851-03-02",
        description="Correspondence about the northern coast.",
        text=LETTER,
    )
    speech = make_document(
        title="Opening of the railway",
        slug="speech",
        creator="Mary Smith",
        type=Document.Type.SPEECH,
        date="1859-06-01",
        text=SPEECH,
    )
    return {"statement": statement, "letter": letter, "speech": speech}


def note(document, author, words, *, comment="", tags=(), visibility="public") -> Annotation:
    start = document.canonical_text.index(words)
    return services.create_annotation(
        author=author,
        document=document,
        target=Target(exact=words, start=start, end=start + len(words)),
        comment=comment,
        tags=tags,
        visibility=visibility,
    )


def slugs(results) -> list[str]:
    return sorted(hit.document.slug for hit in results.documents)


def comments(results) -> list[str]:
    return sorted(hit.annotation.comment for hit in results.annotations)


# The shared queries: each back end must give exactly these hits (SQLite locally, PostgreSQL in CI).
SHARED = [
    ("jurisdiction", ["letter", "statement"]),
    ("harbour", ["letter", "speech"]),
    ('"criminal court"', ["statement"]),
    ('"court criminal"', []),
    ("harbour -railway", ["letter"]),
    ("whales OR railway", ["letter", "speech"]),
    ("treaty senate", ["statement"]),
    ("fisheries", ["letter"]),
    ("Clinton", ["statement"]),
    ("northern coast", ["letter"]),
    ("soldier", ["statement"]),
    ("flourishing", ["speech"]),
]


@pytest.mark.parametrize(("query", "expected"), SHARED)
def test_both_back_ends_find_the_same_documents(archive, query, expected):
    assert slugs(search.search(query, user=AnonymousUser())) == expected


def test_passage_hits_link_to_their_passage_with_the_words_to_highlight(archive):
    results = search.search("jurisdiction", user=AnonymousUser())
    statement = next(hit for hit in results.documents if hit.document.slug == "statement")
    [passage] = statement.passages
    assert passage.n == 3
    assert passage.url == "/documents/statement/?highlight=jurisdiction#p-3"
    assert ("jurisdiction", True) in [(text.casefold(), marked) for text, marked in passage.snippet]


def test_best_document_comes_first(archive):
    results = search.search("fisheries", user=AnonymousUser())
    assert results.documents[0].document.slug == "letter"


def test_a_private_note_is_found_by_its_author_alone(archive, user, other_user, curator):
    note(archive["letter"], user, "herring", comment="Zanzibar secret", visibility="private")
    assert comments(search.search("zanzibar", user=user)) == ["Zanzibar secret"]
    for reader in (other_user, curator, AnonymousUser()):
        results = search.search("zanzibar", user=reader)
        assert results.annotations == [] and results.annotation_total == 0
        assert all(value.count == 0 for values in results.facets.values() for value in values)
        assert results.facets["tag"] == [] and results.facets["type"] == []


def test_a_private_notes_tags_are_no_facet_for_others(archive, user, other_user):
    note(archive["letter"], user, "herring", comment="fish", tags=["hush-hush"], visibility="private")
    note(archive["letter"], other_user, "whales", comment="fish too", tags=["open"], visibility="public")
    mine = search.search("fish", user=user).facets["tag"]
    theirs = search.search("fish", user=other_user).facets["tag"]
    assert {value.value for value in mine} == {"hush-hush", "open"}
    assert {value.value for value in theirs} == {"open"}


def test_a_private_quote_is_not_a_hit_for_others_but_the_document_is(archive, user, other_user):
    note(archive["letter"], user, "herring", comment="", visibility="private")
    assert search.search("herring", user=other_user).annotation_total == 0
    assert slugs(search.search("herring", user=other_user)) == ["letter"]
    assert search.search("herring", user=user).annotation_total == 1


def test_drafts_are_found_by_curators_alone(archive, user, curator):
    make_document(title="Secret draft", slug="draft", status=Document.Status.DRAFT, text="Quokka plans.")
    assert slugs(search.search("quokka", user=user)) == []
    assert slugs(search.search("quokka", user=AnonymousUser())) == []
    assert slugs(search.search("quokka", user=curator)) == ["draft"]


class TestFreshness:
    def test_a_created_note_is_found_at_once(self, archive, user):
        note(archive["speech"], user, "railway", comment="Steam engines")
        assert comments(search.search("steam", user=AnonymousUser())) == ["Steam engines"]

    def test_an_edited_note_is_found_by_its_new_words_only(self, archive, user):
        annotation = note(archive["speech"], user, "railway", comment="Steam engines")
        services.update_annotation(annotation, comment="Diesel engines", tags=["locomotives"])
        assert search.search("steam", user=AnonymousUser()).annotation_total == 0
        assert comments(search.search("diesel", user=AnonymousUser())) == ["Diesel engines"]
        assert comments(search.search("locomotives", user=AnonymousUser())) == ["Diesel engines"]

    def test_a_hidden_note_is_gone_for_readers_and_back_when_restored(self, archive, user, curator):
        annotation = note(archive["speech"], user, "railway", comment="Steam engines")
        moderation.hide_annotation(annotation, by=curator, reason="Off topic")
        assert search.search("steam", user=AnonymousUser()).annotation_total == 0
        assert search.search("steam", user=user).annotation_total == 1
        moderation.restore_annotation(annotation)
        assert search.search("steam", user=AnonymousUser()).annotation_total == 1

    def test_a_reply_below_a_hidden_note_is_hidden_too(self, archive, user, other_user, curator):
        annotation = note(archive["speech"], user, "railway", comment="Steam engines")
        services.create_annotation(author=other_user, parent=annotation, comment="Coal smoke")
        assert search.search("coal", user=AnonymousUser()).annotation_total == 1
        moderation.hide_annotation(annotation, by=curator, reason="Off topic")
        assert search.search("coal", user=AnonymousUser()).annotation_total == 0

    def test_a_note_made_private_is_gone_for_others(self, archive, user, other_user):
        annotation = note(archive["speech"], user, "railway", comment="Steam engines")
        services.update_annotation(annotation, visibility="private")
        assert search.search("steam", user=other_user).annotation_total == 0
        assert search.search("steam", user=user).annotation_total == 1

    def test_a_deleted_note_is_gone_with_its_replies(self, archive, user, other_user):
        annotation = note(archive["speech"], user, "railway", comment="Steam engines")
        services.create_annotation(author=other_user, parent=annotation, comment="Coal smoke")
        services.delete_annotation(annotation)
        assert search.search("steam OR coal", user=user).annotation_total == 0
        assert not SearchEntry.objects.filter(kind=SearchEntry.Kind.ANNOTATION).exists()

    def test_an_edited_document_is_found_by_its_new_text_only(self, archive):
        speech = archive["speech"]
        speech.text = "Friends,\n\nThe canal opens tomorrow."
        text_changes.save_document(speech)
        assert slugs(search.search("flourish", user=AnonymousUser())) == []
        assert slugs(search.search("canal", user=AnonymousUser())) == ["speech"]

    def test_an_unpublished_document_is_gone_at_once(self, archive):
        speech = archive["speech"]
        speech.status = Document.Status.DRAFT
        text_changes.save_document(speech)
        assert slugs(search.search("railway", user=AnonymousUser())) == []

    def test_a_deleted_document_takes_its_entries(self, archive, user):
        note(archive["speech"], user, "railway", comment="Steam engines")
        archive["speech"].delete()
        assert not SearchEntry.objects.filter(document_id=archive["speech"].pk).exists()
        assert slugs(search.search("railway", user=user)) == []


class TestFacets:
    def test_facets_count_the_hits(self, archive):
        facets = search.search("jurisdiction OR harbour", user=AnonymousUser()).facets

        def counts(name):
            return {(v.value, v.count) for v in facets[name]}

        assert counts("type") == {("statement", 1), ("letter", 1), ("speech", 1)}
        assert counts("creator") == {("Mary Smith", 2), ("William J. Clinton", 1)}
        assert counts("decade") == {("1850", 2), ("2000", 1)}
        assert [(v.label, v.count) for v in facets["collection"]] == [("Presidents", 1)]
        assert counts("tag") == {("icc", 1)}

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            (search.Filters(type="letter"), ["letter"]),
            (search.Filters(creator="Mary Smith"), ["letter", "speech"]),
            (search.Filters(decade=2000), ["statement"]),
            (search.Filters(collection="presidents"), ["statement"]),
            (search.Filters(tag="icc"), ["statement"]),
        ],
    )
    def test_facets_narrow_the_hits(self, archive, filters, expected):
        results = search.search("jurisdiction OR harbour", user=AnonymousUser(), filters=filters)
        assert slugs(results) == expected


def test_results_are_paginated(db):
    for n in range(ranking.PAGE_SIZE + 3):
        make_document(title=f"Ledger {n}", slug=f"ledger-{n}", text="Accounts of the mill.")
    first = search.search("mill", user=AnonymousUser())
    second = search.search("mill", user=AnonymousUser(), page=2)
    assert first.document_total == ranking.PAGE_SIZE + 3 and first.pages == 2
    assert len(first.documents) == ranking.PAGE_SIZE and len(second.documents) == 3
    assert not {h.document.pk for h in first.documents} & {h.document.pk for h in second.documents}


@pytest.mark.parametrize(
    "query",
    [
        "NEAR(",
        "NEAR(court treaty, 2)",
        "court*",
        "AND AND court",
        "court OR OR",
        "OR court",
        '"unbalanced court',
        'court" treaty',
        "'; DROP TABLE documents_document; --",
        "1=1 OR court",
        "court %",
        "court \\ treaty",
        "cour^t",
        "Суд юрисдикция",
        "法院 管轄",
        "محكمة",
        "court:title",
        "{court}",
        "x" * 199,
    ],
)
def test_odd_queries_give_results_not_errors(archive, query):
    search.search(query, user=AnonymousUser())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("x" * 1000, "shorten it to 200"),
        ("%", "punctuation alone"),
        ("\\", "punctuation alone"),
        ("*", "punctuation alone"),
        ("-court", "minus sign only leaves words out"),
        ("a b c d e f g h i j k l m", "at most 12"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(archive, query, message):
    with pytest.raises(QueryError, match=message):
        search.search(query, user=AnonymousUser())


def test_rebuild_restores_a_lost_index(archive, user):
    note(archive["speech"], user, "railway", comment="Steam engines", tags=["locomotives", "boilers"])
    SearchEntry.objects.all().delete()
    assert slugs(search.search("railway", user=user)) == []
    assert search_index.rebuild() == (3, 1)
    assert slugs(search.search("railway", user=user)) == ["speech"]
    assert search.search("steam", user=user).annotation_total == 1
    assert search.search("boilers locomotives", user=user).annotation_total == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_a_rebuild_leaves_each_fts5_table_in_one_segment(archive, user):
    note(archive["speech"], user, "railway", comment="Steam engines", tags=["locomotives"])
    search_index.rebuild()
    with connection.cursor() as cursor:
        for table in sqlite.SQLite.TABLES.values():
            cursor.execute(f"SELECT COUNT(DISTINCT segid) FROM {table}_idx")  # noqa: S608 (our table names)
            assert cursor.fetchone() == (1,)
    assert search.search("steam", user=user).annotation_total == 1


def test_my_notes_search_only_mine(archive, user, other_user):
    note(archive["speech"], user, "railway", comment="Steam engines", visibility="private")
    note(archive["speech"], other_user, "harbour", comment="Steam ships", visibility="public")
    mine = search.search(
        "steam", user=user, annotations=Annotation.objects.filter(author=user), include_documents=False
    )
    assert comments(mine) == ["Steam engines"] and mine.documents == []


def test_stemming_follows_the_documents_language(db):
    make_document(title="Lettre", slug="lettre", language="fr", text="Les chevaux mangeaient.")
    hits = slugs(search.search("chevaux", user=AnonymousUser()))
    assert hits == ["lettre"]


def test_a_language_indexed_after_a_search_is_found_at_once(db, user, monkeypatch):
    """The configurations in use are remembered between searches (docs/search.md, "How search works"), but
    only as
    a hint: a document in a language first indexed since is found by the very next search."""
    monkeypatch.setattr(postgresql.PostgreSQL, "_in_use", None)
    make_document(title="Letter", slug="letter", text="The horses ate.")
    assert slugs(search.search("horses", user=AnonymousUser())) == ["letter"]
    french = make_document(title="Lettre", slug="lettre", language="fr", text="Les chevaux mangeaient.")
    note(french, user, "chevaux", comment="Des chevaux partout", visibility="public")
    assert slugs(search.search("chevaux", user=AnonymousUser())) == ["lettre"]
    assert search.search("chevaux", user=AnonymousUser()).annotation_total == 1
    matching = search.matching_annotations("chevaux", user=user, annotations=Annotation.objects.all())
    assert [a.comment for a in matching] == ["Des chevaux partout"]


def test_a_search_runs_a_fixed_number_of_queries(archive, user, configs_read):
    """Six: each group's candidates, both groups' snippets, the facets with the shown notes' tags,
    the documents shown and the notes shown."""

    def run():
        return search.search("harbour OR jurisdiction OR court", user=user)

    note(archive["speech"], user, "harbour", comment="court", tags=["mine"], visibility="private")
    with CaptureQueriesContext(connection) as few:
        run()
    for n in range(15):
        document = make_document(title=f"Harbour {n}", slug=f"harbour-{n}", text=f"Harbour court {n}.")
        note(document, UserFactory(), "Harbour", comment=f"court note {n}", tags=[f"t{n}"])
    with CaptureQueriesContext(connection) as many:
        results = run()
    assert results.document_total > ranking.PAGE_SIZE and results.annotation_total > ranking.PAGE_SIZE
    assert len(many) == len(few) == 6


class TestBoundedWork:
    """Each group reads at most ``CANDIDATES`` visible matches (docs/performance.md, "Search benchmark")."""

    @pytest.fixture
    def cap(self, monkeypatch):
        monkeypatch.setattr(ranking, "CANDIDATES", 5)
        return 5

    def mills(self, count: int, author, *, visibility: str = "public", start: int = 0) -> None:
        for n in range(start, start + count):
            document = make_document(
                title=f"Ledger {n}", slug=f"ledger-{n}", text=f"Accounts of the mill {n}."
            )
            note(document, author, "mill", comment=f"Mill note {n}", visibility=visibility)

    def test_totals_up_to_the_cap_are_exact(self, db, cap, user):
        self.mills(cap, user)
        results = search.search("mill", user=AnonymousUser())
        assert (results.document_total, results.annotation_total) == (cap, cap)
        assert not results.document_total_is_lower_bound and not results.annotation_total_is_lower_bound
        assert not results.total_is_lower_bound

    def test_totals_beyond_the_cap_are_lower_bounds(self, db, cap, user):
        self.mills(cap + 3, user)
        results = search.search("mill", user=AnonymousUser())
        assert results.annotation_total == cap and results.annotation_total_is_lower_bound
        assert results.document_total == cap and results.document_total_is_lower_bound
        assert results.total_is_lower_bound
        assert sum(value.count for value in results.facets["type"]) == cap

    def test_others_private_notes_take_no_place_among_the_candidates(self, db, cap, user, other_user):
        self.mills(cap + 3, user, visibility="private")
        document = Document.objects.get(slug="ledger-0")
        note(document, other_user, "mill", comment="Mill public", visibility="public")
        theirs = search.search("mill", user=other_user)
        assert comments(theirs) == ["Mill public"] and theirs.annotation_total == 1
        assert not theirs.annotation_total_is_lower_bound
        mine = search.search("mill", user=user)
        assert mine.annotation_total == cap and mine.annotation_total_is_lower_bound

    def test_the_pages_rank_the_candidates(self, db, cap, user):
        self.mills(cap + 3, user)
        first = search.search("mill", user=AnonymousUser())
        assert len(first.annotations) == cap and first.pages == 1

    def test_query_count_is_the_same_below_and_beyond_the_cap(self, db, cap, user, configs_read):
        self.mills(2, user)
        with CaptureQueriesContext(connection) as few:
            below = search.search("mill", user=user)
        self.mills(cap * 3, user, start=2)
        with CaptureQueriesContext(connection) as many:
            beyond = search.search("mill", user=user)
        assert not below.total_is_lower_bound and beyond.total_is_lower_bound
        assert len(many) == len(few)

    def test_a_note_is_found_at_once_beside_many_others(self, db, cap, user, other_user):
        self.mills(cap + 3, user)
        document = Document.objects.get(slug="ledger-1")
        created = note(document, other_user, "mill", comment="Unique okapi mill", visibility="public")
        assert comments(search.search("okapi", user=AnonymousUser())) == ["Unique okapi mill"]
        services.delete_annotation(created)
        assert search.search("okapi", user=AnonymousUser()).annotation_total == 0
