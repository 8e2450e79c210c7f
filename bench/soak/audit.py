"""The soak test's audit, run by the driver through ``manage.py shell`` while the servers still answer.

It reads the journal the locustfile wrote and checks, in the database and
through the API:

- no request answered 500 or more, and none went unanswered;
- every note and reply answered 201 is stored once, with the words of the last
  answered edit, unless its author's answered DELETE (of it or its thread)
  removed it; no marker is stored twice; every answered DELETE is gone;
- every answered text edit is one revision, every answered join one membership;
- every note on a text sits on its document's current revision with its quote
  at its offsets, or is orphaned keeping the quote it was made on;
- every stored reply has a notification for the author of the note it answers
  (unless they wrote it), and every note whose quote an edit changed or removed
  has one telling its author;
- the API gives each surviving note (a sample) to its author with its words.

Prints one JSON line: ``{"passed": bool, "lines": [...]}``.
"""

from __future__ import annotations

import json
import os
import random
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from django.db.models import Q

from documents.models import Annotation, Document, DocumentRevision, Membership, Notification

API_SAMPLE = 200
SHOWN = 5


def main() -> None:
    journal = [json.loads(line) for line in Path(os.environ["SOAK_JOURNAL"]).read_text().splitlines() if line]
    accounts = json.loads(Path(os.environ["SOAK_ACCOUNTS"]).read_text())
    problems: dict[str, list[str]] = defaultdict(list)
    counts = Counter(entry["kind"] for entry in journal)

    for entry in journal:
        if entry["kind"] == "error":
            problems["5xx or no answer"].append(f"{entry['name']}: {entry['status']} {entry['error']}")

    for name, errors in json.loads(Path(os.environ["SOAK_LATENCIES"]).read_text())["failures"].items():
        problems["unexpected answers"] += [f"{name}: {error} x{count}" for error, count in errors.items()]
    for kind in ["create", "reply", "text edit", "join"]:
        if not counts[kind]:
            problems["writes the mix never made"].append(kind)

    deleted = {entry["id"] for entry in journal if entry["kind"] == "delete"}
    last_words: dict[str, str] = {}
    for entry in journal:
        if entry["kind"] in {"create", "reply", "edit"}:
            last_words[entry["id"]] = entry["marker"]
    replies = {entry["id"]: entry for entry in journal if entry["kind"] == "reply"}
    stored = {
        str(pk): (comment, root_id, parent_id, author)
        for pk, comment, root_id, parent_id, author in Annotation.objects.filter(
            pk__in=list(last_words)
        ).values_list("pk", "comment", "root_id", "parent_id", "author__username")
    }
    for pk, words in last_words.items():
        if pk in deleted:
            if pk in stored:
                problems["deleted (204) but still stored"].append(pk)
            continue
        if pk not in stored:
            parent = replies.get(pk, {}).get("parent")
            if parent is not None and (parent in deleted or not _thread_survives(parent, deleted, replies)):
                continue  # its thread's author deleted the thread: the reply went with it, as it should
            problems["answered but not stored"].append(pk)
        elif not stored[pk][0].startswith(words):
            problems["stored without its last answered edit"].append(f"{pk}: wanted {words}")

    markers = Counter()
    for comment in Annotation.objects.filter(comment__startswith="soak-").values_list("comment", flat=True):
        markers[comment.split(":", 1)[0]] += 1
    problems["stored twice"] += [marker for marker, count in markers.items() if count > 1]

    edits = [entry for entry in journal if entry["kind"] == "text edit"]
    summaries = Counter(
        summary.split(":", 1)[0]
        for summary in DocumentRevision.objects.filter(summary__startswith="soak-").values_list(
            "summary", flat=True
        )
    )
    problems["text edit not stored once"] += [e["marker"] for e in edits if summaries[e["marker"]] != 1]

    members = set(Membership.objects.values_list("user__username", "group__slug"))
    problems["join not stored"] += [
        f"{e['user']} in {e['group']}"
        for e in journal
        if e["kind"] == "join" and (e["user"], e["group"]) not in members
    ]

    anchored, orphaned = _check_anchoring(problems)

    told = set(Notification.objects.values_list("annotation_id", "recipient_id", "kind"))
    stored_replies = Annotation.objects.filter(pk__in=[pk for pk in stored if pk in replies])
    for pk, author_id, parent_author_id in stored_replies.values_list("pk", "author_id", "parent__author_id"):
        if parent_author_id != author_id and (pk, parent_author_id, "reply") not in told:
            problems["reply without its notification"].append(str(pk))
    curator = accounts["curator"]["username"]
    struck = Annotation.objects.filter(anchor__in=["changed", "orphaned"], parent__isnull=True).exclude(
        author__username=curator
    )
    for pk, author_id in struck.values_list("pk", "author_id"):
        if not {(pk, author_id, "changed"), (pk, author_id, "orphaned")} & told:
            problems["struck quote without its notification"].append(str(pk))

    api_checked = _check_api(last_words, stored, deleted, accounts, problems)

    lines = [
        f"journal: {counts['create']} notes, {counts['reply']} replies, {counts['edit']} edits, "
        f"{counts['delete']} deletions, {counts['text edit']} text edits, {counts['join']} joins answered; "
        f"{counts['error']} answers of 5xx or none",
        f"{anchored} notes on the current revision with their quotes, {orphaned} orphaned with theirs",
        f"{api_checked} surviving notes read back through the API by their authors",
    ]
    for name, found in problems.items():
        if found:
            lines.append(f"{name}: {len(found)}, e.g. " + ", ".join(found[:SHOWN]))
    print(json.dumps({"passed": not any(problems.values()), "lines": lines}))


