"""SSRF guard and IPv6 transition addresses: the IPv4 host an address embeds must be public too."""

from __future__ import annotations

import pytest

from service.webhooks.ssrf import AddressRefused, vet_url

REFUSED = [
    ("http://[2002:7f00:1::]/", "6to4 address embedding 127.0.0.1"),
    ("http://[2002:a9fe:a9fe::]/", "6to4 address embedding 169.254.169.254"),
    ("http://[2002:c0a8:101::1]/", "6to4 address embedding 192.168.1.1"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[fec0:1:2::3]:8080/", "site-local"),
    # Teredo: server 65.54.227.120, client 127.0.0.1 (stored XOR 0xffffffff).
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "Teredo address embedding 127.0.0.1"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 address embedding 127.0.0.1"),
    ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 address embedding 169.254.169.254"),
    ("http://[64:ff9b:1::a00:1]/", "NAT64 address embedding 10.0.0.1"),
    ("http://[::127.0.0.1]/", "IPv4-compatible address embedding 127.0.0.1"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
]


@pytest.mark.parametrize(("url", "says"), REFUSED)
def test_embedded_non_public_ipv4_is_refused(url, says):
    with pytest.raises(AddressRefused) as caught:
        vet_url(url, [])
    assert says in str(caught.value)


@pytest.mark.parametrize("url", ["http://[2002:808:808::1]/", "http://[64:ff9b::808:808]/",
                                 "http://[2606:4700:4700::1111]/", "http://8.8.8.8/"])
def test_public_addresses_still_pass(url):
    assert vet_url(url, [])


def test_the_operator_allow_list_still_opens_a_range():
    assert vet_url("http://[fec0::1]/", ["fec0::/10"])
    assert vet_url("http://[2002:7f00:1::]/", ["127.0.0.0/8"])  # the host it embeds is allowed
    assert vet_url("http://[64:ff9b::a00:1]/", ["10.0.0.0/8"])
    with pytest.raises(AddressRefused):
        vet_url("http://[2002:7f00:1::]/", ["10.0.0.0/8"])
