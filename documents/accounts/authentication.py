"""Personal API tokens (``Authorization: Token <key>``), and the session for the archive's own pages.

Tokens are issued and revoked by ``documents.accounts.tokens``, which stores only a
digest of each key; revoked tokens and inactive users never authenticate. Other sites'
browser clients authenticate with a token only: the session never counts for a
request from another origin (see docs/api.md, "Cross-origin clients").
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from documents.accounts.models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as “Authorization: Token <key>”.")
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("The token contains invalid characters.") from error
        token = (
            ApiToken.objects.active().select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is not valid: it may have been revoked. Create a new one on your profile page."
            )
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class SameOriginSessionAuthentication(authentication.SessionAuthentication):
    """The session, only for requests from this site's own pages (or ``CSRF_TRUSTED_ORIGINS``).

    Browsers send ``Origin`` on cross-origin requests and may attach our cookie to
    them; such a request is treated as anonymous, so a cookie can never carry another
    site's script into a reader's account, whatever the CORS settings say.
    """

    def authenticate(self, request):
        origin = request.headers.get("Origin")
        if origin is not None and not _is_own_origin(request, origin):
            return None
        return super().authenticate(request)


def _is_own_origin(request, origin: str) -> bool:
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
