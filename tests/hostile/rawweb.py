"""A hostile web on loopback: raw asyncio servers that misbehave at the byte level.

aiohttp (tests/webserver.py) cannot send two Location headers with different values, a
broken status line, HTTP/0.9, conflicting lengths or a reset half way through a body; these
servers write whatever bytes a behaviour asks for. Each address (127.0.0.x, ::1) is a host;
TLS servers take an `ssl.SSLContext` or a raw handler (for handshake failures).

Every connection is bounded (MAX_CONNECTION_SECONDS) and every server stops in `close()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

MAX_CONNECTION_SECONDS = 8.0  # no connection outlives this, whatever the client does
MAX_REQUEST_HEAD = 64 * 1024


@dataclass
class Conn:
    """One request on one connection, as a behaviour handler sees it."""

    web: RawWeb
    host: str
    port: int
    tls: bool
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def respond(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        reason: str = "OK",
    ) -> None:
        """A well-formed response (Content-Length set unless a header list sets it)."""
        lines = [f"HTTP/1.1 {status} {reason}"]
        names = {k.lower() for k, _ in headers or []}
        for key, value in headers or []:
            lines.append(f"{key}: {value}")
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append(f"Content-Length: {len(body)}")
        if "content-type" not in names and body:
            lines.append("Content-Type: text/html; charset=utf-8")
        lines.append("Connection: close")
        await self.send(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)

    def reset(self) -> None:
        """Close with RST (SO_LINGER 0) instead of FIN."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def url(self, path: str, host: str | None = None, tls: bool = False) -> str:
        return self.web.url(host or self.host, path, tls=tls)

    @property
    def cookie(self) -> str:
        return self.headers.get("cookie", "")


Handler = Callable[[Conn], Awaitable[None]]
RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class RawWeb:
    """Raw HTTP(S) servers on loopback addresses; `routes` maps a path to a handler (a
    path ending in "/" matches every path under it)."""

    def __init__(
        self,
        hosts: list[str],
        routes: dict[str, Handler],
        tls: dict[str, ssl.SSLContext] | None = None,
        raw_tls: dict[str, RawHandler] | None = None,
    ) -> None:
        self.routes = routes
        self.requests: Counter[tuple[str, str]] = Counter()  # (host, path) -> count
        self.connections: Counter[str] = Counter()  # host -> TCP connections accepted
        self.ports: dict[str, int] = {}
        self.tls_ports: dict[str, int] = {}
        self._servers: list[asyncio.base_events.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._call(self._start(hosts, tls or {}, raw_tls or {}))

    def _call(self, coro: Awaitable[object], timeout: float = 15.0) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)  # type: ignore[arg-type]

    async def _start(
        self, hosts: list[str], tls: dict[str, ssl.SSLContext], raw: dict[str, RawHandler]
    ) -> None:
        for host in hosts:
            self.ports[host] = await self._listen(host, self._http(host, False), None)
        for host, context in tls.items():
            self.tls_ports[host] = await self._listen(host, self._http(host, True), context)
        for host, handler in raw.items():
            self.tls_ports[host] = await self._listen(host, self._bounded(host, handler), None)

    async def _listen(self, host: str, handler: RawHandler, context: ssl.SSLContext | None) -> int:
        server = await asyncio.start_server(
            handler, host, 0, ssl=context, ssl_handshake_timeout=3.0 if context else None
        )
        self._servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    def _bounded(self, host: str, handler: RawHandler) -> RawHandler:
        async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections[host] += 1
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                async with asyncio.timeout(MAX_CONNECTION_SECONDS):
                    await handler(reader, writer)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ssl.SSLError):
                pass
            except asyncio.CancelledError:
                pass  # close() ends what is still running
            finally:
                self._tasks.discard(task)
                writer.transport.abort()

        return run

    def _http(self, host: str, tls: bool) -> RawHandler:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > MAX_REQUEST_HEAD:
                return
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = [*lines[0].split(" "), "", ""][:3]
            headers = {}
            for line in lines[1:]:
                key, sep, value = line.partition(":")
                if sep:
                    headers[key.strip().lower()] = value.strip()
            port = self.tls_ports[host] if tls else self.ports[host]
            conn = Conn(self, host, port, tls, reader, writer, method, path, headers)
            self.requests[(host, path.split("?", 1)[0])] += 1
            await self._route(path.split("?", 1)[0])(conn)
            with contextlib.suppress(OSError):
                await writer.drain()

        return self._bounded(host, serve)

    def _route(self, path: str) -> Handler:
        handler = self.routes.get(path)
        if handler is not None:
            return handler
        prefixes = [p for p in self.routes if p.endswith("/") and path.startswith(p)]
        return self.routes[max(prefixes, key=len)] if prefixes else _not_found

    def url(self, host: str, path: str, tls: bool = False) -> str:
        port = self.tls_ports[host] if tls else self.ports[host]
        netloc = f"[{host}]" if ":" in host else host
        return f"{'https' if tls else 'http'}://{netloc}:{port}{path}"

    def count(self, host: str, path: str | None = None) -> int:
        if path is None:
            return sum(n for (h, _), n in self.requests.items() if h == host)
        return self.requests[(host, path)]

    def close(self) -> None:
        async def stop() -> None:
            for server in self._servers:
                server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        try:
            self._call(stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._loop.close()


async def _not_found(conn: Conn) -> None:
    await conn.respond(404, b"<html><title>Not here</title><p>nope</p></html>", reason="Not Found")
