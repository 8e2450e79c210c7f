"""/notifications/, the header's unread count, following and marking read, the e-mail choice
(docs/reading-and-annotating.md, "Notifications")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.annotations import moderation, services
from documents.annotations.writes import Target
from documents.models import Notification, NotificationSettings
from tests.factories import DocumentFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def doc():
    return DocumentFactory(slug="mosaic", title="The Mosaic", text=TEXT)


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def note(doc, author, *, comment="A note.", visibility="public"):
    return services.create_annotation(
        author=author,
        document=doc,
        target=Target(exact="delicate mosaic"),
        comment=comment,
        visibility=visibility,
    )


def replies(parent, author, count):
    return [
        services.create_annotation(author=author, parent=parent, comment=f"Reply {n}") for n in range(count)
    ]


def header_link(response):
    """The account navigation's Notifications link, or None."""
    nav = parse(response).find("nav", aria_label="Account")
    found = [a for a in nav.find_all("a") if a.attrs.get("href") == "/notifications/"]
    return found[0] if found else None


class TestAnonymous:
    @pytest.mark.parametrize(
        ("method", "path"),
        [("get", "/notifications/"), ("post", "/notifications/read/"), ("post", "/notifications/settings/")],
    )
    def test_anonymous_readers_are_sent_to_log_in(self, client, method, path):
        response = getattr(client, method)(path)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_the_anonymous_header_has_no_notifications(self, client, doc):
        assert header_link(client.get("/")) is None
        assert header_link(client.get(doc.get_absolute_url())) is None


