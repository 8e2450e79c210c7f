"""Whether a document's creator is a person, and the name as a bibliography lists it.

The creator is one Dublin Core field that may name a person or an issuing
body. Following Dublin Core practice, a curator may write a person inverted,
"Clinton, William J."; a creator with a comma is therefore taken as a person
(family name first, as bibliographies want it). A creator written in natural
order is a person too when it reads like a personal name: two to four
capitalised words or initials ("William J. Clinton", "Bill Clinton"), none of
them a word that names a body ("United Nations General Assembly"). Anything
else (an acronym such as "AMICC", a phrase with "of") is an organisation or a
name to be cited exactly as written. Chicago and MLA invert a person's name,
"Clinton, William J." (docs/reading-and-annotating.md, "Readers").

Pure: no Django, no I/O.
"""

from __future__ import annotations

import re

# Words that name a body, not a person, when a creator is written in natural order.
ORGANISATION_WORDS = frozenset(
    {
        "academy",
        "agency",
        "alliance",
        "archive",
        "archives",
        "assembly",
        "association",
        "bank",
        "board",
        "bureau",
        "center",
        "centre",
        "church",
        "coalition",
        "college",
        "commission",
        "committee",
        "commonwealth",
        "company",
        "congress",
        "corporation",
        "council",
        "court",
        "department",
        "embassy",
        "federal",
        "federation",
        "forum",
        "foundation",
        "fund",
        "government",
        "group",
        "house",
        "inc",
        "initiative",
        "institute",
        "international",
        "league",
        "library",
        "ltd",
        "ministry",
        "museum",
        "national",
        "nations",
        "network",
        "news",
        "office",
        "organisation",
        "organization",
        "parliament",
        "party",
        "post",
        "press",
        "project",
        "republic",
        "rights",
        "secretariat",
        "senate",
        "service",
        "society",
        "states",
        "times",
        "tribunal",
        "trust",
        "union",
        "university",
        "watch",
    }
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _is_name_word(word: str) -> bool:
    """A capitalised word ("Clinton", "O’Brien", "Smith-Jones") or initials ("J.", "J.F.")."""
    if _INITIALS.fullmatch(word):
        return word[0].isupper()
    letters = [part.replace("'", "").replace("’", "") for part in word.split("-")]
    return all(
        len(part) > 1 and part.isalpha() and part[0].isupper() and not part.isupper() for part in letters
    )


def person_name(creator: str) -> tuple[str, str] | None:
    """(family, given) when the creator is a person, else None; see the module docstring."""
    creator = " ".join(creator.split())
    if "," in creator:
        family, given = (part.strip() for part in creator.split(",", 1))
        return (family, given) if family else None
    words = creator.split(" ")
    if not 2 <= len(words) <= 4 or not all(_is_name_word(word) for word in words):
        return None
    if any(word.casefold() in ORGANISATION_WORDS for word in words) or words[-1].endswith("."):
        return None
    return words[-1], " ".join(words[:-1])


def is_person(creator: str) -> bool:
    return person_name(creator) is not None


def inverted(creator: str) -> str:
    """The creator as a bibliography lists it: a person "Family, Given", anything else as written."""
    name = person_name(creator)
    if name is None:
        return creator.strip()
    family, given = name
    return f"{family}, {given}" if given else family
