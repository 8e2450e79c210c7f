"""Rate limits on API writes (POST, PUT, PATCH, DELETE), per user and per address.

Reads are never throttled. Rates come from settings (API_WRITE_RATE_USER,
API_WRITE_RATE_ADDRESS); an exceeded limit answers 429 with Retry-After. The
counters are ``documents.accounts.rate_limits``' (in the default cache, shared by every
process), the same ones an import charges one write per note it stores, and the
address is the one ``documents.accounts.client_address`` decides (DRF's own ``get_ident``
believes any ``X-Forwarded-For`` when ``NUM_PROXIES`` is unset).
"""

from rest_framework.throttling import BaseThrottle

from documents.accounts import client_address, rate_limits

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class WriteThrottle(BaseThrottle):
    limit: rate_limits.Limit

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        self.retry_after = None
        if request.method in SAFE_METHODS:
            return True
        ident = self.ident(request)
        if ident is None:
            return True
        self.retry_after = rate_limits.hit(self.limit, ident)
        return self.retry_after is None

    def wait(self):
        return self.retry_after


class UserWriteThrottle(WriteThrottle):
    limit = rate_limits.WRITES_USER

    def ident(self, request):
        if not request.user or not request.user.is_authenticated:
            return None
        return str(request.user.pk)


class AddressWriteThrottle(WriteThrottle):
    limit = rate_limits.WRITES_ADDRESS

    def ident(self, request):
        return client_address.of_request(request)
