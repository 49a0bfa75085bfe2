"""The one HTTP client factory: guarded connections, one connection pool per host.

Every connection goes through `GuardedBackend`, which resolves the host itself and refuses
addresses the `AddressPolicy` does not allow, so a DNS answer into private space is caught at
connect time. `HostPoolTransport` keeps one httpcore pool per origin: a shared pool scans all
its connections and queued requests on every request, which made a shared client CPU-bound
at a few thousand links (see bench/bench_links.py).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Any

import httpcore
import httpx

from citecheck import PROJECT_URL, __version__
from citecheck.net.guard import AddressPolicy, literal_address


class AddressRefused(httpcore.ConnectError):
    """The guard refused every address of the host (reason in the message)."""


class NameNotFound(httpcore.ConnectError):
    """DNS says the name does not exist (EAI_NONAME), as opposed to a lookup failure."""


class LookupFailed(httpcore.ConnectError):
    """DNS lookup failed for another reason (no resolver, temporary failure)."""


def default_user_agent() -> str:
    return f"citecheck/{__version__} (+{PROJECT_URL})"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves names, checks every address against the policy, connects to allowed ones."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None):
        from httpcore._backends.anyio import AnyIOBackend

        self.policy = policy
        self.inner = inner or AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None
                          ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        allowed, refusals = [], []
        for address in addresses:
            reason = self.policy.refusal(literal_address(address))
            (refusals if reason else allowed).append(reason or address)
        if not allowed:
            raise AddressRefused(refusals[0] if refusals else f"no address for {host}")
        last: Exception | None = None
        for address in allowed:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout,
                                                    local_address=local_address,
                                                    socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        if ":" in host or _dotted_quad(host):  # an IP literal: nothing to resolve
            return [host.strip("[]")]
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from None
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                raise NameNotFound(f"DNS: no such name {host}") from exc
            raise LookupFailed(f"DNS lookup of {host} failed ({exc})") from exc
        seen: dict[str, None] = {}
        for info in infos:
            seen.setdefault(info[4][0], None)
        return list(seen)

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused: unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _dotted_quad(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 for p in parts)


class _PoolTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (request conversion, exception mapping) over our own httpcore pool."""

    def __init__(self, pool: httpcore.AsyncConnectionPool):  # noqa: D107 - no super(): it would build a pool
        self._pool = pool


class HostPoolTransport(httpx.AsyncBaseTransport):
    """One connection pool per (scheme, host, port), all sharing one SSL context and guard."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend, ssl_context: ssl.SSLContext,
                 per_host: int, per_host_pools: bool = True, max_connections: int = 64):
        self._backend = backend
        self._ssl = ssl_context
        self._per_host = per_host
        self._split = per_host_pools
        self._max = max_connections
        self._pools: dict[tuple, _PoolTransport] = {}

    def _new_pool(self, size: int) -> _PoolTransport:
        return _PoolTransport(httpcore.AsyncConnectionPool(
            ssl_context=self._ssl, max_connections=size, max_keepalive_connections=size,
            keepalive_expiry=30.0, network_backend=self._backend))

    def _pool_for(self, url: httpx.URL) -> _PoolTransport:
        key = (url.scheme, url.host, url.port) if self._split else ()
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = self._new_pool(self._per_host if self._split else self._max)
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pool_for(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()


def make_transport(settings, *, verify: ssl.SSLContext | None = None,
                   per_host_pools: bool = True) -> HostPoolTransport:
    """The guarded, per-host-pooled transport for `settings` (`verify`: CA context for tests)."""
    policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
    context = verify if verify is not None else httpx.create_ssl_context()
    return HostPoolTransport(GuardedBackend(policy), context, settings.per_host,
                             per_host_pools, settings.max_concurrency)


def make_client(settings, *, transport: httpx.AsyncBaseTransport | None = None,
                verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """The AsyncClient every check of a run goes through; redirects are followed by hand."""
    timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0))
    headers = {
        "User-Agent": settings.user_agent or default_user_agent(),
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    return httpx.AsyncClient(transport=transport or make_transport(settings, verify=verify),
                             headers=headers, timeout=timeout, follow_redirects=False,
                             trust_env=False)
