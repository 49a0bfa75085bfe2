"""The address guard: which targets a run may connect to (no network I/O here).

Loopback, private, link-local, multicast, reserved and unspecified addresses are refused
unless `allow_private` or one of `allow_networks` (CIDRs) allows them. The URL text is checked
before a request and every resolved address again at connect time (see net/client.py),
so redirects and DNS answers into private space are refused too.

An IPv6 address that carries an IPv4 address (mapped, translated, compatible, NAT64, 6to4,
Teredo) is judged by the IPv4 address it leads to. Names that RFC 6761 reserves for the
local host (`localhost`, `*.localhost`) and the usual /etc/hosts aliases of ::1 are refused
by name, before any DNS query.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AddressPolicy:
    """What the guard allows: everything (`allow_private`), or public plus `networks`."""

    allow_private: bool = False
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_settings(cls, allow_private: bool, allow_networks: tuple[str, ...]) -> AddressPolicy:
        nets = tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks)
        return cls(allow_private, nets)

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` is refused, or None when it may be contacted."""
        if self.allow_private:
            return None
        if self._allowed(address):
            return None
        embedded = embedded_ipv4(address) if address.version == 6 else None
        if embedded is not None:
            address = embedded
        if address.is_global and not address.is_multicast:
            return None
        if self._allowed(address):
            return None
        return f"refused: {_kind(address)} address {address}"

    def _allowed(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)

    def name_refusal(self, host: str) -> str | None:
        """Why the host name is refused before any DNS query (a local-host name), or None."""
        if self.allow_private:
            return None
        name = normalize_host(host)
        if is_local_name(name) and not any(
            n.version == 4 and ipaddress.IPv4Address("127.0.0.1") in n for n in self.networks
        ):
            return f"refused: {name} names the local host"
        return None


# IPv6 prefixes whose addresses carry an IPv4 address, and where it sits (RFC 4291, 2765,
# 6052, 8215, 3056, 4380). Teredo (2001::/32) keeps the client's address in the last 32 bits
# with every bit inverted; 6to4 keeps the site's address in bits 16..47.
_IPV6_EMBEDS: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (ipaddress.IPv6Network("::ffff:0:0/96"), "last"),  # IPv4-mapped
    (ipaddress.IPv6Network("::ffff:0:0:0/96"), "last"),  # IPv4-translated (SIIT)
    (ipaddress.IPv6Network("64:ff9b::/96"), "last"),  # NAT64 well-known prefix
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "last"),  # NAT64 local-use prefix
    (ipaddress.IPv6Network("2002::/16"), "6to4"),
    (ipaddress.IPv6Network("2001::/32"), "teredo"),
    (ipaddress.IPv6Network("::/96"), "last"),  # IPv4-compatible (deprecated)
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (by its prefix), or None."""
    value = int(address)
    for network, where in _IPV6_EMBEDS:
        if address not in network:
            continue
        if where == "6to4":
            return ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF)
        if where == "teredo":
            return ipaddress.IPv4Address(~value & 0xFFFFFFFF)
        if value <= 1:
            return None  # ::, ::1 (in ::/96): unspecified and loopback, judged as IPv6
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


# RFC 6761 §6.3: localhost and *.localhost; the others are /etc/hosts aliases of ::1.
_LOCAL_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback", "localhost6"})


def normalize_host(host: str) -> str:
    """A host name as DNS compares it: lower case, without the trailing dot(s) of a
    fully qualified name."""
    return host.strip().lower().rstrip(".")


def is_local_name(host: str) -> bool:
    """Whether the (normalised) name is one the local host answers to by convention."""
    name = normalize_host(host)
    return name in _LOCAL_NAMES or name.endswith(".localhost")


def _kind(address: IPAddress) -> str:
    for name in ("loopback", "link_local", "multicast", "unspecified", "private"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


@lru_cache(maxsize=4096)
def literal_address(host: str) -> IPAddress | None:
    """The IP address a URL host spells, including odd IPv4 forms (2130706433, 0x7f.1,
    127.1) that resolvers accept; None for a host name."""
    host = normalize_host(host.strip("[]"))
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if "%" in host:  # IPv6 with a zone id, e.g. fe80::1%eth0
        try:
            return ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return None
    if host and all(part.isalnum() for part in host.split(".")) and host[0].isdecimal():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def url_refusal(url: str, policy: AddressPolicy) -> str | None:
    """Why the URL's host is refused before any request (an address literal the policy
    refuses, or a local-host name), or None (other names are checked at connect)."""
    from citecheck.urls import ascii_host

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None  # not a URL a request can be made to: the fetch says so
    host = ascii_host(host) or host  # fullwidth digits spell an address too (UTS-46)
    address = literal_address(host)
    if address is None:
        return policy.name_refusal(host)
    return policy.refusal(address)
