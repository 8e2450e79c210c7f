"""The protocol's rules (OAI-PMH 2.0, sections 3 and 4): the verbs and their arguments, datestamps,
identifiers, resumption tokens, and the error each bad request gets. No database here.

- Datestamps are UTC to the second (``YYYY-MM-DDThh:mm:ssZ``); ``from`` and ``until`` may also be
  days, are inclusive, and must have the same granularity.
- An identifier is ``oai:<repository identifier>:<document slug>``; the repository identifier is the
  ``OAI_REPOSITORY_IDENTIFIER`` setting, or the host name of ``SITE_URL``.
- A resumption token holds the request it continues (verb, format, set, dates), where the last page
  ended (the last record's exact datestamp, kind and key) and how many records were sent, signed
  with the site's secret key: the server keeps no state, a token never expires, and a record
  changed during a harvest moves to the end of the list instead of shifting the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

OAI_DC = "oai_dc"

# A request's arguments (section 4): verb -> (required, optional); a resumptionToken goes alone.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
LISTS = ("ListIdentifiers", "ListRecords")

DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"
DAY_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECONDS_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")

SIGNING_SALT = "documents.archive.oai.resumption"

# After these errors the response repeats none of the request's arguments (section 3.6).
ECHO_NOTHING = ("badVerb", "badArgument")

# The forms of a metadata prefix and of a set spec (OAI-PMH.xsd, metadataPrefixType and setSpecType).
PREFIX_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


class OaiError(Exception):
    """A request the protocol refuses: ``code`` is one of section 3.6's error codes."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def bad_argument(message: str) -> OaiError:
    return OaiError("badArgument", message)


@dataclass(frozen=True)
class After:
    """Where a page ended: the last record's datestamp (to the microsecond), its kind (0 a document,
    1 a withdrawn one) and its key. The next page starts after it, in that order."""

    datestamp: datetime
    kind: int
    pk: int


@dataclass(frozen=True)
class ListRequest:
    """ListIdentifiers or ListRecords, as first asked or as a resumption token continues it."""

    verb: str
    metadata_prefix: str = OAI_DC
    set_spec: str | None = None
    since: datetime | None = None
    """Inclusive lower bound."""
    before: datetime | None = None
    """Exclusive upper bound: ``until`` plus its granularity (a second, or a day)."""
    after: After | None = None
    cursor: int = 0
    """How many records the pages before this one sent."""

    def next(self, after: After, sent: int) -> str:
        """The resumption token of the page after one that ended at ``after`` and sent ``sent`` records."""
        state = {
            "v": self.verb,
            "m": self.metadata_prefix,
            "s": self.set_spec,
            "f": _iso(self.since),
            "b": _iso(self.before),
            "a": [after.datestamp.isoformat(), after.kind, after.pk],
            "c": self.cursor + sent,
        }
        return signing.dumps(state, salt=SIGNING_SALT, compress=True)


def read_arguments(query) -> tuple[str, dict[str, str]]:
    """The verb and the other arguments of a request's query (a QueryDict); OaiError when the verb is
    missing or unknown, or an argument is repeated, unknown to the verb, missing, or beside a
    resumption token."""
    verbs = query.getlist("verb")
    if len(verbs) != 1:
        raise OaiError("badVerb", "Give one verb." if verbs else "The verb argument is missing.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError("badVerb", f"“{verb}” is not an OAI-PMH verb. Use one of: {', '.join(VERBS)}.")
    arguments = {}
    for name in query:
        if name == "verb":
            continue
        values = query.getlist(name)
        if len(values) != 1:
            raise bad_argument(f"The argument {name} is given more than once.")
        arguments[name] = values[0]
    required, optional = VERBS[verb]
    unknown = set(arguments) - required - optional
    if unknown:
        raise bad_argument(f"{verb} does not take {', '.join(sorted(unknown))}.")
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise bad_argument("A resumptionToken must be the only argument beside the verb.")
        return verb, arguments
    missing = required - set(arguments)
    if missing:
        raise bad_argument(f"{verb} needs {', '.join(sorted(missing))}.")
    if "metadataPrefix" in arguments and not PREFIX_PATTERN.fullmatch(arguments["metadataPrefix"]):
        raise bad_argument(f"“{arguments['metadataPrefix']}” is not a metadata prefix.")
    if "set" in arguments and not SET_PATTERN.fullmatch(arguments["set"]):
        raise bad_argument(f"“{arguments['set']}” is not a set spec.")
    return verb, arguments


def list_request(verb: str, arguments: dict[str, str]) -> ListRequest:
    """The ListIdentifiers or ListRecords request that these arguments (read by ``read_arguments``) ask
    for, or continue with their resumption token."""
    if "resumptionToken" in arguments:
        return _resume(verb, arguments)
    check_format(arguments["metadataPrefix"])
    since, since_granularity = _read_date(arguments, "from")
    until, until_granularity = _read_date(arguments, "until")
    if since_granularity and until_granularity and since_granularity != until_granularity:
        raise bad_argument("from and until must have the same granularity (both days, or both seconds).")
    before = None
    if until is not None:
        before = until + (timedelta(days=1) if until_granularity == DAY else timedelta(seconds=1))
    if since is not None and before is not None and since >= before:
        raise bad_argument("from is later than until.")
    return ListRequest(
        verb=verb,
        metadata_prefix=arguments["metadataPrefix"],
        set_spec=arguments.get("set"),
        since=since,
        before=before,
    )


def check_format(prefix: str) -> None:
    if prefix != OAI_DC:
        raise OaiError("cannotDisseminateFormat", f"Records are available as {OAI_DC} only, not “{prefix}”.")


def refuse_sets_token(arguments: dict[str, str]) -> None:
    """ListSets sends every set at once, so no resumption token of ListSets exists."""
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "This resumption token was not given by this repository.")


def _resume(verb: str, arguments: dict[str, str]) -> ListRequest:
    token = arguments["resumptionToken"]
    try:
        state = signing.loads(token, salt=SIGNING_SALT)
        if state["v"] != verb:
            raise ValueError(verb)
        last, kind, pk = state["a"]
        return ListRequest(
            verb=verb,
            metadata_prefix=state["m"],
            set_spec=state["s"],
            since=_from_iso(state["f"]),
            before=_from_iso(state["b"]),
            after=After(datetime.fromisoformat(last), int(kind), int(pk)),
            cursor=int(state["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise OaiError(
            "badResumptionToken", "This resumption token is not valid here; start the list again."
        ) from error


def _read_date(arguments: dict[str, str], name: str) -> tuple[datetime | None, str | None]:
    value = arguments.get(name)
    if value is None:
        return None, None
    try:
        if DAY_PATTERN.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC), DAY
        if SECONDS_PATTERN.fullmatch(value):
            return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC), SECONDS
    except ValueError:  # a day or an hour that does not exist
        pass
    raise bad_argument(
        f"{name} must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ), not “{value}”."
    )


def datestamp(moment: datetime) -> str:
    """A record's datestamp: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def repository_identifier() -> str:
    return settings.OAI_REPOSITORY_IDENTIFIER or urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier(slug: str) -> str:
    return f"oai:{repository_identifier()}:{slug}"


def slug_of(oai_identifier: str) -> str:
    """The document slug an identifier names; OaiError idDoesNotExist when it is not one of ours."""
    prefix = f"oai:{repository_identifier()}:"
    if not oai_identifier.startswith(prefix) or not oai_identifier[len(prefix) :]:
        raise OaiError("idDoesNotExist", f"“{oai_identifier}” is not an identifier of this repository.")
    return oai_identifier[len(prefix) :]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _from_iso(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
