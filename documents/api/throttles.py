"""Rate limits on API writes (POST, PUT, PATCH, DELETE), per user and per address.

Reads are never throttled. Rates come from settings (API_WRITE_RATE_USER,
API_WRITE_RATE_ADDRESS); an exceeded limit answers 429 with Retry-After. Counts
live in the default cache, shared by every process, and the address is the one
``documents.client_address`` decides (DRF's own ``get_ident`` believes any
``X-Forwarded-For`` when ``NUM_PROXIES`` is unset).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from documents import client_address

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class WriteThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        """Read at request time, so the rate follows settings (and tests can change it)."""
        return getattr(settings, self.setting)

    def get_ident(self, request):
        return client_address.of_request(request)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class UserWriteThrottle(WriteThrottle):
    scope = "write-user"
    setting = "API_WRITE_RATE_USER"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressWriteThrottle(WriteThrottle):
    scope = "write-address"
    setting = "API_WRITE_RATE_ADDRESS"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
