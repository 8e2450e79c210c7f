"""Group notes benchmark, part of `make bench` (docs/reading-and-annotating.md, "Groups").

A document carries 1,000 notes of a group, 1,000 public and 100 private ones; a member of
that group (and of 4 others, so the membership subquery has rows to read) reads it. Times,
with their query counts: the reading view as a member (warm cache), the panel filtered to
the group (rendered every time), the API container filtered to the group, and
``visible_to`` counting every note the member may see, against a scholar in no group.
Uses var/bench-groups.sqlite3, or DATABASE_URL. Results go to var/bench-groups-results.txt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.test_settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-groups.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.run import measure  # noqa: E402
from documents.annotations import text_changes  # noqa: E402
from documents.groups import services as groups  # noqa: E402
from documents.models import Annotation, Document, Group  # noqa: E402

RESULTS = ROOT / "var" / "bench-groups-results.txt"
COUNTS = {"group": 1000, "public": 1000, "private": 100}


def setting_up():
    users = get_user_model().objects
    moderator, _ = users.get_or_create(username="bench-moderator")
    member, _ = users.get_or_create(username="bench-member")
    scholar, _ = users.get_or_create(username="bench-scholar")
    Annotation.objects.all().delete()
    Group.objects.all().delete()
    made = [groups.create_group(by=moderator, name=f"Bench group {n}") for n in range(5)]
    for group in made:
        link = groups.create_invitation(group=group, by=moderator)
        groups.join_group(slug=group.slug, token=link.token, user=member)
    document = Document.objects.filter(slug="bench-groups").first() or Document(
        slug="bench-groups", title="Groups benchmark", status="published"
    )
    document.text = "\n\n".join(
        f"Passage {n}: " + "The quick brown fox jumps over the lazy dog. " * 6 for n in range(300)
    )
    text_changes.save_document(document)
    text = document.canonical_text
    rows = []
    for visibility, count in COUNTS.items():
        for n in range(count):
            start = (n * 37) % (len(text) - 40)
            rows.append(
                Annotation(
                    document=document,
                    author=moderator,
                    visibility=visibility,
                    group=made[0] if visibility == "group" else None,
                    start=start,
                    end=start + 20,
                    exact=text[start : start + 20],
                    comment=f"{visibility} note {n}",
                    comment_html=f"<p>{visibility} note {n}</p>",
                )
            )
    Annotation.objects.bulk_create(rows, batch_size=500)
    return document, made[0], member, scholar


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    (ROOT / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    document, group, member, scholar = setting_up()
    readers = {}
    for name, user in [("member of 5 groups", member), ("scholar in no group", scholar)]:
        readers[name] = Client()
        readers[name].force_login(user)
    page, api = document.get_absolute_url(), f"/api/documents/{document.slug}/annotations/"
    lines = [
        f"Group notes on {connection.vendor}: {', '.join(f'{n:,} {kind}' for kind, n in COUNTS.items())} "
        "notes on one document"
    ]
    for name, client in readers.items():
        lines.append(measure(f"reading view, {name} (warm)", lambda c=client: c.get(page)))
        lines.append(measure(f"API container, page of 50, {name}", lambda c=client: c.get(api)))
    member_client, only_group = readers["member of 5 groups"], {"group": group.slug}
    lines.append(
        measure("panel filtered to the group (rendered)", lambda: member_client.get(page, only_group))
    )
    lines.append(measure("API container ?group=, page of 50", lambda: member_client.get(api, only_group)))
    for name, user in [("member of 5 groups", member), ("scholar in no group", scholar)]:
        lines.append(
            measure(
                f"visible_to(...).count(), {name}",
                lambda u=user: Annotation.objects.visible_to(u).filter(document=document).count(),
            )
        )
    output = "\n".join(lines) + "\n"
    RESULTS.write_text(output)
    print(output, end="")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