class TestHeader:
    def test_the_link_is_the_current_page_on_the_list(self, client, ann):
        client.force_login(ann)

        assert header_link(client.get("/notifications/")).attrs.get("aria-current") == "page"
        assert "aria-current" not in header_link(client.get("/")).attrs

    def test_the_header_counts_unread_notifications_and_says_so(self, client, doc, ann, bob):
        replies(note(doc, ann), bob, 3)
        client.force_login(ann)

        link = header_link(client.get("/"))

        assert link.text_content == "Notifications (3) unread"  # "(3)" shown; " unread" for screen readers
        assert link.find("span").has_class("visually-hidden")

    def test_without_unread_ones_the_link_has_no_count(self, client, ann):
        client.force_login(ann)

        assert header_link(client.get("/")).text_content == "Notifications"

    def test_a_note_made_private_later_is_not_counted(self, client, doc, ann, bob):
        mentioning = note(doc, bob, comment="@ann, look")
        client.force_login(ann)
        assert header_link(client.get("/")).text_content == "Notifications (1) unread"

        services.update_annotation(mentioning, visibility="private")

        assert header_link(client.get("/")).text_content == "Notifications"

    def test_the_count_costs_one_query_however_many_there_are(self, client, doc, ann, bob):
        client.force_login(ann)
        with CaptureQueriesContext(connection) as none:
            client.get("/")
        replies(note(doc, ann), bob, 30)

        with CaptureQueriesContext(connection) as many:
            response = client.get("/")

        assert header_link(response).text_content == "Notifications (30) unread"
        assert len(many) == len(none)

    def test_the_reading_view_is_not_answered_304_with_a_stale_count(self, client, doc, ann, bob):
        elsewhere = note(DocumentFactory(text=TEXT), ann)
        client.force_login(ann)
        client.get(doc.get_absolute_url())  # sets the CSRF cookie, which the validator names
        first = client.get(doc.get_absolute_url())
        assert client.get(doc.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

        replies(elsewhere, bob, 1)  # on another document: nothing on this page but its header changes
        again = client.get(doc.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

        assert again.status_code == 200
        assert header_link(again).text_content == "Notifications (1) unread"


class TestList:
    def test_newest_first_unread_marked_with_actor_snippet_and_link(self, client, doc, ann, bob):
        parent = note(doc, ann)
        older, newer = replies(parent, bob, 2)
        Notification.objects.filter(annotation=older).update(read_at=parent.created)
        client.force_login(ann)

        response = client.get("/notifications/")

        entries = [li for li in parse(response).iter() if li.tag == "li" and li.has_class("notification")]
        assert len(entries) == 2
        first, second = entries
        assert first.has_class("notification-unread") and not second.has_class("notification-unread")
        assert "Unread: bob replied to your note" in first.text_content
        assert "Reply 1" in first.text_content and "The Mosaic" in first.text_content
        assert "Reply 0" in second.text_content and "Unread" not in second.text_content
        links = [a.attrs["href"] for a in first.find_all("a")]
        assert links == [f"/notifications/{Notification.objects.get(annotation=newer).pk}/"]

    def test_curators_are_not_named_and_the_reason_is_shown(self, client, doc, ann, curator):
        hidden = note(doc, ann)
        moderation.hide_annotation(hidden, by=curator, reason="Off topic")
        client.force_login(ann)

        page = client.get("/notifications/").content.decode()

        assert "A curator hid your note" in page
        assert "Reason: Off topic" in page
        assert curator.username not in page

    def test_only_my_notifications_about_notes_i_may_see(self, client, doc, ann, bob):
        replies(note(doc, ann), bob, 1)
        private = note(doc, bob, comment="@ann secret", visibility="private")
        client.force_login(bob)

        page = client.get("/notifications/").content.decode()

        assert "Reply 0" not in page
        assert "secret" not in page
        assert private.pk  # written, but told to no one

    @pytest.mark.parametrize("count", [5, 50])
    def test_the_page_costs_the_same_queries_with_5_or_50(self, client, doc, ann, bob, count):
        parent = note(doc, ann)
        client.force_login(ann)
        replies(parent, bob, 1)
        with CaptureQueriesContext(connection) as one:
            client.get("/notifications/")
        replies(parent, UserFactory(), count - 1)

        with CaptureQueriesContext(connection) as more:
            response = client.get("/notifications/")

        shown = response.content.decode().count('class="notification ')
        assert shown == min(count, 20)
        assert len(more) == len(one), [q["sql"] for q in more.captured_queries]

    def test_pages_of_twenty(self, client, doc, ann, bob):
        replies(note(doc, ann), bob, 25)
        client.force_login(ann)

        second = client.get("/notifications/?page=2").content.decode()

        assert second.count('class="notification ') == 5
        assert "Page 2 of 2" in second


class TestMarkingRead:
    def test_following_one_marks_it_read_and_leads_to_the_note(self, client, doc, ann, bob):
        (answer,) = replies(note(doc, ann), bob, 1)
        notification = Notification.objects.get()
        client.force_login(ann)

        response = client.get(f"/notifications/{notification.pk}/")

        assert response.status_code == 302
        assert response["Location"] == f"/annotations/{answer.pk}/"
        notification.refresh_from_db()
        assert notification.read_at is not None
        assert header_link(client.get("/")).text_content == "Notifications"

    def test_someone_elses_or_one_about_a_note_now_unseen_is_404(self, client, doc, ann, bob):
        mentioning = note(doc, bob, comment="@ann hello")
        notification = Notification.objects.get()
        client.force_login(bob)
        assert client.get(f"/notifications/{notification.pk}/").status_code == 404

        services.update_annotation(mentioning, visibility="private")
        client.force_login(ann)
        assert client.get(f"/notifications/{notification.pk}/").status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_mark_all_as_read_marks_what_i_am_shown(self, client, doc, ann, bob):
        replies(note(doc, ann), bob, 3)
        replies(note(doc, bob), ann, 1)
        unseen = note(doc, bob, comment="@ann, about to go private")
        services.update_annotation(unseen, visibility="private")
        client.force_login(ann)

        response = client.post("/notifications/read/", follow=True)

        assert response.redirect_chain == [("/notifications/", 302)]
        assert "Unread" not in response.content.decode()
        still_unread = Notification.objects.filter(recipient=ann, read_at__isnull=True)
        assert list(still_unread.values_list("annotation", flat=True)) == [unseen.pk]
        assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1

    def test_mark_all_as_read_is_post_only(self, client, ann):
        client.force_login(ann)

        assert client.get("/notifications/read/").status_code == 405


class TestEmailChoice:
    def test_opting_in_and_out(self, client, ann):
        client.force_login(ann)
        page = parse(client.get("/notifications/"))
        box = page.find("input", name="email")
        assert box.attrs.get("type") == "checkbox" and "checked" not in box.attrs

        response = client.post("/notifications/settings/", {"email": "on"}, follow=True)
        assert NotificationSettings.objects.get(user=ann).email is True
        assert f"e-mailed to {ann.email}" in response.content.decode()
        assert "checked" in parse(response).find("input", name="email").attrs

        client.post("/notifications/settings/", {})
        assert NotificationSettings.objects.get(user=ann).email is False
