"""The people of the soak test, made in the soak database before the servers start.

Run by the driver through ``manage.py shell``: scholars with an API token and a
browser session, a curator with a session, groups whose moderator made an
invitation link, and newcomers with sessions who join those groups during the
run. Prints one JSON line that the locustfile reads (keys and tokens of a
throwaway database only).
"""

from __future__ import annotations

import json
import os
import random

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore

from documents.accounts.tokens import issue_token
from documents.groups import services as groups
from documents.models import CURATORS, Document

HOT_DOCUMENTS = 5


def _session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _person(username: str, **extra) -> dict:
    User = get_user_model()
    user = User.objects.create_user(username=username, email=f"{username}@example.org", **extra)
    return {"username": username, "token": issue_token(user=user, name="soak")[1], "session": _session(user)}


def main() -> None:
    scholars = int(os.environ.get("SOAK_SCHOLAR_ACCOUNTS", "40"))
    newcomers = int(os.environ.get("SOAK_NEWCOMER_ACCOUNTS", "300"))
    rng = random.Random(1)
    people = [_person(f"soak-scholar-{n}") for n in range(scholars)]
    User = get_user_model()
    curator = User.objects.create_user(username="soak-curator", is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATORS))
    published = list(
        Document.objects.filter(status=Document.Status.PUBLISHED).order_by("slug").values_list("slug", "pk")
    )
    hot = rng.sample(published, HOT_DOCUMENTS)
    made_groups = []
    for n in range(4):
        moderator = User.objects.get(username=people[n]["username"])
        group = groups.create_group(by=moderator, name=f"Soak reading circle {n}")
        for member in people[n + 4 :: 4]:
            groups.join_group(
                slug=group.slug,
                token=groups.create_invitation(group=group, by=moderator).token,
                user=User.objects.get(username=member["username"]),
            )
        invitation = groups.create_invitation(group=group, by=moderator)
        made_groups.append({"slug": group.slug, "token": invitation.token})
    for n, person in enumerate(people):
        person["group"] = made_groups[n % 4]["slug"]
    print(
        json.dumps(
            {
                "scholars": people,
                "newcomers": [_person(f"soak-newcomer-{n}") for n in range(newcomers)],
                "curator": {"username": curator.username, "session": _session(curator)},
                "hot": [{"slug": slug, "pk": pk} for slug, pk in hot],
                "documents": [slug for slug, _ in published],
                "groups": made_groups,
            }
        )
    )
