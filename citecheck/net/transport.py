"""The link checker's httpx transport: HTTP/1.1 (h11) over asyncio streams, guarded.

Why not httpx's default transport: httpcore's pool scans every connection and queued
request on each request and asks anyio for socket details on every idle check; at a few
thousand links that made a run CPU-bound (about 3 ms of CPU a request, see
bench/bench_links.py). Here each origin keeps a plain deque of idle keep-alive connections,
so finding one costs O(1).

Every new connection resolves the host itself and refuses addresses the `AddressPolicy`
does not allow, so a DNS answer into private space is caught at connect time, not only the
URL text. Errors are raised as httpx exceptions chained to their cause (`raise ... from`),
which `checkers.fetch.classify_error` reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections import deque

import h11
import httpx

from citecheck.net.errors import (
    AddressRefused,
    LookupFailed,
    NameNotFound,
    ProxyRefused,
    ProxyUnreachable,
)
from citecheck.net.guard import AddressPolicy, literal_address
from citecheck.net.proxy import Proxies, Proxy

READ_SIZE = 64 * 1024
MAX_HEADER_BYTES = 100 * 1024  # as httpcore: big cookie headers exist
KEEPALIVE_EXPIRY = 30.0  # seconds an idle connection is kept
DEFAULT_PORTS = {b"http": 80, b"https": 443}


class GuardedTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 with one keep-alive pool per (scheme, host, port); at most `per_host`
    connections to one origin at a time (further requests wait for one)."""

    def __init__(
        self,
        policy: AddressPolicy,
        ssl_context: ssl.SSLContext,
        per_host: int,
        proxies: Proxies | None = None,
    ):
        self._policy = policy
        self._ssl = ssl_context
        self._per_host = per_host
        self._proxies = proxies
        self._pools: dict[tuple, _Pool] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.raw_scheme
        if scheme not in DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}")
        if not url.raw_host:
            raise httpx.UnsupportedProtocol(f"no host in {url}")
        # raw_host: the ASCII (IDNA) form that DNS and TLS need, as the URL carries it
        key = (scheme, url.raw_host.decode("ascii"), url.port or DEFAULT_PORTS[scheme])
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(key, self._per_host, self._connector(key))
        timeouts = request.extensions.get("timeout") or {}
        await pool.slots.acquire()
        try:
            return await self._exchange(pool, request, timeouts)
        except BaseException:
            pool.slots.release()
            raise

    async def _exchange(
        self, pool: _Pool, request: httpx.Request, timeouts: dict
    ) -> httpx.Response:
        conn = pool.idle_connection()
        if conn is not None:
            try:
                return await conn.exchange(request, timeouts, pool)
            except _StaleConnection:
                pass  # the server closed a kept-alive connection meanwhile: one fresh try
        conn = await pool.connect(timeouts.get("connect"))
        return await conn.exchange(request, timeouts, pool)  # fresh: never _StaleConnection

    def _connector(self, key: tuple):
        scheme, host, port = key
        tls = self._ssl if scheme == b"https" else None
        proxy = self._proxies.for_origin(scheme.decode(), host) if self._proxies else None
        if proxy is not None:
            return self._proxy_connector(proxy, host, port, tls)

        async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, None]:
            addresses = await allowed_addresses(self._policy, host, port)
            last: BaseException | None = None
            for address in addresses:
                try:
                    reader, writer = await asyncio.open_connection(
                        address,
                        port,
                        ssl=tls,
                        server_hostname=host if tls else None,
                        limit=READ_SIZE,
                    )
                    return reader, writer, None
                except (OSError, ssl.SSLError) as exc:
                    last = exc
            assert last is not None
            raise last

        return connect

    def _proxy_connector(self, proxy: Proxy, host: str, port: int, tls: ssl.SSLContext | None):
        """Connections through `proxy`: a CONNECT tunnel for HTTPS, absolute-form requests
        for HTTP. The proxy resolves the name, so the guard here can only refuse what the
        URL or this machine's own DNS answer shows to be in refused space."""

        async def connect():
            try:
                await allowed_addresses(self._policy, host, port)
            except (NameNotFound, LookupFailed):
                pass  # behind a proxy the local resolver often knows no public names
            reader, writer = await _open_proxy(proxy)
            try:
                if tls is None:
                    return reader, writer, proxy
                await _tunnel(reader, writer, proxy, host, port)
                await writer.start_tls(tls, server_hostname=host)
            except BaseException:
                writer.transport.abort()
                raise
            return reader, writer, None

        return connect

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close_idle()


