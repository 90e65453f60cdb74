"""SSRF guard: a webhook may only reach public addresses over http(s).

A subscriber chooses the URL, so without this guard anyone with an editor key could make the
server call its own admin ports, the database or the cloud metadata service. Every address the
host resolves to is checked (a name with one private address among public ones is refused),
at creation and again when connecting (DNS can change: see `sender.GuardedBackend`, which
connects only to the addresses vetted here).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata and host endpoints. Most are link-local or private anyway; they are named here
# so the error says what they are, and because some (Azure's 168.63.129.16) look public.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"): "cloud metadata",          # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("169.254.170.2"): "cloud metadata",            # AWS ECS task metadata
    ipaddress.ip_address("fd00:ec2::254"): "cloud metadata",            # AWS IPv6 metadata
    ipaddress.ip_address("100.100.100.200"): "cloud metadata",          # Alibaba Cloud
    ipaddress.ip_address("192.0.0.192"): "cloud metadata",              # Oracle Cloud
    ipaddress.ip_address("168.63.129.16"): "cloud host endpoint",       # Azure wireserver
}


# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it through a
# translator (NAT64: RFC 6052 well-known prefix, RFC 8215 local-use prefix).
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated (RFC 3879) but still routed inside sites


class AddressRefused(Exception):
    """The URL may not be called; the message names the address and why."""


def embedded_ipv4(address: IPAddress) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address leads to, by transition mechanism: a 6to4 or Teredo
    address, a NAT64 one or an IPv4-compatible/mapped one reaches the IPv4 host it embeds, so
    that host must be public too."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if address.ipv4_mapped is not None:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    if address.sixtofour is not None:  # 2002::/16: bits 16-48
        found.append(("6to4", address.sixtofour))
    if address.teredo is not None:  # 2001::/32: server, and the client XOR 0xffffffff
        server, client = address.teredo
        found += [("Teredo", client), ("Teredo server", server)]
    last32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in prefix for prefix in NAT64_PREFIXES):
        found.append(("NAT64", last32))
    if int(address) >> 32 == 0 and int(address) > 1:  # ::a.b.c.d, IPv4-compatible (RFC 4291)
        found.append(("IPv4-compatible", last32))
    return found


def address_problem(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)
    for how, inner in embedded_ipv4(address):
        problem = address_problem(inner)
        if problem:
            article = "an" if how[0] in "AEIOU" else "a"
            return f"{article} {how} address embedding {inner}, which is {problem}"
    if isinstance(address, ipaddress.IPv6Address) and address in SITE_LOCAL:
        return "a site-local address"
    if any(address in prefix for prefix in NAT64_PREFIXES):
        # Python counts ::/8 (which holds 64:ff9b::/96) as reserved: the embedded host decides.
        return None if address.is_global else "not a public address"
    if address in METADATA_ADDRESSES:
        return f"a {METADATA_ADDRESSES[address]} address"
    for attribute, label in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                             ("is_multicast", "multicast"), ("is_unspecified", "unspecified"),
                             ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(address, attribute):
            return f"a {label} address"
    if not address.is_global:  # shared address space (100.64/10), documentation ranges, …
        return "not a public address"
    return None


def parse_allowed(entries: Iterable[str]) -> tuple[frozenset[str], tuple[Network, ...]]:
    """Split the operator's allow-list into host names and address ranges."""
    hosts: set[str] = set()
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return frozenset(hosts), tuple(networks)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (IP literals, decimal or hex forms included)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"the host {host!r} does not resolve ({exc})") from exc
    seen: dict[IPAddress, None] = {}
    for info in infos:
        # Drop an IPv6 zone ("fe80::1%eth0") before parsing; the address itself is what counts.
        seen[ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])] = None
    return list(seen)


def _as_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def vet_host(host: str, port: int, allowed: Iterable[str]) -> list[IPAddress]:
    """The addresses to connect to for `host`; AddressRefused if any of them is not allowed."""
    allowed_hosts, allowed_networks = parse_allowed(allowed)
    addresses = resolve(host, port)
    if host.lower().rstrip(".") in allowed_hosts:
        return addresses
    literal = _as_address(host)
    for address in addresses:
        plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) \
            and address.ipv4_mapped is not None else address
        problem = address_problem(plain)
        # The operator's ranges name hosts: the address itself, or the IPv4 host it embeds.
        candidates = [plain, *(inner for _, inner in embedded_ipv4(plain))]
        if problem and not any(c in net for c in candidates for net in allowed_networks
                               if net.version == c.version):
            shown = host if literal == address else f"{host} resolves to {plain}, which"
            raise AddressRefused(f"{shown} is {problem}; webhooks may only reach public "
                                 "addresses (an operator can allow a host or range with "
                                 "RECWATCH_WEBHOOK_ALLOWED_HOSTS)")
    return addresses


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; AddressRefused for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"{url!r} is not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}://" if scheme else "a URL without a scheme"
        raise AddressRefused(f"only http and https URLs can receive webhooks, not {shown}")
    if not parts.hostname:
        raise AddressRefused(f"{url!r} has no host")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def vet_url(url: str, allowed: Iterable[str]) -> list[IPAddress]:
    """Check a subscription URL: http(s) and public (or allowed) addresses only."""
    _, host, port = split_url(url)
    return vet_host(host, port, allowed)
