"""The address guard: which targets a run may connect to (no network I/O here).

Loopback, private, link-local, multicast, reserved and unspecified addresses are refused
unless `allow_private` or one of `allow_networks` (CIDRs) allows them. The URL text is checked
before a request and every resolved address again at connect time (see net/client.py),
so redirects and DNS answers into private space are refused too.
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
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if address.is_global and not address.is_multicast:
            return None
        if any(address.version == n.version and address in n for n in self.networks):
            return None
        return f"refused: {_kind(address)} address {address}"


def _kind(address: IPAddress) -> str:
    for name in ("loopback", "link_local", "multicast", "unspecified", "private"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


@lru_cache(maxsize=4096)
def literal_address(host: str) -> IPAddress | None:
    """The IP address a URL host spells, including odd IPv4 forms (2130706433, 0x7f.1,
    127.1) that resolvers accept; None for a host name."""
    host = host.strip("[]")
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
    """Why the URL's literal host is refused, or None (host names are checked at connect)."""
    address = literal_address(urlsplit(url).hostname or "")
    return None if address is None else policy.refusal(address)