class _Pool:
    """One origin's idle connections and connection slots."""

    __slots__ = ("_connect", "idle", "key", "slots")

    def __init__(self, key: tuple, size: int, connect):
        self.key = key
        self.slots = asyncio.Semaphore(size)
        self.idle: deque[_Connection] = deque()
        self._connect = connect

    def idle_connection(self) -> _Connection | None:
        now = time.monotonic()
        while self.idle:
            conn = self.idle.pop()  # most recently used: least likely closed by the server
            if conn.expires > now and conn.usable():
                return conn
            conn.close()
        return None

    async def connect(self, timeout: float | None) -> _Connection:
        try:
            async with asyncio.timeout(timeout):
                reader, writer, forward = await self._connect()
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connect to {self.key[1]} timed out") from exc
        except Exception as exc:  # refused, guard, DNS, TLS, a name the resolver rejects...
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Connection(reader, writer, forward)

    def release(self, conn: _Connection, reusable: bool) -> None:
        if reusable and conn.h11.our_state is h11.DONE and conn.h11.their_state is h11.DONE:
            conn.h11.start_next_cycle()
            conn.expires = time.monotonic() + KEEPALIVE_EXPIRY
            conn.fresh = False
            self.idle.append(conn)
        else:
            conn.close()
        self.slots.release()

    def close_idle(self) -> None:
        while self.idle:
            self.idle.pop().close()


class _StaleConnection(Exception):
    """A reused connection turned out closed before any answer (safe to retry once)."""


class _Connection:
    """One HTTP/1.1 connection: an h11 state machine over an asyncio stream pair."""

    __slots__ = ("expires", "forward", "fresh", "h11", "reader", "writer")

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        forward: Proxy | None = None,
    ):
        self.reader = reader
        self.writer = writer
        self.forward = forward  # the proxy plain-HTTP requests are sent to, in absolute form
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEADER_BYTES)
        self.expires = 0.0
        self.fresh = True

    def usable(self) -> bool:
        return not (self.writer.transport.is_closing() or self.reader.at_eof())

    def close(self) -> None:
        """Drop the connection at once (no TLS goodbye: nothing is waited for)."""
        self.writer.transport.abort()

    async def exchange(self, request: httpx.Request, timeouts: dict, pool: _Pool) -> httpx.Response:
        """Send `request`, read the status line and headers; the body streams later."""
        read_timeout = timeouts.get("read")
        try:
            await self._send(request, timeouts.get("write"))
            event = await self._next_event(read_timeout)
            while isinstance(event, h11.InformationalResponse):
                event = await self._next_event(read_timeout)
        except Exception as exc:
            self.close()
            if not self.fresh and _is_disconnect(exc):
                raise _StaleConnection() from exc
            raise _mapped(exc, request) from exc
        except BaseException:
            self.close()
            raise
        return httpx.Response(
            event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, pool, read_timeout, request),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": event.reason,
            },
        )

    async def _send(self, request: httpx.Request, timeout: float | None) -> None:
        target, headers = request.url.raw_path, request.headers.raw
        if self.forward is not None:
            url = request.url
            target = url.raw_scheme + b"://" + url.netloc + target
            if self.forward.authorization:
                headers = [
                    *headers,
                    (b"Proxy-Authorization", self.forward.authorization.encode("latin-1")),
                ]
        data = self.h11.send(h11.Request(method=request.method, target=target, headers=headers))
        async for chunk in request.stream:  # type: ignore[union-attr]
            data += self.h11.send(h11.Data(data=chunk))
        data += self.h11.send(h11.EndOfMessage())
        self.writer.write(data)
        async with _timer(timeout):
            await self.writer.drain()

    async def _next_event(self, timeout: float | None):
        while True:
            event = self.h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            async with _timer(timeout):
                data = await self.reader.read(READ_SIZE)
            if not data and self.h11.their_state is h11.SEND_RESPONSE:
                raise _Disconnected("Server disconnected without sending a response.")
            self.h11.receive_data(data)


