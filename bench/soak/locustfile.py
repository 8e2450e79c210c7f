"""What the soak test's people do (docs/performance.md, "Reading at scale"), for locust.

Readers browse and search anonymously; scholars read logged in, write notes
(public, private, for their group), reply to others' notes, edit and delete
their own through the API with their tokens; newcomers join groups through
invitation links and write there; one curator corrects the text of the few
"hot" documents the scholars annotate most, through the admin form.

Every write answered as done (201, 200, 204, or the admin's and the join's
302) is appended to the journal (SOAK_JOURNAL) with the marker its text
carries, so the audit can check afterwards that each is stored exactly once.
Every answer of 500 or more, and every request that got no answer, is in the
journal too. Each user's requests go to one of the servers (SOAK_HOSTS, comma
separated) in turn, from an address of its own (X-Forwarded-For, which the
servers believe from 127.0.0.1 only), as people behind one proxy would.

Response times are gathered per kind of request and written, with the
percentiles, to SOAK_LATENCIES when locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["SOAK_ACCOUNTS"]).read_text())
HOSTS = os.environ["SOAK_HOSTS"].split(",")
JOURNAL = open(os.environ["SOAK_JOURNAL"], "a", buffering=1)  # noqa: SIM115 (open while locust runs)
ANNO = "http://www.w3.org/ns/anno.jsonld"
JSONLD = {"Content-Type": "application/ld+json", "Accept": "application/ld+json"}
WORDS = ["treaty", "commission", "harbour", "senate", "railway", "governor", "council", "petition", "bishop"]
SEARCHES = [*WORDS, "treaty harbour", '"the council"', "tag:demo", "railway company", "colonial office"]
HOT = [document["slug"] for document in ACCOUNTS["hot"]]
ANSWERED = {200, 201, 204, 302}

_users = itertools.count()
_newcomers = iter(ACCOUNTS["newcomers"])
_timings: dict[str, list[float]] = defaultdict(list)
_failures: dict[str, Counter] = defaultdict(Counter)


def record(kind: str, **fields) -> None:
    JOURNAL.write(json.dumps({"kind": kind, **fields}) + "\n")


def marker() -> str:
    return f"soak-{uuid.uuid4().hex[:16]}"


@events.request.add_listener
def timed(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    _timings[name].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    if exception is not None:
        _failures[name][f"{status} {str(exception)[:120]}"] += 1
    if (exception is not None and status == 0) or status >= 500:
        record("error", name=name, status=status, error=str(exception)[:300] if exception else "")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@events.quitting.add_listener
def write_latencies(environment, **kwargs):
    def summary(values):
        return {
            "count": len(values),
            "p50": percentile(values, 0.50),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
            "max": max(values, default=0.0),
        }

    kinds = {name: summary(values) for name, values in sorted(_timings.items())}
    reads = [value for name, values in _timings.items() if name.startswith("read") for value in values]
    writes = [value for name, values in _timings.items() if name.startswith("write") for value in values]
    Path(os.environ["SOAK_LATENCIES"]).write_text(
        json.dumps(
            {
                "kinds": kinds,
                "reads": summary(reads),
                "writes": summary(writes),
                "failures": {name: dict(counts) for name, counts in _failures.items()},
            },
            indent=1,
        )
    )
    JOURNAL.close()


class Form(HTMLParser):
    """The fields of the page's first form that posts (log-out aside), as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._inside = self._done = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        posts = (attrs.get("method") or "").lower() == "post" and "logout" not in (attrs.get("action") or "")
        if tag == "form" and not self._done and posts:
            self._inside = True
        if not self._inside or (not attrs.get("name") and tag != "option"):
            return
        if tag == "input" and attrs.get("type", "text") not in {"submit", "button", "file", "image", "reset"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append(
                    (attrs["name"], attrs.get("value") or ("on" if "checked" in attrs else ""))
                )
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], []
        elif tag == "select":
            self._select, self._options = attrs["name"], []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value") or "", "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = Form()
    parser.feed(html)
    return parser.fields