def _thread_survives(parent: str, deleted: set[str], replies: dict) -> bool:
    while parent in replies:
        parent = replies[parent]["parent"]
        if parent in deleted:
            return False
    return Annotation.objects.filter(pk=parent).exists()


def _check_anchoring(problems) -> tuple[int, int]:
    texts = {
        pk: (Document(text=text).canonical_text, revision)
        for pk, text, revision in Document.objects.values_list("pk", "text", "revision")
    }
    anchored = orphaned = 0
    notes = Annotation.objects.filter(parent__isnull=True, start__isnull=False).filter(~Q(exact=""))
    for pk, document_id, start, end, exact, revision, anchor in notes.values_list(
        "pk", "document_id", "start", "end", "exact", "revision", "anchor"
    ):
        text, current = texts[document_id]
        if anchor == Annotation.Anchor.ORPHANED:
            orphaned += 1
            continue
        if revision != current or text[start:end] != exact:
            problems["note off its document's current text"].append(
                f"{pk} (revision {revision}, current {current})"
            )
        else:
            anchored += 1
    problems["orphaned without its quote"] += [
        str(pk)
        for pk in Annotation.objects.filter(anchor=Annotation.Anchor.ORPHANED, parent__isnull=True, exact="")
        .filter(original_exact="")
        .values_list("pk", flat=True)
    ]
    return anchored, orphaned


def _check_api(last_words, stored, deleted, accounts, problems) -> int:
    tokens = {person["username"]: person["token"] for person in accounts["scholars"] + accounts["newcomers"]}
    survivors = sorted(pk for pk in last_words if pk in stored and pk not in deleted)
    sample = random.Random(1).sample(survivors, min(API_SAMPLE, len(survivors)))
    for pk in sample:
        author = stored[pk][3]
        request = urllib.request.Request(  # noqa: S310 (the soak's own server on 127.0.0.1)
            f"{os.environ['SOAK_BASE']}/api/annotations/{pk}/",
            headers={"Authorization": f"Token {tokens[author]}", "X-Forwarded-For": "10.255.255.1"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                if last_words[pk] not in answer.read().decode():
                    problems["API shows other words"].append(pk)
        except urllib.error.HTTPError as error:
            problems["API does not give a stored note to its author"].append(f"{pk}: {error.code}")
        except OSError as error:
            problems["API does not answer"].append(f"{pk}: {error}")
    return len(sample)
