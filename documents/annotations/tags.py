"""Tags and their slugs: the one way a tag is made.

Documents and annotations share taggit's Tag table, and a tag is found by its
exact name, so each person's spelling stays their own: "secret plan" never
shows up as someone else's "Secret Plan" (taggit's TAGGIT_CASE_INSENSITIVE
would do that, and is left off).

Taggit gives a new tag ``slugify(name)``, or ``slugify(name)_1``, ``_2``… when
another tag already holds that slug, so a slug told a scholar that someone
else had used a name like theirs, perhaps only on private notes. Here a slug
is a function of the name alone (docs/reading-and-annotating.md, "Privacy"):

- a name already in its plain form (``rome-statute``) is its own slug;
- any other name gets ``slugify(name)`` (cut to fit), ``--`` and 12 base32
  characters of the SHA-256 of the name. ``slugify`` never produces ``--``, so
  such a slug is never a plain name's, and 60 bits keep two names apart.

Tags made before this rule keep their slugs, which are permalinks. The one
case they get in the way, an older tag holding the plain slug a new plain name
needs, gives the new name its digest form instead.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from taggit.models import Tag

from documents.annotations.models import Annotation, VisibleTag
from documents.archive.models import Document

MAX_SLUG_LENGTH = Tag._meta.get_field("slug").max_length
DIGEST_LENGTH = 12
SEPARATOR = "--"


def tag_slug(name: str, *, digest: bool = False) -> str:
    """The slug of a tag called ``name``; ``digest`` asks for the digest form even of a plain name."""
    plain = slugify(name, allow_unicode=True)
    if plain == name and not digest:
        return plain
    code = base64.b32encode(hashlib.sha256(name.encode()).digest()).decode().lower()[:DIGEST_LENGTH]
    room = MAX_SLUG_LENGTH - len(SEPARATOR) - DIGEST_LENGTH
    return f"{plain[:room].rstrip('-_')}{SEPARATOR}{code}"


def name_order(name: str) -> tuple[str, str]:
    """The order a reader looks for tags in, as a sort key of their names: ignoring case, then as spelt."""
    return (name.casefold(), name)


def by_name(tags: Iterable[Tag]) -> list[Tag]:
    """``tags`` in the order a reader looks for them (``name_order``)."""
    return sorted(tags, key=lambda tag: name_order(tag.name))


SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015]+")

SUGGESTIONS = 10
"""How many tags ``suggest`` offers at most."""


def loose_form(name: str) -> str:
    """``name`` as a reader would not tell it apart from a near spelling: "Rome Statute",
    "rome-statute" and "Róme  statute" are all "rome statute".

    Case is folded, accents dropped (the name decomposed, its combining marks
    left out) and runs of spaces, hyphens, dashes and underscores made one space.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return SEPARATORS.sub(" ", bare).strip()


@dataclass(frozen=True)
class Suggestions:
    """The tags to offer for what a reader has typed, most used first, as ``(name, uses)``;
    ``like``, an existing name whose ``loose_form`` is the typed one's but spelt otherwise."""

    tags: list[tuple[str, int]]
    like: str = ""


def suggest(user, typed: str, *, limit: int = SUGGESTIONS) -> Suggestions:
    """The tags ``user`` may see (``VisibleTag.objects.visible_to``) whose loose form starts with
    ``typed``'s, most used first, in two queries however many notes carry them.

    Uses count the documents ``user`` may read and the notes they may see, so a
    private note of someone else's neither names a tag nor adds to its count.
    The names are compared in Python (accents and separators are not something
    both databases fold alike), so the first query reads the visible names
    alone and the second counts the uses of those that match.
    """
    key = loose_form(typed)
    if not key:
        return Suggestions([])
    visible = VisibleTag.objects.visible_to(user)
    wanted = [pk for pk, name in visible.values_list("pk", "name") if loose_form(name).startswith(key)]
    if not wanted:
        return Suggestions([])
    rows = (
        VisibleTag.objects.filter(pk__in=wanted)
        .with_uses(Document.objects.visible_to(user), Annotation.objects.visible_to(user))
        .values_list("name", "uses")
    )
    matching = sorted(rows, key=lambda row: (-row[1], *name_order(row[0])))
    stripped = typed.strip()
    spelt = {name for name, _ in matching}
    like = "" if stripped in spelt else next((name for name, _ in matching if loose_form(name) == key), "")
    return Suggestions(matching[:limit], like)


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The tags called exactly ``names``, in order, made with ``tag_slug`` where they are new.

    Services, imports and the admin all call this, so a tag gets the same slug
    whichever path makes it. Expects names already cleaned (stripped, unique).
    """
    names = list(names)
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [found.get(name) or _make(name) for name in names]


def _make(name: str) -> Tag:
    for slug in dict.fromkeys([tag_slug(name), tag_slug(name, digest=True)]):
        try:
            with transaction.atomic():
                return Tag.objects.create(name=name, slug=slug)
        except IntegrityError:
            if made := Tag.objects.filter(name=name).first():
                return made  # made meanwhile by another request
    raise IntegrityError(f"No free slug for the tag “{name}”.")
