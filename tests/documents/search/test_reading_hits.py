"""Reading hits (docs/search.md, "How search works": "Reading hits"): a note's quote marked, a changed
quote still found, British and American spellings, "Did you mean", and a page past the last."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from documents.annotations import text_changes
from documents.models import Annotation
from documents.search import query as search
from documents.search import ranking, spellings, vocabulary
from tests.documents.search.test_search import make_document, note
from tests.html import parse

TEXT = (
    "A preface on the <b>herring</b> trade.\n\n"
    "The politicised debate on fisheries went on.\n\n"
    "We spoke of whales and of the colour of the sea."
)


@pytest.fixture
def letter(db):
    return make_document(title="A letter", slug="letter", text=TEXT)


def marked(parts) -> list[str]:
    return [text.casefold() for text, is_marked in parts if is_marked]


class TestQuotes:
    def test_a_notes_quote_marks_the_matched_words(self, letter, user):
        note(letter, user, "We spoke of whales", comment="Cetaceans")
        [hit] = search.search("whales", user=AnonymousUser()).annotations
        assert marked(hit.quote) == ["whales"]
        assert "".join(text for text, _ in hit.quote) == "We spoke of whales"

    def test_the_search_page_marks_the_quote_escaped(self, client, letter, user):
        note(letter, user, "<b>herring</b> trade", comment="Fish")
        page = parse(client.get("/search/", {"q": "herring"}))
        [quote] = page.find_all("blockquote")
        assert [m.text_content for m in quote.find_all("mark")] == ["herring"]
        assert "<b>" in quote.text_content and quote.find_all("b") == []

    def test_the_api_gives_the_quote_marked_and_escaped(self, client, letter, user):
        note(letter, user, "<b>herring</b> trade", comment="Fish")
        [item] = client.get("/api/search/", {"q": "herring"}).json()["annotations"]["items"]
        assert item["quote"] == "<b>herring</b> trade"
        assert item["quote_html"] == "&lt;b&gt;<mark>herring</mark>&lt;/b&gt; trade"

    def test_a_long_quote_is_cut_with_its_marks(self, user):
        words = "word " * 100 + "narwhal"
        document = make_document(title="Long", slug="long", text=words)
        note(document, user, words, comment="Long")
        [hit] = search.search("word", user=AnonymousUser()).annotations
        assert len("".join(text for text, _ in hit.quote)) <= ranking.QUOTE_LENGTH
        assert hit.quote[-1] == ("…", False)


QUOTE = "We spoke of whales and of the colour of the sea."


class TestChangedQuotes:
    def test_a_note_is_found_by_the_words_it_quoted_before_an_edit(self, letter, user):
        annotation = note(letter, user, QUOTE, comment="Cetaceans")
        letter.text = TEXT.replace("whales", "dolphins")
        text_changes.save_document(letter)
        annotation.refresh_from_db()
        assert annotation.quote_changed and annotation.original_exact == QUOTE
        assert annotation.exact == QUOTE.replace("whales", "dolphins")
        [hit] = search.search("whales", user=AnonymousUser()).annotations
        assert hit.annotation.pk == annotation.pk
        assert search.search("whales", user=AnonymousUser()).document_total == 0

    def test_the_quote_accepted_again_forgets_the_old_words(self, letter, user):
        annotation = note(letter, user, QUOTE, comment="Cetaceans")
        letter.text = TEXT.replace("whales", "dolphins")
        text_changes.save_document(letter)
        text_changes.accept_changed_quote(Annotation.objects.get(pk=annotation.pk), by=user)
        assert search.search("whales", user=AnonymousUser()).annotation_total == 0
        assert search.search("dolphins", user=AnonymousUser()).annotation_total == 1


class TestSpellings:
    @pytest.mark.parametrize("words", ["politicized", "politicised", '"politicized debate"', "Politicized"])
    def test_either_spelling_finds_the_other(self, letter, words):
        results = search.search(words, user=AnonymousUser())
        assert [hit.document.slug for hit in results.documents] == ["letter"]

    def test_an_american_word_finds_a_british_note_and_marks_it(self, letter, user):
        note(letter, user, "the colour of the sea", comment="A grey colour")
        results = search.search("color", user=AnonymousUser())
        [hit] = results.annotations
        assert marked(hit.snippet) == ["colour"] and marked(hit.quote) == ["colour"]

    def test_excluding_a_word_excludes_its_other_spelling(self, letter):
        assert search.search("whales -color", user=AnonymousUser()).document_total == 0

    def test_a_word_with_one_spelling_stays_alone(self):
        assert spellings.variants("whales") == ("whales",)
        assert spellings.variants("Defence") == ("defence", "defense")
        assert spellings.variants("traveled") == ("traveled", "travelled")


class TestDidYouMean:
    def test_a_search_with_no_hit_suggests_close_words_of_the_archive(self, letter):
        results = search.search("fishries debote", user=AnonymousUser())
        assert results.total == 0
        assert results.suggestion == "fisheries debate"

    def test_no_suggestion_when_something_matches(self, letter):
        assert search.search("fisheries", user=AnonymousUser()).suggestion is None

    def test_no_suggestion_when_nothing_is_close(self, letter):
        assert search.search("xylophone", user=AnonymousUser()).suggestion is None

    def test_words_only_in_a_private_note_are_never_suggested(self, letter, user, other_user):
        note(letter, user, "herring", comment="Zanzibarian secret", visibility="private")
        for reader in (other_user, AnonymousUser()):
            results = search.search("zanzibarien", user=reader)
            assert results.total == 0 and results.suggestion is None

    def test_the_vocabulary_is_the_documents_and_a_public_note_leaves_it_as_it_was(self, letter, user):
        assert search.search("fishries", user=AnonymousUser()).suggestion == "fisheries"
        key = vocabulary._key()
        note(letter, user, "herring", comment="Zanzibarian trade", visibility="public")
        assert vocabulary._key() == key, "a note does not make the next search read the vocabulary again"
        assert search.search("zanzibarien", user=AnonymousUser()).suggestion is None

    def test_a_document_unpublished_takes_its_words_with_it(self, letter):
        assert search.search("fishries", user=AnonymousUser()).suggestion == "fisheries"
        text_changes.set_document_status(letter, "draft")
        assert search.search("fishries", user=AnonymousUser()).suggestion is None

    def test_the_page_links_the_corrected_search(self, client, letter):
        page = parse(client.get("/search/", {"q": "fishries", "type": "letter"}))
        [suggestion] = [p for p in page.find_all("p") if p.has_class("search-suggestion")]
        [link] = suggestion.find_all("a")
        assert link.text_content == "fisheries"
        assert link.attrs["href"] == "/search/?type=letter&q=fisheries"

    def test_the_api_gives_the_suggestion(self, client, letter):
        body = client.get("/api/search/", {"q": "fishries"}).json()
        assert body["did_you_mean"] == {
            "query": "fisheries",
            "url": "http://testserver/api/search/?q=fisheries",
        }
        assert client.get("/api/search/", {"q": "fisheries"}).json()["did_you_mean"] is None


class TestPastTheLastPage:
    def test_the_page_says_so_and_links_the_last_page(self, client, letter):
        page = parse(client.get("/search/", {"q": "fisheries", "page": "7"}))
        [message] = [p for p in page.find_all("p") if p.has_class("search-past-end")]
        assert "There is no page 7" in message.text_content
        [link] = message.find_all("a")
        assert link.attrs["href"] == "/search/?q=fisheries&page=1"

    def test_the_api_answers_404_with_a_problem(self, client, letter):
        response = client.get("/api/search/", {"q": "fisheries", "page": "7"})
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
        assert "There is no page 7" in response.json()["detail"]
        assert response.json()["field"] == "page"

    def test_a_page_number_past_any_page_is_not_repeated(self, client, letter):
        response = client.get("/api/search/", {"q": "fisheries", "page": "9" * 40})
        assert response.json()["detail"] == "There is no such page of these results: they end on page 1."

    def test_the_last_page_itself_is_fine(self, client, letter):
        assert client.get("/search/", {"q": "fisheries", "page": "1"}).status_code == 200
        assert client.get("/api/search/", {"q": "fisheries", "page": "1"}).status_code == 200
