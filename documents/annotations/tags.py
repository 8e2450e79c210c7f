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
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from taggit.models import Tag

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
