"""A seminar in a real browser: a group is created, a second reader joins through its link,
both annotate and reply in the group, and a third reader sees none of it (docs/reading-and-annotating.md,
"Groups")."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from documents.annotations import services
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Annotation, Group, Invitation, Membership
from tests.browser.conftest import log_in
from tests.browser.test_annotator import entry, panel, select
from tests.factories import DocumentFactory, UserFactory, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "# The signing\n\nThe United States signed the Rome Statute on December 31, 2000.\n\n- An item"


def violations(page) -> list[str]:
    """Every axe violation, whatever its impact: the group pages are new and start clean."""
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in Axe().run(page).response["violations"]
    ]


def annotate_in_group(page, document, text: str, comment: str, group_name: str) -> None:
    page.goto(document.get_absolute_url())
    select(page, "p-2", text)
    page.get_by_role("button", name="Annotate", exact=True).click()
    form = page.get_by_role("form", name="New annotation")
    form.get_by_label("Comment").fill(comment)
    form.get_by_label("Visibility").select_option(label=f"Group: {group_name}")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)


def reply(page, annotation, comment: str) -> None:
    shown = entry(page, annotation)
    shown.get_by_role("button", name="Reply").click()
    form = shown.get_by_role("form", name="Reply")
    form.get_by_label("Comment").fill(comment)
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)


def test_a_seminar_annotates_together_and_an_outsider_sees_nothing(new_page):
    document = DocumentFactory(slug="signing", title="The signing", text=TEXT)
    ada, ben, cy = (UserFactory(username=name) for name in ["ada", "ben", "cy"])

    # ada creates the group and makes an invitation link.
    first = new_page()
    log_in(first, ada, next_url="/groups/")
    assert violations(first) == []
    first.get_by_label("Group name").fill("Rome seminar")
    first.get_by_role("button", name="Create group").click()
    first.wait_for_url("**/groups/rome-seminar/")
    first.get_by_role("button", name="Create invitation link").click()
    link = first.locator("[data-invitation-link]").first.inner_text()
    assert "/groups/rome-seminar/join/" in link
    assert violations(first) == []

    # ben opens the link, logs in on the way, and joins.
    second = new_page()
    second.goto(link)
    assert violations(second) == []
    second.get_by_role("link", name="Log in to join").click()
    second.get_by_label("Username").fill(ben.get_username())
    second.get_by_label("Password").fill("correct horse battery staple")
    second.get_by_role("button", name="Log in").click()
    second.get_by_role("button", name="Join group").click()
    second.wait_for_url("**/groups/rome-seminar/")
    expect(second.get_by_role("heading", name="Members: 2")).to_be_visible()
    assert violations(second) == []

    # Both annotate in the group, and each replies to the other.
    annotate_in_group(first, document, "United States", "ada's seminar note", "Rome seminar")
    annotate_in_group(second, document, "Rome Statute", "ben's seminar note", "Rome seminar")
    ada_note = Annotation.objects.get(comment="ada's seminar note")
    ben_note = Annotation.objects.get(comment="ben's seminar note")
    assert {ada_note.group, ben_note.group} == {Group.objects.get(slug="rome-seminar")}
    second.reload()
    reply(second, ada_note, "ben answers ada")
    first.reload()
    reply(first, ben_note, "ada answers ben")
    expect(panel(first).locator(".annotation")).to_have_count(4)
    expect(entry(first, ada_note).locator(".badge")).to_have_text("Group: Rome seminar")
    assert set(Annotation.objects.values_list("visibility", flat=True)) == {"group"}
    first.goto("/groups/rome-seminar/")
    expect(first.get_by_role("link", name="The signing", exact=True)).to_be_visible()
    assert violations(first) == []

    # cy, in no group, sees none of it anywhere.
    third = new_page()
    log_in(third, cy, next_url=document.get_absolute_url())
    expect(panel(third).locator(".annotation")).to_have_count(0)
    expect(third.locator("mark[data-annotation-id]")).to_have_count(0)
    expect(third.get_by_label("Visibility", exact=True)).to_have_count(0)  # no form is open
    assert third.goto("/groups/rome-seminar/").status == 404
    assert third.goto("/api/annotations/").ok
    assert "seminar" not in third.content()


def test_a_moderator_copies_a_link_removes_after_confirming_and_hides_from_a_fold(new_page, live_server):
    ada, ben = UserFactory(username="ada"), UserFactory(username="ben")
    group = make_group(ada, ben, name="Rome seminar")
    link = Invitation.objects.get(group=group)
    for comment in ("First note", "Second note"):
        services.create_annotation(
            author=ben,
            document=DocumentFactory(),
            target=Target(exact="first passage"),
            comment=comment,
            visibility="group",
            group=group,
        )
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, ada, next_url=group.get_absolute_url())

    address = live_server.url + link.get_absolute_url()
    expect(page.locator("[data-invitation-link]")).to_have_text(address)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == address

    # The hide forms are folded; opening one closes the other.
    folds = page.locator("details.group-hide")
    expect(page.get_by_label("Reason for hiding")).to_have_count(2)
    expect(page.get_by_label("Reason for hiding").first).to_be_hidden()
    folds.nth(0).locator("summary").click()
    expect(folds.nth(0).get_by_label("Reason for hiding")).to_be_visible()
    folds.nth(1).locator("summary").click()
    expect(folds.nth(0).get_by_label("Reason for hiding")).to_be_hidden()
    expect(folds.nth(1).get_by_label("Reason for hiding")).to_be_visible()
    assert violations(page) == []

    # Remove asks first; Cancel changes nothing, the question's button removes.
    page.get_by_role("link", name="Remove ben from the group").click()
    expect(page.get_by_role("heading", name="Remove ben from Rome seminar?")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Cancel").click()
    assert Membership.objects.filter(group=group, user=ben).exists()
    page.get_by_role("link", name="Remove ben from the group").click()
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("heading", name="Members: 1")).to_be_visible()
    assert not Membership.objects.filter(group=group, user=ben).exists()


def test_the_invitation_link_is_selectable_text_without_javascript(browser, live_server):
    ada = UserFactory(username="ada")
    group = make_group(ada, name="Rome seminar")
    link = groups.create_invitation(group=group, by=ada)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, ada, next_url=group.get_absolute_url())
        expect(page.locator("[data-invitation-link]")).to_have_text(live_server.url + link.get_absolute_url())
        expect(page.get_by_role("button", name="Copy")).to_have_count(0)
    finally:
        context.close()
