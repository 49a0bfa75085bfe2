"""A real SOCKS5 proxy for tests (RFC 1928: no authentication, CONNECT to an IPv4 address
or a name). Runs its own event loop in a thread on one loopback address and records the
targets it was asked for (`seen`: (host, port)). Every connection is bounded in time;
`close()` stops it all."""

from __future__ import annotations

import asyncio
import ipaddress
import struct
import threading

MAX_CONNECTION_SECONDS = 10.0


class Socks5Proxy:
    def __init__(self, host: str = "127.0.0.9") -> None:
        self.host = host
        self.seen: list[tuple[str, int]] = []
        self._handlers: set[asyncio.Task] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._handle, host, 0))
        self.port = self._server.sockets[0].getsockname()[1]

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def close(self) -> None:
        async def stop():
            self._server.close()
            for task in self._handlers:
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
        _version, count = await reader.readexactly(2)
        await reader.readexactly(count)  # the methods offered: we take "no authentication"
        writer.write(b"\x05\x00")
        _, _command, _, kind = await reader.readexactly(4)  # CONNECT is all clients ask
        if kind == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif kind == 3:
            (length,) = await reader.readexactly(1)
            host = (await reader.readexactly(length)).decode("idna")
        else:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        self.seen.append((host, port))
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.write(b"\x05\x05\x00\x01" + bytes(6))  # connection refused
            await writer.drain()
            return
        writer.write(b"\x05\x00\x00\x01" + bytes(6))
        await writer.drain()
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            up_writer.transport.abort()


async def _pipe(reader, writer) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()