async def _open_proxy(proxy: Proxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to the proxy; ProxyUnreachable (with no cause chain: a proxy refusing
    is not the target refusing, and no link may be called dead for it) if there is none."""
    try:
        return await asyncio.open_connection(proxy.host, proxy.port, limit=READ_SIZE)
    except OSError as exc:
        problem = f"proxy {proxy.label}: {exc.strerror or exc}"
    raise ProxyUnreachable(problem)


async def _tunnel(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: Proxy, host: str, port: int
) -> None:
    """Ask `proxy` for a tunnel to host:port; ProxyRefused unless it answers 2xx."""
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    head = f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"
    if proxy.authorization:
        head += f"Proxy-Authorization: {proxy.authorization}\r\n"
    writer.write((head + "\r\n").encode("latin-1"))
    await writer.drain()
    answer = await reader.readuntil(b"\r\n\r\n")
    status = answer.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status.split(" ", 2)
    if len(fields) < 2 or not fields[1].startswith("2"):
        raise ProxyRefused(f"proxy {proxy.label} refused CONNECT {authority}: {status}")


def _timer(seconds: float | None):
    """asyncio.timeout, or nothing at all for None (no timer to arm and cancel)."""
    return contextlib.nullcontext() if seconds is None else asyncio.timeout(seconds)


class _Disconnected(ConnectionError):
    """The server closed the connection before its answer began."""


def _is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, _Disconnected | ConnectionResetError | BrokenPipeError)


def _mapped(exc: Exception, request: httpx.Request) -> Exception:
    """The httpx exception for a failure while talking to the server."""
    if isinstance(exc, TimeoutError):
        return httpx.ReadTimeout("no answer in time", request=request)
    if isinstance(exc, _Disconnected | h11.RemoteProtocolError):
        return httpx.RemoteProtocolError(str(exc), request=request)
    if isinstance(exc, OSError | ssl.SSLError):
        return httpx.ReadError(str(exc) or type(exc).__name__, request=request)
    if isinstance(exc, h11.LocalProtocolError):
        return httpx.LocalProtocolError(str(exc), request=request)
    return httpx.TransportError(str(exc) or type(exc).__name__, request=request)


class _Body(httpx.AsyncByteStream):
    """A response body read from its connection; closing hands the connection back."""

    def __init__(
        self, conn: _Connection, pool: _Pool, timeout: float | None, request: httpx.Request
    ):
        self._conn = conn
        self._pool = pool
        self._timeout = timeout
        self._request = request
        self._complete = False
        self._closed = False

    async def __aiter__(self):
        try:
            while not self._complete:
                event = await self._conn._next_event(self._timeout)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage | h11.PAUSED):
                    self._complete = True
        except Exception as exc:
            await self.aclose()
            raise _mapped(exc, self._request) from exc
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.release(self._conn, self._complete)


async def allowed_addresses(policy: AddressPolicy, host: str, port: int) -> list[str]:
    """The addresses of `host` the policy allows (resolving names here, so that the checked
    address is the one connected to); raises AddressRefused, NameNotFound or LookupFailed."""
    literal = literal_address(host)
    if literal is not None:
        reason = policy.refusal(literal)
        if reason:
            raise AddressRefused(reason)
        return [host.strip("[]") if "%" in host else str(literal)]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            raise NameNotFound(f"DNS: no such name {host}") from exc
        raise LookupFailed(f"DNS lookup of {host} failed ({exc})") from exc
    allowed, refusals = [], []
    for address in dict.fromkeys(info[4][0] for info in infos):
        reason = policy.refusal(literal_address(address))
        (refusals if reason else allowed).append(reason or address)
    if not allowed:
        raise AddressRefused(refusals[0] if refusals else f"no address for {host}")
    return allowed
