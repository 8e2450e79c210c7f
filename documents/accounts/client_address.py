"""Who the client is: the one rule for every per-address limit.

The API's address throttle, the log-in lockout (django-axes) and the sign-up and
password-reset limits all ask this module, so a request counts against the same
address everywhere. ``X-Forwarded-For`` is believed only when the peer that sent
the request is a trusted proxy (the ``TRUSTED_PROXIES`` setting, addresses or
networks; see docs/deployment.md, "Configuration"). Anyone else can write any
header they like, and a limit keyed on a forged address limits nothing.

A proxy appends the address it saw to the header, so the header is read from the
right: each trusted hop vouches for the entry to its left, and the first entry
that is not a trusted proxy is the client. Everything left of it was written by
the client and is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNKNOWN = "0.0.0.0"  # noqa: S104 (a placeholder, not an address to bind)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def parse_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXIES`` as networks; a value that is neither an address nor a network is refused."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {value!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)."
            ) from error
    return tuple(networks)


def _address(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(meta: Mapping[str, str], *, trusted_proxies: Iterable[str]) -> str:
    """The client's address from a request's META, as a normalised string.

    A missing or unreadable peer address (a server on a Unix socket sends none)
    is the unspecified address ``0.0.0.0``: such requests share one count rather
    than escape the limits, and it is still an address the database can store
    (django-axes keeps it in an address column).
    """
    networks = parse_networks(tuple(str(value) for value in trusted_proxies))
    peer = _address(meta.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN
    client = peer
    if _trusted(peer, networks):
        for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = _address(entry)
            if hop is None:
                break
            client = hop
            if not _trusted(hop, networks):
                break
    return str(client)


def of_request(request) -> str:
    """The client address of a Django or DRF request under the ``TRUSTED_PROXIES`` setting."""
    return client_address(request.META, trusted_proxies=settings.TRUSTED_PROXIES)
