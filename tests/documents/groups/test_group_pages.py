"""The groups' pages (documents/groups/views.py): my groups, a group's page, invitation links, controls."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.annotations import services
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Group, Invitation, Membership
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return UserFactory(username="ada")


@pytest.fixture
def ben(db):
    return UserFactory(username="ben")


@pytest.fixture
def seminar(ada, ben):
    return make_group(ada, ben, name="Rome seminar", description="We read the statute.")


def detail(group):
    return reverse("group-detail", args=[group.slug])


def join_url(link):
    return reverse("group-join", args=[link.group.slug, link.token])


class TestMyGroups:
    def test_anonymous_readers_are_asked_to_log_in(self, client):
        response = client.get(reverse("group-list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_the_header_links_my_groups(self, client, ada):
        client.force_login(ada)
        page = parse(client.get(reverse("home")))
        assert [a.attrs["href"] for a in page.find_all("a") if a.text_content == "Groups"] == ["/groups/"]

    def test_creating_a_group_makes_me_its_moderator(self, client, ada):
        client.force_login(ada)

        response = client.post(reverse("group-list"), {"name": "Rome seminar", "description": "We read."})

        group = Group.objects.get()
        assert response.status_code == 302 and response["Location"] == detail(group)
        assert Membership.objects.get(group=group).user == ada
        assert "Rome seminar" in client.get(reverse("group-list")).content.decode()

    def test_a_name_that_cannot_be_one_is_explained_beside_the_field(self, client, ada):
        client.force_login(ada)

        response = client.post(reverse("group-list"), {"name": "!!!"})

        assert response.status_code == 400
        assert "Use at least one letter or digit" in response.content.decode()
        assert not Group.objects.exists()


class TestGroupPage:
    def test_members_see_members_roles_documents_and_recent_notes(self, client, ada, ben, seminar):
        document = DocumentFactory(title="The statute")
        services.create_annotation(
            author=ben,
            document=document,
            target=Target(exact="first passage"),
            comment="A seminar note.",
            visibility="group",
            group=seminar,
        )
        client.force_login(ben)

        html = client.get(detail(seminar)).content.decode()

        assert "Members: 2" in html and "Moderator" in html
        assert "The statute" in html and "A seminar note." in html
        assert "Leave group" in html
        assert "Create invitation link" not in html  # a moderator's control

    def test_the_page_costs_the_same_queries_with_two_notes_or_thirty(
        self, client, ada, ben, seminar, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        document = DocumentFactory()
        client.force_login(ben)

        def write(count):
            for n in range(count):
                root = services.create_annotation(
                    author=ada,
                    document=document,
                    target=Target(exact="first passage"),
                    comment=f"Note {n}",
                    tags=[f"tag {n}"],
                    visibility="group",
                    group=seminar,
                )
                services.create_annotation(author=ben, parent=root, comment=f"Reply {n}")

        write(1)
        with CaptureQueriesContext(connection) as few:
            assert client.get(detail(seminar)).status_code == 200
        write(14)
        with django_assert_num_queries(len(few)):
            assert client.get(detail(seminar)).status_code == 200

    def test_moderators_see_the_links_and_controls(self, client, ada, ben, seminar):
        client.force_login(ada)
        link = groups.create_invitation(group=seminar, by=ada)

        page = parse(client.get(detail(seminar)))

        links = [code.text_content for code in page.find_all("code") if "data-invitation-link" in code.attrs]
        assert "http://testserver" + join_url(link) in links
        assert len(links) == Invitation.objects.valid().filter(group=seminar).count()
        buttons = {button.text_content for button in page.find_all("button")}
        assert {"Create invitation link", "Copy", "Make moderator"} <= buttons
        asks = {link.text_content for link in page.find_all("a") if link.has_class("button-secondary")}
        assert {"Revoke", "Remove", "Leave group"} <= asks

    @pytest.mark.parametrize("who", ["a stranger", "a curator"])
    def test_anyone_else_gets_404_curators_included(self, client, seminar, who):
        client.force_login(UserFactory() if who == "a stranger" else CuratorFactory())

        assert client.get(detail(seminar)).status_code == 404
        assert client.get(reverse("group-detail", args=["no-such-group"])).status_code == 404
        assert client.post(reverse("group-invite", args=[seminar.slug])).status_code == 404
        assert client.post(reverse("group-leave", args=[seminar.slug])).status_code == 404

    def test_a_member_cannot_use_a_moderators_controls(self, client, ada, ben, seminar):
        client.force_login(ben)

        assert client.post(reverse("group-invite", args=[seminar.slug])).status_code == 404
        assert client.post(reverse("group-remove", args=[seminar.slug, ada.pk])).status_code == 404
        assert client.post(reverse("group-promote", args=[seminar.slug, ben.pk])).status_code == 404
        assert Membership.objects.get(group=seminar, user=ada).role == "moderator"

    def test_a_moderator_invites_removes_and_names_moderators(self, client, ada, ben, seminar):
        client.force_login(ada)

        client.post(reverse("group-invite", args=[seminar.slug]), {"lifetime": "7"})
        link = Invitation.objects.filter(group=seminar).latest("created")
        assert timedelta(days=6) < link.expires_at - timezone.now() <= timedelta(days=7)
        client.post(reverse("group-promote", args=[seminar.slug, ben.pk]))
        assert Membership.objects.get(group=seminar, user=ben).role == "moderator"
        client.post(reverse("group-remove", args=[seminar.slug, ben.pk]), {"confirm": "yes"})
        assert not Membership.objects.filter(group=seminar, user=ben).exists()
        client.post(reverse("group-revoke", args=[seminar.slug, link.pk]), {"confirm": "yes"})
        assert Invitation.objects.get(pk=link.pk).revoked_at is not None

    def test_a_moderator_renames_the_group_from_its_page(self, client, ada, ben, seminar):
        client.force_login(ada)
        form = parse(client.get(detail(seminar))).find(
            "form", action=reverse("group-change", args=[seminar.slug])
        )
        assert form.find("input", name="name").attrs["value"] == "Rome seminar"

        response = client.post(
            reverse("group-change", args=[seminar.slug]), {"name": "Statute circle", "description": "Weekly."}
        )

        assert response.status_code == 302 and response["Location"] == detail(seminar)
        page = client.get(detail(seminar)).content.decode()
        assert "Statute circle" in page and "is called “Statute circle” now" in page
        client.force_login(ben)
        assert "<h1>Statute circle</h1>" in client.get(detail(seminar)).content.decode()

    def test_a_bad_name_is_explained_and_nothing_changes(self, client, ada, seminar):
        client.force_login(ada)

        response = client.post(
            reverse("group-change", args=[seminar.slug]), {"name": "!!!", "description": ""}
        )

        assert response.status_code == 302
        assert "Use at least one letter or digit in the name." in client.get(detail(seminar)).content.decode()
        assert Group.objects.get(pk=seminar.pk).name == "Rome seminar"

    @pytest.mark.parametrize("who", ["the member", "a stranger", "a curator"])
    def test_nobody_else_renames_it(self, client, ben, seminar, who):
        client.force_login(
            {"the member": ben, "a stranger": UserFactory(), "a curator": CuratorFactory()}[who]
        )

        response = client.post(
            reverse("group-change", args=[seminar.slug]), {"name": "Taken", "description": ""}
        )

        assert response.status_code == 404
        assert Group.objects.get(pk=seminar.pk).name == "Rome seminar"
        if who == "the member":
            assert "group-change" not in client.get(detail(seminar)).content.decode()

    def test_a_sole_moderator_is_told_why_they_cannot_leave(self, client, ada, seminar):
        client.force_login(ada)

        response = client.post(reverse("group-leave", args=[seminar.slug]), {"confirm": "yes"}, follow=True)

        assert "only moderator" in response.content.decode()
        assert Membership.objects.filter(group=seminar, user=ada).exists()

    def test_a_member_leaves(self, client, ben, seminar):
        client.force_login(ben)

        response = client.post(reverse("group-leave", args=[seminar.slug]), {"confirm": "yes"})

        assert response["Location"] == reverse("group-list")
        assert client.get(detail(seminar)).status_code == 404

    def test_a_moderator_hides_a_note_with_a_reason_and_restores_it(self, client, ada, ben, seminar):
        note = services.create_annotation(
            author=ben,
            document=DocumentFactory(),
            target=Target(exact="first passage"),
            comment="Off topic words.",
            visibility="group",
            group=seminar,
        )
        client.force_login(ada)

        refused = client.post(
            reverse("group-hide-note", args=[seminar.slug, note.pk]), {"reason": " "}, follow=True
        )
        assert "Give a reason" in refused.content.decode()
        client.post(reverse("group-hide-note", args=[seminar.slug, note.pk]), {"reason": "Off topic"})
        note.refresh_from_db()
        assert (note.hidden, note.hidden_reason) == (True, "Off topic")
        client.force_login(ben)
        assert "Hidden by a moderator of the group" in client.get(detail(seminar)).content.decode()
        client.force_login(ada)
        client.post(reverse("group-restore-note", args=[seminar.slug, note.pk]))
        note.refresh_from_db()
        assert not note.hidden


class TestJoining:
    def test_an_anonymous_reader_sees_the_groups_name_and_logs_in_first(self, client, ada, seminar):
        link = groups.create_invitation(group=seminar, by=ada)

        page = parse(client.get(join_url(link)))

        assert page.find("h1").text_content == "Join “Rome seminar”"
        [login] = [a for a in page.find_all("a") if a.text_content == "Log in to join"]
        assert login.attrs["href"] == reverse("login") + "?next=" + join_url(link)

    def test_an_anonymous_post_is_sent_to_log_in_first(self, client, ada, seminar):
        link = groups.create_invitation(group=seminar, by=ada)

        response = client.post(join_url(link))

        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=" + join_url(link)

    def test_get_shows_a_join_button_and_post_joins(self, client, ada, seminar):
        link = groups.create_invitation(group=seminar, by=ada)
        cy = UserFactory(username="cy")
        client.force_login(cy)

        page = parse(client.get(join_url(link)))
        assert [b.text_content for b in page.find_all("button") if b.text_content == "Join group"]
        assert not Membership.objects.filter(user=cy).exists()
        response = client.post(join_url(link))

        assert response["Location"] == detail(seminar)
        assert Membership.objects.get(user=cy).role == "member"

    @pytest.mark.parametrize("state", ["revoked", "expired", "reused after removal"])
    def test_a_link_that_no_longer_works_says_so_with_410(self, client, ada, seminar, state):
        link = groups.create_invitation(group=seminar, by=ada)
        cy = UserFactory(username="cy")
        if state == "revoked":
            groups.revoke_invitation(group=seminar, by=ada, invitation_id=link.pk)
        elif state == "expired":
            Invitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        else:
            groups.join_group(slug=seminar.slug, token=link.token, user=cy)
            groups.remove_member(group=seminar, by=ada, member=cy)
        client.force_login(cy)

        for response in [client.get(join_url(link)), client.post(join_url(link))]:
            assert response.status_code == 410
            assert "This invitation link no longer works" in response.content.decode()
        assert not Membership.objects.filter(group=seminar, user=cy).exists()

    def test_an_unknown_link_is_a_plain_404_that_names_no_group(self, client, ada, seminar):
        link = groups.create_invitation(group=seminar, by=ada)
        client.force_login(UserFactory())

        for slug, token in [(seminar.slug, "nope"), ("no-such-group", link.token)]:
            response = client.get(reverse("group-join", args=[slug, token]))
            assert response.status_code == 404
            assert "Rome seminar" not in response.content.decode()


class TestAnnotator:
    def test_the_visibility_select_offers_each_of_my_groups(self, client, ada, seminar):
        make_group(ada, name="Second group")
        client.force_login(ada)

        page = parse(client.get(DocumentFactory().get_absolute_url()))

        select = page.find("select", id="annotation-form-visibility")
        options = [
            (o.attrs["value"], o.text_content, o.attrs.get("data-group")) for o in select.find_all("option")
        ]
        assert options == [
            ("private", "Only me", None),
            ("public", "Public", None),
            ("group:rome-seminar", "Group: Rome seminar", "/groups/rome-seminar/"),
            ("group:second-group", "Group: Second group", "/groups/second-group/"),
        ]

    def test_a_card_says_which_group_a_note_is_in_and_the_panel_filters_by_group(self, client, ada, seminar):
        document = DocumentFactory()
        for visibility, group in [("group", seminar), ("public", None)]:
            services.create_annotation(
                author=ada,
                document=document,
                target=Target(exact="first passage"),
                comment=f"A {visibility} note.",
                visibility=visibility,
                group=group,
            )
        client.force_login(ada)

        html = client.get(document.get_absolute_url()).content.decode()
        filtered = client.get(document.get_absolute_url(), {"group": seminar.slug}).content.decode()

        assert "Group: Rome seminar" in html
        assert '<option value="rome-seminar">Rome seminar</option>' in html
        assert "A group note." in filtered and "A public note." not in filtered

    def test_search_results_name_a_notes_group(self, client, ada, seminar):
        services.create_annotation(
            author=ada,
            document=DocumentFactory(),
            target=Target(exact="first passage"),
            comment="A quokka in the seminar.",
            visibility="group",
            group=seminar,
        )
        client.force_login(ada)

        page = client.get(reverse("search"), {"q": "quokka"}).content.decode()
        found = client.get(reverse("api-search"), {"q": "quokka"}).content.decode()

        assert "Group: Rome seminar ·" in page
        assert '"group":"http://testserver/groups/rome-seminar/"' in found.replace(" ", "")