class Person(HttpUser):
    abstract = True
    host = HOSTS[0]

    def on_start(self):
        number = next(_users)
        self.client.base_url = HOSTS[number % len(HOSTS)]
        self.client.headers["X-Forwarded-For"] = (
            f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        )
        self.rng = random.Random(number)

    def read(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code in {200, 304, 404, 410}:
                response.success()
            return response

    def log_in(self, session: str) -> None:
        self.client.cookies.set("sessionid", session)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""


class Reader(Person):
    """Anonymous: home, lists, the reading view, the API and feeds."""

    weight = 6
    wait_time = between(1, 4)

    def document(self) -> str:
        return self.rng.choice(HOT) if self.rng.random() < 0.5 else self.rng.choice(ACCOUNTS["documents"])

    @task(6)
    def reading_view(self):
        self.read(f"/documents/{self.document()}/", "read: reading view, anonymous")

    @task(1)
    def home(self):
        self.read("/", "read: home page")

    @task(1)
    def document_list(self):
        self.read(f"/documents/?page={self.rng.randint(1, 5)}", "read: document list")

    @task(1)
    def api_document(self):
        self.read(f"/api/documents/{self.document()}/", "read: API document")

    @task(1)
    def api_container(self):
        self.read(f"/api/documents/{self.document()}/annotations/", "read: API document's annotations")

    @task(1)
    def revisions(self):
        self.read(f"/documents/{self.rng.choice(HOT)}/revisions/", "read: revision history")


class Searcher(Person):
    weight = 2
    wait_time = between(2, 6)

    @task(3)
    def search_page(self):
        self.read(f"/search/?q={self.rng.choice(SEARCHES)}", "read: search page")

    @task(1)
    def search_api(self):
        self.read(f"/api/search/?q={self.rng.choice(WORDS)}", "read: API search")


class Scholar(Person):
    """Reads logged in and writes through the API with a token, on the hot documents mostly."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        super().on_start()
        scholars = ACCOUNTS["scholars"]
        self.me = scholars[self.rng.randrange(len(scholars))]
        self.log_in(self.me["session"])
        self.token = {"Authorization": f"Token {self.me['token']}"}
        self.mine: list[str] = []

    def hot(self) -> str:
        return self.rng.choice(HOT) if self.rng.random() < 0.8 else self.rng.choice(ACCOUNTS["documents"])

    @task(5)
    def reading_view(self):
        self.read(f"/documents/{self.hot()}/", "read: reading view, scholar")

    @task(1)
    def notifications(self):
        self.read("/notifications/", "read: notifications")

    @task(1)
    def group_page(self):
        self.read(f"/groups/{self.me['group']}/", "read: group page")

    def write_note(self, slug: str, visibility: str, name: str) -> None:
        document = self.client.get(f"/api/documents/{slug}/", name="read: API document")
        if document.status_code != 200:
            return
        passages = [p for p in document.json()["passages"] if p["end"] - p["start"] > 30]
        if not passages:
            return
        passage = self.rng.choice(passages)
        start = self.rng.randint(passage["start"], passage["end"] - 20)
        end = min(passage["end"], start + self.rng.randint(12, 60))
        exact = document.json()["text"][start:end]
        text = marker()
        body = {
            "@context": ANNO,
            "type": "Annotation",
            "bodyValue": f"{text}: a note on this passage.",
            "visibility": visibility,
            "target": {
                "source": f"{self.client.base_url}/documents/{slug}/",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": exact},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        }
        if visibility == "group":
            body["group"] = f"{self.client.base_url}/groups/{self.me['group']}/"
        with self.client.post(
            f"/api/documents/{slug}/annotations/",
            json=body,
            headers={**JSONLD, **self.token},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                created = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
                self.mine.append(created)
                record("create", id=created, marker=text, author=self.me["username"], document=slug)
            elif response.status_code in {400, 409}:
                response.success()  # the curator changed the text under the selection: refused, nothing kept

    @task(3)
    def create_note(self):
        visibility = self.rng.choice(["public", "public", "private", "group"])
        self.write_note(self.hot(), visibility, f"write: create note ({visibility})")

    @task(2)
    def reply(self):
        slug = self.rng.choice(HOT)
        page = self.client.get(
            f"/api/documents/{slug}/annotations/", headers=self.token, name="read: API document's annotations"
        )
        if page.status_code != 200:
            return
        data = page.json()
        items = (data.get("first") or {}).get("items", []) if isinstance(data.get("first"), dict) else []
        others = [item for item in items if item.get("creator", {}).get("nickname") != self.me["username"]]
        if not others:
            return
        parent = self.rng.choice(others)
        text = marker()
        body = {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "replying",
            "bodyValue": f"{text}: I read this differently.",
            "target": parent["id"],
        }
        with self.client.post(
            "/api/annotations/",
            json=body,
            headers={**JSONLD, **self.token},
            name="write: reply",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                created = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
                record(
                    "reply",
                    id=created,
                    marker=text,
                    author=self.me["username"],
                    parent=parent["id"].rstrip("/").rsplit("/", 1)[-1],
                )
            elif response.status_code in {400, 404}:
                response.success()  # its parent was deleted meanwhile: refused, nothing kept

    @task(1)
    def edit_note(self):
        if not self.mine:
            return
        pk = self.rng.choice(self.mine)
        current = self.client.get(
            f"/api/annotations/{pk}/", headers={**JSONLD, **self.token}, name="read: one note"
        )
        if current.status_code != 200:
            return
        text = marker()
        body = {key: value for key, value in current.json().items() if key != "body"}
        body["bodyValue"] = f"{text}: edited."
        with self.client.put(
            f"/api/annotations/{pk}/",
            json=body,
            headers={**JSONLD, **self.token, "If-Match": current.headers.get("ETag", "")},
            name="write: edit note",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                record("edit", id=pk, marker=text, author=self.me["username"])
            elif response.status_code in {400, 412}:
                response.success()  # re-anchored or refused meanwhile; the client would read it again

    @task(1)
    def delete_note(self):
        if len(self.mine) < 4:
            return
        pk = self.mine.pop(self.rng.randrange(len(self.mine)))
        with self.client.delete(
            f"/api/annotations/{pk}/", headers=self.token, name="write: delete note", catch_response=True
        ) as response:
            if response.status_code == 204:
                record("delete", id=pk, author=self.me["username"])


class Newcomer(Person):
    """Joins a group through its invitation link as a new account, then reads and writes there."""

    fixed_count = 2
    wait_time = between(3, 8)

    def on_start(self):
        super().on_start()
        self.me = None

    @task
    def join(self):
        self.me = next(_newcomers, None)
        if self.me is None:
            self.read("/groups/", "read: groups")
            return
        self.client.cookies.clear()
        self.log_in(self.me["session"])
        group = self.rng.choice(ACCOUNTS["groups"])
        link = f"/groups/{group['slug']}/join/{group['token']}/"
        page = self.read(link, "read: invitation page")
        fields = dict(form_fields(page.text)) if page.status_code == 200 else {}
        with self.client.post(
            link,
            data={"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", "")},
            allow_redirects=False,
            name="write: join group",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record("join", user=self.me["username"], group=group["slug"])
        self.read(f"/groups/{group['slug']}/", "read: group page")


class Curator(Person):
    """Corrects the hot documents' text in the admin: adds, rewords, drops sentences, rewrites passages."""

    fixed_count = 1
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.log_in(ACCOUNTS["curator"]["session"])

    @task
    def correct_text(self):
        document = self.rng.choice(ACCOUNTS["hot"])
        path = f"/admin/documents/document/{document['pk']}/change/"
        page = self.read(path, "read: admin document form")
        if page.status_code != 200:
            return
        fields = form_fields(page.text)
        text = marker()
        data = [(name, value) for name, value in fields if name not in {"text", "change_summary"}]
        data += [
            ("text", self.corrected(dict(fields).get("text", ""), text)),
            ("change_summary", f"{text}: corrected against the original."),
        ]
        with self.client.post(
            path, data=data, allow_redirects=False, name="write: curator's text edit", catch_response=True
        ) as response:
            if response.status_code == 302:
                record("text edit", document=document["slug"], marker=text)
            elif response.status_code == 200:
                response.failure("the admin form refused the edit")  # one curator: nobody saved meanwhile

    def corrected(self, text: str, text_marker: str) -> str:
        passages = text.replace("\r\n", "\n").split("\n\n")
        n = self.rng.randrange(len(passages))
        passage = passages[n]
        prefix = re.match(r"^(# |> |- )?", passage).group(0)
        sentences = re.split(r"(?<=\.) ", passage[len(prefix) :])
        roll = self.rng.random()
        if roll < 0.4:
            sentences.insert(
                self.rng.randrange(len(sentences) + 1), f"A line the copyist left out ({text_marker})."
            )
        elif roll < 0.7:
            words = sentences[-1].split(" ")
            words[self.rng.randrange(len(words))] = self.rng.choice(WORDS)
            sentences[-1] = " ".join(words)
        elif roll < 0.9 and len(sentences) > 1:
            sentences.pop(self.rng.randrange(len(sentences)))
        else:
            sentences = [f"The passage as the original has it ({text_marker})."]
        passages[n] = prefix + " ".join(sentences)
        return "\n\n".join(passages)
