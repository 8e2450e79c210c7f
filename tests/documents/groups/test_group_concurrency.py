"""Membership changes at the same moment, against a real server: a group never loses its last moderator.

Each test releases its requests together from a pool of threads against pytest-django's live
server (on SQLite a file shared by the server's threads), as readers press the buttons of the
group's page (docs/reading-and-annotating.md, "Groups" and "Concurrency").
"""

from __future__ import annotations

import pytest

from documents.groups import services as groups
from documents.models import Group, Membership
from tests.documents.api.test_concurrency import CSRF, request, server_errors, session, together
from tests.factories import UserFactory, make_group

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 3


def press(base: str, path: str, user) -> callable:
    """A browser of ``user`` posting the group page's form to ``path``, confirmed (Leave and Remove ask
    first, and their confirmation pages post ``confirm=yes``)."""
    headers = session(user)
    form = {"csrfmiddlewaretoken": CSRF, "confirm": "yes"}
    return lambda: request(base + path, "POST", form=form, headers=headers)


def moderators(group) -> set[str]:
    return set(
        Membership.objects.filter(group=group, role="moderator").values_list("user__username", flat=True)
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_moderators_removing_each_other_at_once_leave_one_moderator(live_server, round_):
    ada, ben = UserFactory(username=f"ada{round_}"), UserFactory(username=f"ben{round_}")
    group = make_group(ada, ben, name=f"Pair {round_}")
    groups.make_moderator(group=group, by=ada, member=ben)

    answers = together(
        press(live_server.url, f"/groups/{group.slug}/members/{ben.pk}/remove/", ada),
        press(live_server.url, f"/groups/{group.slug}/members/{ada.pk}/remove/", ben),
    )

    assert server_errors(answers) == []
    assert sorted(answer.status for answer in answers) == [302, 404]
    assert len(moderators(group)) == 1
    assert Membership.objects.filter(group=group).count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_moderators_leaving_at_once_leave_one_to_moderate_the_others(live_server, round_):
    ada, ben, cy = (UserFactory(username=f"{name}{round_}") for name in ["ada", "ben", "cy"])
    group = make_group(ada, ben, cy, name=f"Trio {round_}")
    groups.make_moderator(group=group, by=ada, member=ben)

    answers = together(
        press(live_server.url, f"/groups/{group.slug}/leave/", ada),
        press(live_server.url, f"/groups/{group.slug}/leave/", ben),
    )

    assert server_errors(answers) == []
    assert len(moderators(group)) == 1
    assert Membership.objects.filter(group=group, user=cy).exists()


def test_many_joining_through_one_link_at_once_each_join_once(live_server):
    ada = UserFactory(username="ada")
    group = make_group(ada, name="Crowd")
    link = groups.create_invitation(group=group, by=ada)
    people = [UserFactory(username=f"reader{n}") for n in range(6)]
    path = f"/groups/{group.slug}/join/{link.token}/"

    answers = together(*[press(live_server.url, path, person) for person in people for _ in range(2)])

    assert server_errors(answers) == []
    assert {answer.status for answer in answers} == {302}
    assert Membership.objects.filter(group=group).count() == 1 + len(people)
    assert Group.objects.count() == 1
