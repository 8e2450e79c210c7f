"""Answers about the reader worked out once per request: the one place they are kept.

Some questions about ``request.user`` are asked many times while one page is made (is this a
curator? how many unread notifications? which groups, with which role?): by the page, its header,
its entity tag and its cache key. Each costs a query, so the first answer is remembered and the
rest reuse it.

Why on the user object: Django makes a new ``request.user`` for every request and drops it with
the request, so an answer kept on it lives exactly as long as the request, is never shared with
another reader, and needs no expiry or invalidation across requests. A user object loaded outside
a request (a command, a test) keeps its answers for as long as that object lives.

When to forget: the answers are not refreshed, not even by ``refresh_from_db``. Code that changes
what an answer depends on and asks again with the same user object must call ``forget`` first: a
role or group change made in the same request (joining a group, being made a curator), and tests
that change a user and reuse the object. A fresh object (a new request, or
``User.objects.get(pk=...)``) starts with nothing remembered.

Pure: no models, no queries of its own; ``compute`` does the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# The attribute on the user object that holds every remembered answer, by name.
_ANSWERS = "_remembered_for_this_request"


def remembered(user, name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``user`` under ``name``, computed on the first call only.

    Every answer is remembered, ``None``, ``False`` and ``0`` included. ``name`` says what is
    remembered (``"is_curator"``), so two questions never share an answer.
    """
    answers = getattr(user, _ANSWERS, None)
    if answers is None:
        # setattr, not vars(): request.user is a SimpleLazyObject, which passes it to the user.
        answers = {}
        setattr(user, _ANSWERS, answers)
    if name not in answers:
        answers[name] = compute()
    return answers[name]


def forget(user, *names: str) -> None:
    """Drop ``user``'s remembered answers under ``names``, or all of them when none is named."""
    answers = getattr(user, _ANSWERS, None)
    if not answers:
        return
    if not names:
        answers.clear()
    for name in names:
        answers.pop(name, None)
