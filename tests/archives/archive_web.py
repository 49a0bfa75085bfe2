"""A small live web for archive tests: an aiohttp server on a loopback address, in a thread."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class LiveWeb:
    """Serves `pages` (path -> HTML, or (bytes, content type)) on `host`; stopped with
    `stop()` (bounded)."""

    def __init__(self, host: str, pages: dict[str, str | tuple[bytes, str]]):
        self.host, self.pages = host, pages
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> LiveWeb:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("live web server did not start")
        return self

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/{path:.*}", self._page)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _page(self, request: web.Request) -> web.Response:
        found = self.pages.get(request.path)
        if found is None:
            return web.Response(status=404, text="not found")
        if isinstance(found, tuple):  # (body, content type): a PDF, say
            body, content_type = found
            return web.Response(body=body, content_type=content_type)
        return web.Response(text=found, content_type="text/html")

    def stop(self) -> None:
        async def shutdown():
            await self._runner.cleanup()
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(10)
