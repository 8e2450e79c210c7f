"""The password-reset e-mail, sent from the task queue and never in the request
(docs/reading-and-annotating.md, "Accounts").

A reset request answers at once, whatever the mail server is doing: the form queues one delivery per
account it found, naming the account and the address, and the worker makes the link then. The queue
therefore never holds a working link, and a link is made only for an account that is still active and
still has that address. A delivery that fails is logged and kept by the queue (the admin's Task
results); the reader may ask again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

SUBJECT_TEMPLATE = "registration/reset_password_subject.txt"
BODY_TEMPLATE = "registration/reset_password_email.txt"


@task()
def deliver_password_reset(*, user_id: int, email: str, domain: str, use_https: bool) -> str:
    """Write and send the reset link for ``user_id`` to ``email``; what became of it, in a word."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or (user.email or "").casefold() != email.casefold():
        return "withheld"
    context = {
        "email": email,
        "domain": domain,
        "site_name": settings.ARCHIVE_NAME,
        "archive_name": settings.ARCHIVE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
    send_mail(subject, render_to_string(BODY_TEMPLATE, context), None, [email])
    return "sent"
