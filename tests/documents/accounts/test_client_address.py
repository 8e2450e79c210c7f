"""Who the client is: the peer's address, or what a trusted proxy says the peer is."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from documents.accounts.client_address import UNKNOWN, client_address

PROXY = "10.0.0.5"


def meta(peer, forwarded=None):
    data = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        data["HTTP_X_FORWARDED_FOR"] = forwarded
    return data


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(meta("203.0.113.7", "192.0.2.1"), trusted_proxies=()) == "203.0.113.7"


def test_a_header_from_an_untrusted_peer_is_ignored():
    assert client_address(meta("203.0.113.7", "192.0.2.1"), trusted_proxies=[PROXY]) == "203.0.113.7"


def test_a_trusted_proxy_names_the_client():
    assert client_address(meta(PROXY, "192.0.2.1"), trusted_proxies=[PROXY]) == "192.0.2.1"


def test_what_the_client_wrote_before_the_proxy_is_ignored():
    """The proxy appends the address it saw: only the entries right of the last untrusted hop count."""
    forged = meta(PROXY, "198.51.100.1, 192.0.2.1")

    assert client_address(forged, trusted_proxies=[PROXY]) == "192.0.2.1"


def test_a_chain_of_trusted_proxies_given_as_a_network():
    chain = meta("10.0.0.5", "192.0.2.1, 10.1.2.3")

    assert client_address(chain, trusted_proxies=["10.0.0.0/8"]) == "192.0.2.1"


def test_a_header_of_only_trusted_proxies_names_the_first():
    assert client_address(meta(PROXY, "10.0.0.9"), trusted_proxies=["10.0.0.0/8"]) == "10.0.0.9"


@pytest.mark.parametrize("header", ["", "not-an-address", "192.0.2.1, junk", " , "])
def test_a_garbled_header_stops_at_the_last_address_that_can_be_trusted(header):
    address = client_address(meta(PROXY, header), trusted_proxies=[PROXY])

    assert address in {PROXY, "192.0.2.1"}
    assert address != "junk"


def test_ipv6_addresses_are_normalised():
    assert client_address(meta("2001:DB8:0:0::1"), trusted_proxies=()) == "2001:db8::1"


@pytest.mark.parametrize("peer", [None, "", "unix:/run/gunicorn.sock"])
def test_a_missing_peer_address_is_the_unspecified_address(peer):
    meta = {} if peer is None else {"REMOTE_ADDR": peer}

    assert client_address(meta, trusted_proxies=()) == UNKNOWN


def test_a_bad_proxy_setting_is_refused_with_its_value():
    with pytest.raises(ImproperlyConfigured, match="not-a-network"):
        client_address(meta(PROXY), trusted_proxies=["not-a-network"])
