"""How often one client address may send a form that costs us or someone else (sign-up, password
reset), and how many writes and stored notes one account and one address may make.

Log-in failures are django-axes' job. API writes are counted here too, through DRF
throttles (``documents.accounts.throttles``) on the same counters that imports charge one
write per note they store (``storing_notes``). The same counter bounds how often one
author's mentions may notify one reader (``MENTION``). Each use is counted in a fixed window in the
default cache, which every process shares (docs/deployment.md, "Limits on abuse"): the
first use starts a window of the rate's period, and uses past the count are
refused until it ends. On Redis the count is one atomic ``INCR``; on the
database cache two processes may rarely both read the same count, which can let
one extra request through, never block a legitimate one early.

django-ratelimit does this too, but refuses the database cache that lets the
archive run without Redis, so the dozen lines live here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class Limit:
    """A rate applied to one kind of request; ``message`` is what the person reads when refused."""

    scope: str
    setting: str
    what: str

    def rate(self) -> Rate:
        return parse_rate(getattr(settings, self.setting))

    def message(self, retry_after: int) -> str:
        minutes = max(1, math.ceil(retry_after / 60))
        return (
            f"Too many {self.what} from your address. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}."
        )


SIGNUP = Limit("signup", "SIGNUP_RATE_ADDRESS", "sign-up attempts")
WRITES_USER = Limit("write-user", "API_WRITE_RATE_USER", "changes")
WRITES_ADDRESS = Limit("write-address", "API_WRITE_RATE_ADDRESS", "changes")
NOTES_USER = Limit("notes-user", "STORED_NOTES_RATE_USER", "notes")
PASSWORD_RESET = Limit("password-reset", "PASSWORD_RESET_RATE_ADDRESS", "password-reset requests")
# Counted per (author, reader) rather than per address; over it a mention notifies no one, silently.
MENTION = Limit("mention", "MENTION_RATE_READER", "mentions of one reader")


def parse_rate(text: str) -> Rate:
    """``"5/hour"`` (or ``5/h``, as DRF's rates) as a count per number of seconds."""
    count, _, period = text.partition("/")
    seconds = next((value for name, value in PERIODS.items() if name.startswith(period.strip()[:1])), None)
    if not count.strip().isdigit() or not period.strip() or seconds is None:
        raise ValueError(f"{text!r} is not a rate such as 5/hour (count/second, minute, hour or day).")
    return Rate(int(count), seconds)


def hit(limit: Limit, ident: str) -> int | None:
    """Count one use by ``ident``; the seconds until it may try again when over the limit, else None."""
    used, ends = _add(limit, ident, 1)
    if used <= limit.rate().count:
        return None
    return max(1, math.ceil(ends - time.time()))


def _add(limit: Limit, ident: str, count: int) -> tuple[int, float]:
    """Add ``count`` uses to the window ``ident`` is in, starting one if none is; (uses, its end)."""
    rate = limit.rate()
    key = _key(limit, ident)
    window_end = time.time() + rate.seconds
    cache.add(f"{key}:ends", window_end, timeout=rate.seconds)
    cache.add(key, 0, timeout=rate.seconds)
    try:
        used = cache.incr(key, count)
    except ValueError:  # the window ended between the two calls
        cache.add(key, count, timeout=rate.seconds)
        used = count
    ends = cache.get(f"{key}:ends") or window_end
    _keep_window(key, ends)
    return used, ends


def _keep_window(key: str, ends: float) -> None:
    """Django's database cache gives a counter its default expiry (five minutes) on each ``incr``:
    the count is told to last until its window ends, or an hour's or a day's limit would forget it."""
    cache.touch(key, timeout=max(1, math.ceil(ends - time.time())))


def _key(limit: Limit, ident: str) -> str:
    return f"rate-limit:{limit.scope}:{ident}"


def take(limit: Limit, ident: str, count: int) -> tuple[int, int] | None:
    """Count ``count`` uses by ``ident`` at once, all or none: None when they fit, else (the seconds
    until the window ends, the uses still left in it), with nothing counted."""
    if count <= 0:
        return None
    used, ends = _add(limit, ident, count)
    if used <= limit.rate().count:
        return None
    give_back(limit, ident, count)
    return max(1, math.ceil(ends - time.time())), max(0, limit.rate().count - (used - count))


def give_back(limit: Limit, ident: str, count: int) -> None:
    """Uncount uses that were taken but not made; nothing when their window has ended."""
    key = _key(limit, ident)
    if count > 0:
        with suppress(ValueError):
            cache.decr(key, count)
            if ends := cache.get(f"{key}:ends"):
                _keep_window(key, ends)


class OverLimit(Exception):
    """Storing the notes asked for would pass a limit; nothing was counted or stored."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _wait(seconds: int) -> str:
    if seconds >= 5400:
        hours = math.ceil(seconds / 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@dataclass
class Reservation:
    """Notes counted before they are stored; set ``stored`` to how many were, and the rest is given back."""

    count: int
    stored: int = 0
    taken: list[tuple[Limit, str, int]] = field(default_factory=list)


@contextmanager
def storing_notes(*, user, address: str, count: int, writes_counted: int = 0) -> Iterator[Reservation]:
    """Count ``count`` notes ``user`` is about to store against the write limits (per account and
    per address: one write per note) and the daily bound on notes an account stores, before any is
    stored (docs/deployment.md, "Limits on abuse").

    Raises OverLimit, counting nothing, when any would pass its limit. ``writes_counted`` are the
    writes already counted for this request (the API's throttle counts the request itself). On
    leaving, what was counted but not stored (``Reservation.stored``) is given back, so items
    refused or already in the archive cost nothing beyond the request.
    """
    reservation = Reservation(count)
    writes = max(0, count - writes_counted)
    wanted = [
        (WRITES_USER, str(user.pk), writes),
        (WRITES_ADDRESS, address, writes),
        (NOTES_USER, str(user.pk), count),
    ]
    for limit, ident, amount in wanted:
        refused = take(limit, ident, amount)
        if refused is not None:
            for taken_limit, taken_ident, taken_amount in reservation.taken:
                give_back(taken_limit, taken_ident, taken_amount)
            retry_after, left = refused
            if limit is not NOTES_USER:
                left += count - amount  # this request's own write, counted already
            raise OverLimit(_over(limit, count, left, retry_after), retry_after=retry_after)
        reservation.taken.append((limit, ident, amount))
    try:
        yield reservation
    finally:
        unused = count - min(reservation.stored, count)
        for limit, ident, amount in reservation.taken:
            give_back(limit, ident, min(unused, amount))


def _over(limit: Limit, count: int, left: int, retry_after: int) -> str:
    rate = limit.rate()
    period = next(name for name, seconds in PERIODS.items() if seconds == rate.seconds)
    notes = f"{count:,} note{'s' if count != 1 else ''}"
    if limit is NOTES_USER:
        return (
            f"An account may store at most {rate.count:,} notes a {period}; {left:,} remain now, and "
            f"this would store {notes}. Try again in {_wait(retry_after)}, with fewer at a time."
        )
    who = "your address" if limit is WRITES_ADDRESS else "you"
    return (
        f"Each note stored is one change, and {who} may make {rate.count:,} changes a {period}; "
        f"{left:,} remain now, and this would store {notes}. Send fewer at a time, "
        f"or try again in {_wait(retry_after)}."
    )
