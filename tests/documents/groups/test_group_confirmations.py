"""Leave, Remove and Revoke ask first (docs/reading-and-annotating.md, "Groups"): a GET shows the question
with a button that POSTs ``confirm=yes``; a POST without it only asks again. The invitation links are shown
whole with a Copy button, the name form's help names the group, and each note's hide form is folded."""

import pytest
from django.urls import reverse

from documents.annotations import services
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Invitation, Membership
from tests.factories import DocumentFactory, UserFactory, make_group
from tests.html import parse

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def ada(db):
    return UserFactory(username="ada")


@pytest.fixture
def ben(db):
    return UserFactory(username="ben")


@pytest.fixture
def seminar(ada, ben):
    return make_group(ada, ben, name="Rome seminar")


@pytest.fixture
def link(ada, seminar):
    return groups.create_invitation(group=seminar, by=ada)


def remove_url(group, user):
    return reverse("group-remove", args=[group.slug, user.pk])


def revoke_url(group, invitation):
    return reverse("group-revoke", args=[group.slug, invitation.pk])


def leave_url(group):
    return reverse("group-leave", args=[group.slug])


def question(response) -> tuple[str, str, dict]:
    """The confirmation page's heading, its form's action and the fields it posts."""
    page = parse(response)
    form = page.find("form", action=response.wsgi_request.path)
    fields = {field.attrs["name"]: field.attrs.get("value") for field in form.find_all("input")}
    return page.find("h1").text_content, form.attrs["action"], fields


def test_remove_asks_first_and_acts_only_when_confirmed(client, ada, ben, seminar):
    client.force_login(ada)

    asked = client.get(remove_url(seminar, ben))
    heading, action, fields = question(asked)
    assert heading == "Remove ben from Rome seminar?"
    assert (action, fields["confirm"]) == (remove_url(seminar, ben), "yes")
    assert client.post(remove_url(seminar, ben)).status_code == 200
    assert Membership.objects.filter(group=seminar, user=ben).exists()

    response = client.post(remove_url(seminar, ben), CONFIRM)
    assert response.status_code == 302
    assert not Membership.objects.filter(group=seminar, user=ben).exists()


def test_revoke_asks_first_and_acts_only_when_confirmed(client, ada, seminar, link):
    client.force_login(ada)

    heading, _, fields = question(client.get(revoke_url(seminar, link)))
    assert heading.startswith("Revoke the invitation link made ")
    assert fields["confirm"] == "yes"
    client.post(revoke_url(seminar, link))
    assert Invitation.objects.get(pk=link.pk).revoked_at is None

    client.post(revoke_url(seminar, link), CONFIRM)
    assert Invitation.objects.get(pk=link.pk).revoked_at is not None


def test_leave_asks_first_and_acts_only_when_confirmed(client, ben, seminar):
    client.force_login(ben)

    heading, _, _ = question(client.get(leave_url(seminar)))
    assert heading == "Leave Rome seminar?"
    client.post(leave_url(seminar))
    assert Membership.objects.filter(group=seminar, user=ben).exists()

    assert client.post(leave_url(seminar), CONFIRM)["Location"] == reverse("group-list")
    assert not Membership.objects.filter(group=seminar, user=ben).exists()


def test_the_questions_are_404_to_whoever_may_not_act(client, ada, ben, seminar, link):
    client.force_login(ben)
    assert client.get(remove_url(seminar, ada)).status_code == 404
    assert client.get(revoke_url(seminar, link)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(leave_url(seminar)).status_code == 404
    client.force_login(ada)
    assert client.get(remove_url(seminar, UserFactory())).status_code == 404


def test_the_group_page_links_to_the_questions_not_to_the_acts(client, ada, ben, seminar, link):
    client.force_login(ada)
    page = parse(client.get(reverse("group-detail", args=[seminar.slug])))

    asks = {
        (a.text_content, a.attrs["href"])
        for a in page.find_all("a")
        if a.attrs.get("href", "").endswith(("/remove/", "/revoke/", "/leave/"))
    }
    assert {("Remove", remove_url(seminar, ben)), ("Revoke", revoke_url(seminar, link))} < asks
    assert ("Leave group", leave_url(seminar)) in asks
    assert all(
        a.has_class("button-secondary")
        for a in page.find_all("a")
        if (a.text_content, a.attrs.get("href")) in asks
    )
    assert not [form for form in page.find_all("form") if form.attrs["action"] in {href for _, href in asks}]


def test_the_invitation_link_is_whole_selectable_text_with_a_copy_button(client, ada, seminar, link):
    client.force_login(ada)
    page = parse(client.get(reverse("group-detail", args=[seminar.slug])))

    address = "http://testserver" + link.get_absolute_url()
    shown = next(code for code in page.find_all("code") if code.text_content == address)
    assert "data-invitation-link" in shown.attrs
    copy = page.find("button", data_copy_text=shown.attrs["id"])
    assert copy.text_content == "Copy"
    assert "hidden" in copy.attrs  # shown by copy-text.js; without it the link is selectable text


def test_the_name_help_names_the_group(client, ada, seminar):
    client.force_login(ada)
    page = parse(client.get(reverse("group-detail", args=[seminar.slug])))

    help_text = page.find("div", id="id_name_helptext").text_content
    assert "“Group: Rome seminar”" in help_text


def test_a_name_with_markup_is_shown_as_text_in_the_help(client, ada):
    group = groups.create_group(by=ada, name="<b>Bold</b> readers")
    client.force_login(ada)

    content = client.get(reverse("group-detail", args=[group.slug])).content.decode()
    assert "“Group: &lt;b&gt;Bold&lt;/b&gt; readers”" in content
    assert "<b>Bold</b>" not in content


def test_each_notes_hide_form_is_folded_one_open_at_a_time(client, ada, ben, seminar):
    document = DocumentFactory()
    for comment in ("One", "Two"):
        services.create_annotation(
            author=ben,
            document=document,
            target=Target(exact="first passage"),
            comment=comment,
            visibility="group",
            group=seminar,
        )
    client.force_login(ada)
    page = parse(client.get(reverse("group-detail", args=[seminar.slug])))

    folds = [fold for fold in page.find_all("details") if fold.has_class("group-hide")]
    assert len(folds) == 2
    assert {fold.attrs.get("name") for fold in folds} == {"hide-note"}
    assert all("open" not in fold.attrs and fold.find("summary").text_content == "Hide…" for fold in folds)
    assert all(fold.find("form").find("input", name="reason") for fold in folds)
