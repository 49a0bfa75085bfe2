"""Forward proxies named by the environment: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY.

Lower- and upper-case names are read as curl and pip read them (HTTP_PROXY is ignored under
CGI, the "httpoxy" hole, as urllib does). `http://` and `https://` proxies are spoken to by
aiohttp (HTTPS targets through a CONNECT tunnel), SOCKS 4/5 proxies by aiohttp-socks.
Only the reading of the environment is ours.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from citecheck.errors import InputError

SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Proxy:
    """Where to send a request instead of its origin (credentials kept apart)."""

    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        """The proxy's URL without credentials."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def socks(self) -> bool:
        return self.scheme.startswith("socks")


class Proxies:
    """The proxy (or None) for each URL, as the environment says."""

    def __init__(self, by_scheme: Mapping[str, Proxy], no_proxy: str | None) -> None:
        self._by_scheme = dict(by_scheme)
        self._no_proxy = no_proxy

    def __bool__(self) -> bool:
        return bool(self._by_scheme)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(p.host for p in self._by_scheme.values())

    def for_origin(self, scheme: str, host: str) -> Proxy | None:
        proxy = self._by_scheme.get(scheme)
        if proxy is None or self._bypassed(host):
            return None
        return proxy

    def _bypassed(self, host: str) -> bool:
        if not self._no_proxy:
            return False
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        return bool(bypass(host, {"no": self._no_proxy}))


def from_environment() -> Proxies:
    """The proxies this process's environment names; InputError for an unusable one."""
    found = urllib.request.getproxies_environment()
    everything = found.get("all")
    by_scheme = {}
    for scheme in ("http", "https"):
        value = found.get(scheme) or everything
        if value:
            by_scheme[scheme] = parse_proxy(value, f"{scheme.upper()}_PROXY")
    return Proxies(by_scheme, found.get("no"))


def parse_proxy(value: str, name: str) -> Proxy:
    """`scheme://[user:password@]host[:port]` (scheme optional: http) as a Proxy."""
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise InputError(
            f"{name}={value!r}: citecheck talks to {', '.join(s + '://' for s in SCHEMES)} "
            "proxies only; fix the variable or unset it"
        )
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 1080)
    except ValueError:
        raise InputError(f"{name}={value!r}: the port is not a number; fix the variable") from None
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password or "") if user is not None else None
    return Proxy(scheme, parts.hostname, port, user, password)
