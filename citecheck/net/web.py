"""The guarded HTTP client of a run: aiohttp sessions behind the address guard.

`GuardedTransport` is what `net.client.make_transport` builds. It owns one aiohttp session
for direct connections (its resolver is the `GuardedResolver`, so every address connected
to, on every redirect hop, is checked), one for HTTP(S) proxies and one per SOCKS proxy (the
proxies' own addresses are the user's choice and not guarded; the target is checked here
before the proxy is asked). IP literals are refused before any request.

The link checker uses `open`, which gives the aiohttp response itself (about a third of the
CPU per request of going through httpx); `net.httpx_adapter.HttpxTransport` serves
`httpx.AsyncClient`s over the same sessions (the archives and identifier services, whose code
is written against httpx). Sessions belong to the event loop that made
them; a transport used again under another loop (each `asyncio.run`) makes new ones.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from yarl import URL

from citecheck.net.errors import (
    AddressRefused,
    LookupFailed,
    NameNotFound,
    ProxyRefused,
    ProxyUnreachable,
)
from citecheck.net.guard import AddressPolicy, url_refusal
from citecheck.net.proxy import Proxies, Proxy
from citecheck.net.resolve import GuardedResolver, system_resolver

MAX_CONNECTIONS = 128  # connections in use at once, all hosts together
KEEPALIVE = 5.0  # seconds an idle keep-alive connection is kept
MAX_FIELD_SIZE = 64 * 1024  # big cookie headers exist (aiohttp's default is 8 KB)


class GuardedTransport:
    """Guarded, pooled HTTP/1.1 over aiohttp; at most `per_host` connections to one origin
    and `limit` in all (further requests wait for one)."""

    def __init__(
        self,
        policy: AddressPolicy,
        ssl_context: ssl.SSLContext,
        *,
        per_host: int,
        connect_timeout: float,
        limit: int = MAX_CONNECTIONS,
        keepalive: float = KEEPALIVE,
        resolver: AbstractResolver | None = None,
        proxies: Proxies | None = None,
        trusted: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.policy = policy
        self._ssl = ssl_context
        self._per_host = per_host
        self._limit = limit
        self._keepalive = keepalive
        self._connect_timeout = connect_timeout
        self._inner_resolver = resolver
        self._proxies = proxies or Proxies({}, None)
        self.trusted = frozenset(h.lower().rstrip(".") for h in trusted)
        self._headers = dict(headers or {})
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._resolver: GuardedResolver | None = None

    # -- the aiohttp API (link checker) ---------------------------------------------------

    async def open(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        *,
        method: str = "GET",
        data: bytes | None = None,
    ) -> aiohttp.ClientResponse:
        """Send one request (redirects not followed) and return once the headers are in;
        the caller reads the body and must `release()` (or `close()`) the response.
        Raises our net.errors for the guard, DNS and proxies, aiohttp's for the rest."""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if host not in self.trusted:
            refusal = url_refusal(url, self.policy)
            if refusal:
                raise AddressRefused(refusal)
        target = _target(url)
        proxy = self._proxies.for_origin(parts.scheme, host) if self._proxies else None
        if proxy is None:
            session, extra = self._session("direct"), dict[str, Any]()
        else:
            await self._check_behind_proxy(host, target.port or 0)
            session, extra = self._proxy_route(proxy)
            if parts.scheme == "http" and "proxy_headers" in extra:
                # plain HTTP goes to the proxy as the request itself (no CONNECT)
                headers = {**(headers or {}), **extra.pop("proxy_headers")}
        try:
            return await session.request(
                method, target, headers=headers, data=data, allow_redirects=False, **extra
            )
        except aiohttp.ClientHttpProxyError as exc:
            problem: BaseException = ProxyRefused(
                f"proxy {proxy.label if proxy else '?'} refused CONNECT {host}:{target.port}: "
                f"{exc.status} {exc.message}"
            )
        except aiohttp.ClientProxyConnectionError as exc:
            problem = ProxyUnreachable(f"proxy {proxy.label if proxy else '?'}: {_os_text(exc)}")
        except Exception as exc:
            if proxy is None or not proxy.socks:
                raise
            socks_problem = _socks_problem(exc, proxy, host, target.port)
            if socks_problem is None:
                raise
            problem = socks_problem
        # raised outside the handler, with no cause chain: a proxy refusing is not the
        # target refusing, and no link may be called dead for it
        raise problem

    async def _check_behind_proxy(self, host: str, port: int) -> None:
        """The guard for a proxied target: the proxy resolves the name, so only what this
        machine's own DNS answer shows to be in refused space can be refused here."""
        if host in self.trusted:
            return
        try:
            await self._guard().resolve(host, port)
        except (NameNotFound, LookupFailed):
            pass  # behind a proxy the local resolver often knows no public names

    def _proxy_route(self, proxy: Proxy) -> tuple[aiohttp.ClientSession, dict[str, Any]]:
        if proxy.socks:
            return self._session(proxy.url, proxy), {}
        extra: dict[str, Any] = {"proxy": URL(proxy.url)}
        if proxy.user is not None:
            token = base64.b64encode(f"{proxy.user}:{proxy.password or ''}".encode()).decode()
            extra["proxy_headers"] = {"Proxy-Authorization": f"Basic {token}"}
        return self._session("proxied"), extra

    # -- sessions --------------------------------------------------------------------------

    def _guard(self) -> GuardedResolver:
        self._bind()
        if self._resolver is None:
            self._resolver = GuardedResolver(self.policy, self._inner_resolver, self.trusted)
        return self._resolver

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new asyncio.run: the old sessions died with their loop
            self._loop, self._sessions, self._resolver = loop, {}, None

    def _session(self, name: str, socks: Proxy | None = None) -> aiohttp.ClientSession:
        self._bind()
        session = self._sessions.get(name)
        if session is None or session.closed:
            session = self._sessions[name] = self._new_session(name, socks)
        return session

    def _new_session(self, name: str, socks: Proxy | None) -> aiohttp.ClientSession:
        options: dict[str, Any] = {
            "limit": self._limit,
            "limit_per_host": self._per_host,
            "keepalive_timeout": self._keepalive,
            "ssl": self._ssl,
        }
        connector: aiohttp.BaseConnector
        if socks is not None:
            connector = _socks_connector(socks, options)
        else:
            if name == "direct":
                options["resolver"] = self._guard()
            elif self._inner_resolver is not None:
                options["resolver"] = self._inner_resolver  # the proxy's name, unguarded
            else:
                options["resolver"] = system_resolver()
            connector = aiohttp.TCPConnector(**options)
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # cited pages seen as a first-time reader
            auto_decompress=False,  # decoded by the caller, capped (gzip bombs)
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._connect_timeout),
            headers=self._headers,
            max_line_size=MAX_FIELD_SIZE,
            max_field_size=MAX_FIELD_SIZE,
            requote_redirect_url=False,
        )

    async def aclose(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()
        resolver, self._resolver = self._resolver, None
        if resolver is not None:
            await resolver.close()


def _target(url: str) -> URL:
    """The URL as aiohttp should send it: as written when ASCII (no re-quoting of what the
    citation says), IDNA and percent-encoded by yarl otherwise."""
    if url.isascii():
        return URL(url, encoded=True)
    return URL(url)


def _os_text(exc: aiohttp.ClientConnectorError) -> str:
    error = exc.os_error
    return error.strerror or str(error) if error is not None else str(exc)


def _socks_connector(proxy: Proxy, options: dict[str, Any]) -> aiohttp.BaseConnector:
    from aiohttp_socks import ProxyConnector, ProxyType

    kind = ProxyType.SOCKS4 if proxy.scheme.startswith("socks4") else ProxyType.SOCKS5
    return ProxyConnector(
        proxy_type=kind,
        host=proxy.host,
        port=proxy.port,
        username=proxy.user,
        password=proxy.password,
        rdns=proxy.scheme in ("socks5h", "socks4a"),
        **options,
    )


def _socks_problem(
    exc: BaseException, proxy: Proxy, host: str, port: int | None
) -> BaseException | None:
    """Our error for a SOCKS failure (None: not one): the proxy unreachable, or refusing."""
    import aiohttp_socks
    import python_socks

    unreachable = (
        aiohttp_socks.ProxyConnectionError,
        aiohttp_socks.ProxyTimeoutError,
        python_socks.ProxyConnectionError,
        python_socks.ProxyTimeoutError,
    )
    if isinstance(exc, unreachable):
        return ProxyUnreachable(f"proxy {proxy.label}: {exc}")
    if isinstance(exc, aiohttp_socks.ProxyError | python_socks.ProxyError):
        return ProxyRefused(f"proxy {proxy.label} refused {host}:{port}: {exc}")
    return None
