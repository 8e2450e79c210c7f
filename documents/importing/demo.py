"""Demo data for trying the archive and for ``make bench`` (docs/search.md, "How search works").

``seed`` makes documents with passages of plausible archival prose,
scholars, and annotations on real quotes of that text, public and private,
with comments and tags. The same ``seed`` gives the same archive (slugs,
text, authors, quotes, dates), so benchmarks compare like with like.

Writes with ``bulk_create`` in one transaction and then rebuilds the search
index (``search_index.rebuild``): going through the per-note services would take
hours at 100,000 notes, and every note made here is anchored by construction.
Demo objects are recognisable by their ``demo-`` slugs and usernames.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.html import escape
from taggit.models import Tag

from documents.annotations.models import Annotation, TaggedAnnotation
from documents.archive import publication
from documents.archive.models import Collection, Document, TaggedDocument
from documents.search import index as search_index

PREFIX = "demo-"

SUBJECTS = [
    "The commission",
    "The treaty",
    "The court",
    "The senate",
    "The governor",
    "The committee",
    "The delegation",
    "The council",
    "The assembly",
    "The ministry",
    "The tribunal",
    "The mayor",
    "The harbour board",
    "The railway company",
    "The colonial office",
    "The bishop",
    "The union",
    "The prosecutor",
    "The ambassador",
    "The secretary of state",
]
VERBS = [
    "considered",
    "rejected",
    "approved",
    "debated",
    "postponed",
    "ratified",
    "amended",
    "examined",
    "questioned",
    "recorded",
    "defended",
    "published",
    "challenged",
    "confirmed",
    "reviewed",
    "signed",
]
OBJECTS = [
    "the jurisdiction of the tribunal",
    "the boundary of the northern province",
    "the petition of the weavers",
    "the tariff on imported grain",
    "the rights of the accused",
    "the charter of the harbour",
    "the report on public health",
    "the salaries of the clerks",
    "the treaty with the neighbouring states",
    "the construction of the canal",
    "the census of the eastern districts",
    "the pension of the widows",
    "the reform of the prisons",
    "the extradition of the merchants",
    "the survey of the coal mines",
    "the sovereignty of the islands",
    "the immunity of the envoys",
    "the freedom of the press",
    "the schooling of the children",
    "the price of bread",
    "the fisheries of the coast",
    "the protection of the forests",
    "the inquiry into the shipwreck",
    "the accounts of the treasury",
]
CLAUSES = [
    "after a long and sometimes bitter discussion",
    "with the consent of the minority",
    "despite the objections of several members",
    "in the presence of witnesses",
    "as the law of nations requires",
    "pending further instructions from the capital",
    "on the advice of counsel",
    "in accordance with the earlier resolution",
    "without a formal vote",
    "while the crowd waited outside",
    "for reasons of economy",
    "under protest",
    "in the interest of peace",
    "by a narrow majority",
]
TITLES = [
    "Report on",
    "Letter concerning",
    "Minutes on",
    "Statement on",
    "Memorandum on",
    "Address on",
    "Petition regarding",
    "Decision on",
    "Speech on",
    "Notes on",
]
TOPICS = [
    "the harbour",
    "the treaty",
    "public health",
    "the railway",
    "the tribunal",
    "the grain tariff",
    "the northern boundary",
    "the weavers",
    "the prisons",
    "the press",
    "the fisheries",
    "the treasury",
    "the canal",
    "the census",
    "the coal mines",
    "the islands",
    "the envoys",
    "the schools",
]
PEOPLE = [
    "Ada Brooks",
    "Mary Smith",
    "Jonas Weller",
    "Clara Okafor",
    "Henri Dupont",
    "Amalia Ruiz",
    "Tomas Novak",
    "Grace Lin",
    "Samuel Adeyemi",
    "Ingrid Larsen",
    "Rafael Costa",
    "Edith Moore",
]
COMMENTS = [
    "Compare with the minutes of the previous session.",
    "This contradicts the governor's own report.",
    "A key sentence for the question of jurisdiction.",
    "Note the careful wording here.",
    "The date seems wrong; the session met a week later.",
    "Quoted in the newspaper the next day.",
    "Who drafted this paragraph?",
    "The same phrase appears in the treaty of 1856.",
    "An early statement of the principle of immunity.",
    "The economic argument is weak.",
    "Check the archive of the harbour board.",
    "This passage was cited by the court.",
    "Ironic in the light of what followed.",
    "The translation differs in the French edition.",
    "A rare mention of the weavers' petition.",
    "Important for the history of the press.",
]
TAGS = [
    "jurisdiction",
    "sovereignty",
    "economics",
    "labour",
    "health",
    "diplomacy",
    "law",
    "press",
    "transport",
    "education",
    "to-check",
    "key-passage",
    "contradiction",
    "translation",
]
SYLLABLES = [
    "bar",
    "ven",
    "tor",
    "mal",
    "kes",
    "lin",
    "dor",
    "fen",
    "gar",
    "hol",
    "mir",
    "nor",
    "pel",
    "quin",
    "ros",
    "sal",
    "tam",
    "ulm",
    "vor",
    "wes",
    "yar",
    "zel",
    "bri",
    "cas",
    "del",
    "ent",
]


def proper_name(n: int) -> str:
    """The n-th of 17,576 made-up names (three syllables): the rare words of a real archive."""
    first, second, third = n % 26, (n // 26) % 26, (n // 676) % 26
    return (SYLLABLES[first] + SYLLABLES[second] + SYLLABLES[third]).capitalize()


NAMES = 5000
PLACES = ("at", "near", "from", "to", "by", "with")
TYPES = [value for value in Document.Type.values if value != Document.Type.OTHER]


class DemoDataExists(ValueError):
    """Demo documents are already there; seed again with ``replace=True``."""


def _sentence(rng: random.Random) -> str:
    sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        sentence += f" {rng.choice(CLAUSES)}"
    if rng.random() < 0.7:
        sentence += f" {rng.choice(PLACES)} {proper_name(rng.randrange(NAMES))}"
    return sentence + "."


def _text(rng: random.Random) -> str:
    passages = []
    for n in range(rng.randint(4, 12)):
        body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        if n == 0 and rng.random() < 0.5:
            body = "# " + rng.choice(TITLES) + " " + rng.choice(TOPICS)
        elif rng.random() < 0.1:
            body = "> " + body
        passages.append(body)
    return "\n\n".join(passages)


@transaction.atomic
def seed(*, documents: int, annotations: int, users: int, seed: int = 1, replace: bool = False) -> str:
    """Add the demo archive; returns a one-line summary. Raises DemoDataExists unless ``replace``."""
    User = get_user_model()
    demo_documents = Document.objects.filter(slug__startswith=PREFIX)
    if demo_documents.exists():
        if not replace:
            raise DemoDataExists("Demo documents already exist; run again with --replace to make them anew.")
        publication.delete_documents(demo_documents)
        User.objects.filter(username__startswith=PREFIX).delete()
    rng = random.Random(seed)
    epoch = datetime(2020, 1, 1, tzinfo=UTC)

    scholars = [
        User(username=f"{PREFIX}scholar-{n}", email=f"{PREFIX}scholar-{n}@example.org") for n in range(users)
    ]
    for scholar in scholars:
        scholar.set_unusable_password()
    User.objects.bulk_create(scholars, batch_size=1000)
    scholars = list(User.objects.filter(username__startswith=PREFIX).order_by("username"))

    collection, _ = Collection.objects.get_or_create(
        slug=f"{PREFIX}collection", defaults={"title": "Demo archive", "description": "Made by seed_demo."}
    )
    new_documents = []
    for n in range(documents):
        day = date(1800, 1, 1) + timedelta(days=rng.randint(0, 365 * 220))
        new_documents.append(
            Document(
                title=f"{rng.choice(TITLES)} {rng.choice(TOPICS)}, {day.year}",
                slug=f"{PREFIX}{n + 1:06d}",
                creator=rng.choice(PEOPLE),
                date=day,
                type=rng.choice(TYPES),
                description=_sentence(rng),
                language="en",
                status=Document.Status.PUBLISHED if rng.random() < 0.95 else Document.Status.DRAFT,
                published_at=epoch + timedelta(minutes=n),
                text=_text(rng),
            )
        )
    Document.objects.bulk_create(new_documents, batch_size=500)
    publication.published_in_bulk(new_documents)
    new_documents = list(demo_documents.order_by("slug"))

    tags = {name: Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS}
    Collection.documents.through.objects.bulk_create(
        [Collection.documents.through(collection=collection, document=d) for d in new_documents],
        batch_size=1000,
    )
    TaggedDocument.objects.bulk_create(
        [
            TaggedDocument(content_object=d, tag=tags[rng.choice(TAGS)])
            for d in new_documents
            if rng.random() < 0.5
        ],
        batch_size=1000,
    )

    notes, note_tags = [], []
    for n in range(annotations):
        document = new_documents[rng.randrange(len(new_documents))]
        text = document.canonical_text
        passage = rng.choice(document.passages)
        words = passage.text.split(" ")
        first = rng.randrange(len(words))
        quote = " ".join(words[first : first + rng.randint(1, 6)]).strip()
        offset = passage.text.index(quote, len(" ".join(words[:first]))) if quote else 0
        start = passage.start + offset
        end = start + len(quote)
        comment = rng.choice(COMMENTS) if rng.random() < 0.85 else ""
        if comment and rng.random() < 0.5:
            comment += f" See {proper_name(rng.randrange(NAMES))}."
        chosen = rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2)))
        moment = epoch + timedelta(minutes=documents + n)
        note = Annotation(
            document=document,
            author=scholars[rng.randrange(len(scholars))],
            visibility=Annotation.Visibility.PUBLIC if rng.random() < 0.7 else Annotation.Visibility.PRIVATE,
            motivation=(
                Annotation.Motivation.COMMENTING
                if comment
                else Annotation.Motivation.TAGGING
                if chosen
                else Annotation.Motivation.HIGHLIGHTING
            ),
            exact=quote,
            prefix=text[max(0, start - 32) : start],
            suffix=text[end : end + 32],
            start=start,
            end=end,
            revision=document.revision,
            comment=comment,
            comment_html=f"<p>{escape(comment)}</p>" if comment else "",
            created=moment,
            modified=moment,
        )
        notes.append(note)
        note_tags += [(note, tags[name]) for name in chosen]
    Annotation.objects.bulk_create(notes, batch_size=1000)
    TaggedAnnotation.objects.bulk_create(
        [TaggedAnnotation(content_object=note, tag=tag) for note, tag in note_tags], batch_size=1000
    )
    indexed_documents, indexed_annotations = search_index.rebuild()
    return (
        f"Added {documents:,} documents, {users:,} users and {annotations:,} annotations "
        f"(seed {seed}); indexed {indexed_documents:,} documents and {indexed_annotations:,} annotations."
    )
