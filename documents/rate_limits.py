"""How often one client address may send a form that costs us or someone else: sign-up, password reset.

Log-in failures are django-axes' job and API writes DRF's throttles'; these are
the forms those do not cover. The same counter bounds how often one author's
mentions may notify one reader (``MENTION``). Each use is counted in a fixed window in the
default cache, which every process shares (README, "Limits on abuse"): the
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
from dataclasses import dataclass

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
    rate = limit.rate()
    key = f"rate-limit:{limit.scope}:{ident}"
    window_end = time.time() + rate.seconds
    cache.add(f"{key}:ends", window_end, timeout=rate.seconds)
    cache.add(key, 0, timeout=rate.seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, timeout=rate.seconds)
        used = 1
    if used <= rate.count:
        return None
    ends = cache.get(f"{key}:ends") or window_end
    return max(1, math.ceil(ends - time.time()))
