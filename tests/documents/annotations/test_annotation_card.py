"""One annotation card (documents/_annotation.html) for the panel, tag pages and the profile."""

import pytest
from django.urls import reverse

from tests.factories import AnnotationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def card(response, pk) -> str:
    """The HTML of the card of annotation ``pk`` on a page, from its heading's link or its id."""
    tree = parse(response)
    for article in tree.find_all("article"):
        links = [a.attrs.get("href", "") for a in article.find_all("a")]
        if article.attrs.get("data-annotation-id") == str(pk) or any(
            link == f"/annotations/{pk}/" for link in links
        ):
            return article
    raise AssertionError(f"no card for {pk}")


def tag_names(article) -> list[str]:
    return [li.text_content for li in article.find("ul", **{"class": "annotation-tags"}).find_all("li")]


def test_the_profile_lists_tags_as_the_panel_does(client, user, document):
    annotation = AnnotationFactory(author=user, document=document, tags=["beta", "Alpha"])
    client.force_login(user)

    in_panel = card(client.get(document.get_absolute_url()), annotation.pk)
    on_profile = card(client.get(reverse("profile")), annotation.pk)

    assert tag_names(in_panel) == tag_names(on_profile) == ["Alpha", "beta"]


def test_every_card_shows_the_quote_and_the_comment_alike(client, user, document):
    annotation = AnnotationFactory(author=user, document=document, visibility="public", tags=["Law"])
    client.force_login(user)

    cards = [
        card(client.get(url), annotation.pk)
        for url in (document.get_absolute_url(), reverse("tag-detail", args=["law"]), reverse("profile"))
    ]

    for article in cards:
        assert article.find("blockquote", **{"class": "annotation-quote"}).text_content == annotation.exact
        assert article.find("div", **{"class": "annotation-comment"}).text_content == "A note."


def test_a_reply_on_a_tag_page_names_the_thread_it_belongs_to(client, document):
    root = AnnotationFactory(document=document, visibility="public")
    reply = AnnotationFactory(
        document=document, visibility="public", parent=root, root=root, exact="", tags=["Debate"]
    )

    article = card(client.get(reverse("tag-detail", args=["debate"])), reply.pk)

    assert article.find("p", **{"class": "annotation-context"}).text_content == f"In a thread on {root.exact}"


def test_the_profile_marks_a_reply_below_a_hidden_reply_as_hidden(client, user, other_user, document):
    root = AnnotationFactory(document=document, author=other_user, visibility="public")
    answered = AnnotationFactory(
        document=document, author=other_user, visibility="public", parent=root, root=root, hidden=True
    )
    mine = AnnotationFactory(
        document=document, author=user, visibility="public", parent=answered, root=root, ancestor_hidden=True
    )
    client.force_login(user)

    article = card(client.get(reverse("profile")), mine.pk)

    assert "Hidden with the note it answers" in article.text_content
