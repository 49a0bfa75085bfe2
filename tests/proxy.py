"""A real forward HTTP proxy for tests: CONNECT tunnels and absolute-form HTTP requests.

Runs its own event loop in a thread on one loopback address, records what it was asked
(`seen`: (method, target, Proxy-Authorization)), can demand credentials and refuse tunnels
to some hosts. Every connection is bounded in time; `close()` stops it all.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from urllib.parse import urlsplit

MAX_CONNECTION_SECONDS = 10.0


class ForwardProxy:
    def __init__(
        self,
        host: str = "127.0.0.9",
        require: str | None = None,
        deny: tuple[str, ...] = (),
        tls: ssl.SSLContext | None = None,
    ):
        """`require`: the Proxy-Authorization value demanded (407 otherwise); `deny`:
        target hosts whose CONNECT is answered 403; `tls`: spoken to over TLS (an
        https:// proxy)."""
        self.host, self.require, self.deny = host, require, deny
        self.seen: list[tuple[str, str, str | None]] = []
        self._handlers: set[asyncio.Task] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._handle, host, 0, ssl=tls))
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def close(self) -> None:
        async def stop():
            self._server.close()
            for task in self._handlers:  # tunnels and idle client connections still open
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()

        try:
            self._call(asyncio.wait_for(stop(), 5))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._loop.close()

    async def _handle(self, reader, writer) -> None:
        task = asyncio.current_task()
        self._handlers.add(task)
        try:
            async with asyncio.timeout(MAX_CONNECTION_SECONDS):
                await self._serve(reader, writer)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()
            self._handlers.discard(task)

    async def _serve(self, reader, writer) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines if ": " in line)
        auth = next((v for k, v in headers.items() if k.lower() == "proxy-authorization"), None)
        self.seen.append((method, target, auth))
        if self.require and auth != self.require:
            writer.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
            )
            await writer.drain()
            return
        if method == "CONNECT":
            await self._tunnel(target, reader, writer)
        else:
            await self._forward(method, target, lines, reader, writer)

    async def _tunnel(self, target: str, reader, writer) -> None:
        host, port = target.rsplit(":", 1)
        if host in self.deny:
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            up_writer.transport.abort()

    async def _forward(self, method, target, lines, reader, writer) -> None:
        url = urlsplit(target)
        up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
        kept = [
            line
            for line in lines
            if line and not line.lower().startswith(("proxy-authorization:", "connection:"))
        ]
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        up_writer.write(
            (
                "\r\n".join([f"{method} {path} HTTP/1.1", *kept, "Connection: close"]) + "\r\n\r\n"
            ).encode("latin-1")
        )
        try:
            await _pipe(up_reader, writer)  # one request a connection: the answer, then close
        finally:
            up_writer.transport.abort()


async def _pipe(reader, writer) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()
