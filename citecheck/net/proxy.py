"""Forward proxies named by the environment: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY.

Lower- and upper-case names are read as curl and pip read them. Only `http://` proxies are
supported (plain HTTP to the proxy; HTTPS targets go through a CONNECT tunnel).
"""

from __future__ import annotations

import base64
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from citecheck.errors import InputError


@dataclass(frozen=True)
class Proxy:
    """Where to send a request instead of its origin."""

    host: str
    port: int
    authorization: str | None = None  # the Proxy-Authorization header value, if any

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"


class Proxies:
    """The proxy (or None) for each origin, as the environment says."""

    def __init__(self, by_scheme: Mapping[str, Proxy], no_proxy: str | None):
        self._by_scheme = dict(by_scheme)
        self._no_proxy = no_proxy

    def __bool__(self) -> bool:
        return bool(self._by_scheme)

    def for_origin(self, scheme: str, host: str) -> Proxy | None:
        proxy = self._by_scheme.get(scheme)
        if proxy is None or self._bypassed(host):
            return None
        return proxy

    def _bypassed(self, host: str) -> bool:
        if not self._no_proxy:
            return False
        return bool(urllib.request.proxy_bypass_environment(host, {"no": self._no_proxy}))


def from_environment() -> Proxies:
    """The proxies this process's environment names; InputError for an unusable one."""
    # urllib's reading: both cases, and HTTP_PROXY ignored under CGI (the "httpoxy" hole)
    found = urllib.request.getproxies_environment()
    everything = found.get("all")
    by_scheme = {}
    for scheme in ("http", "https"):
        value = found.get(scheme) or everything
        if value:
            by_scheme[scheme] = parse_proxy(value, f"{scheme.upper()}_PROXY")
    return Proxies(by_scheme, found.get("no"))


def parse_proxy(value: str, name: str) -> Proxy:
    """`http://[user:password@]host[:port]` (scheme optional) as a Proxy."""
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() != "http" or not parts.hostname:
        raise InputError(
            f"{name}={value!r}: citecheck talks to http:// proxies only "
            "(HTTPS targets are tunnelled with CONNECT); set an http:// proxy "
            "or unset the variable"
        )
    try:
        port = parts.port or 80
    except ValueError:
        raise InputError(f"{name}={value!r}: the port is not a number; fix the variable") from None
    authorization = None
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        authorization = f"Basic {token}"
    return Proxy(parts.hostname, port, authorization)
