"""Issuing and revoking personal API tokens: the writes behind the profile's token form.

Only a SHA-256 digest of each key is stored (``ApiToken.digest_of``), so a
database leak does not leak usable keys; the key is shown to its owner once.
The API's ``TokenAuthentication`` reads what these write.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from documents.accounts.models import ApiToken

KEY_BYTES = 32
MAX_NAME_LENGTH = ApiToken._meta.get_field("name").max_length


@transaction.atomic
def issue_token(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is shown once and never stored."""
    key = secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user, name=name[:MAX_NAME_LENGTH], digest=ApiToken.digest_of(key), prefix=key[:8]
    )
    return token, key


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
