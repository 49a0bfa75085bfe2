"""A real local web for tests: aiohttp servers on several loopback addresses (= hosts).

`LocalWeb` runs its own event loop in a thread; every server counts requests per host and
path and the most requests in flight at once per host. Handlers are bounded in time and
everything stops in `close()` (the fixtures call it). Reusable by other test modules:

    web = LocalWeb(["127.0.0.2", "127.0.0.3"], tls_hosts=["127.0.0.4"])
    web.url("127.0.0.2", "/ok")      # http://127.0.0.2:PORT/ok
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import struct
import threading
import time
from collections import Counter, defaultdict
from email.utils import formatdate

from aiohttp import web

HTML = "<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
MAX_HANDLER_SECONDS = 10.0  # no handler outlives this, whatever the client does
BOMB = gzip.compress(b"<html><body>" + b"0" * (50 * 1024 * 1024), compresslevel=9)


def page(title: str, body: str = "Some text.") -> web.Response:
    return web.Response(text=HTML.format(title=title, body=body), content_type="text/html")


def free_port(address: str) -> int:
    """A port with nothing listening on `address` (bound, then closed)."""
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


class LocalWeb:
    """HTTP(S) servers on loopback addresses serving every behaviour the checker judges."""

    def __init__(self, hosts, tls=None, delay: float = 0.0):
        """`hosts`: plain HTTP addresses; `tls`: {address: ssl.SSLContext} for HTTPS servers;
        `delay`: seconds every answer waits (for concurrency tests)."""
        self.delay = delay
        self.requests: Counter = Counter()  # (host, path) -> count
        self.times: dict = defaultdict(list)  # (host, path) -> [monotonic start...]
        self.in_flight: Counter = Counter()
        self.max_in_flight: Counter = Counter()
        self.total_in_flight = 0
        self.max_total_in_flight = 0
        self.ports: dict[str, int] = {}
        self.tls_ports: dict[str, int] = {}
        self._state: Counter = Counter()
        self._loop = asyncio.new_event_loop()
        self._runners: list[web.AppRunner] = []
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._call(self._start(list(hosts), dict(tls or {})))

    def _call(self, coro, timeout: float = 15.0):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start(self, hosts, tls) -> None:
        for address in hosts:
            self.ports[address] = await self._serve(address, None)
        for address, context in tls.items():
            self.tls_ports[address] = await self._serve(address, context)

    async def _serve(self, address: str, context: ssl.SSLContext | None) -> int:
        app = web.Application(middlewares=[self._count])
        app.router.add_route("GET", "/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, address, 0, ssl_context=context)
        await site.start()
        self._runners.append(runner)
        return site._server.sockets[0].getsockname()[1]

    def url(self, host: str, path: str, tls: bool = False) -> str:
        scheme, port = ("https", self.tls_ports[host]) if tls else ("http", self.ports[host])
        return f"{scheme}://{host}:{port}{path}"

    def count(self, host: str, path: str | None = None) -> int:
        if path is None:
            return sum(n for (h, _), n in self.requests.items() if h == host)
        return self.requests[(host, path)]

    def close(self) -> None:
        async def stop():
            for runner in self._runners:
                await runner.cleanup()

        try:
            self._call(stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._loop.close()

    @web.middleware
    async def _count(self, request: web.Request, handler):
        host = request.transport.get_extra_info("sockname")[0]
        key = (host, request.path)
        self.requests[key] += 1
        self.times[key].append(time.monotonic())
        self.in_flight[host] += 1
        self.total_in_flight += 1
        self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
        self.max_total_in_flight = max(self.max_total_in_flight, self.total_in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return await asyncio.wait_for(handler(request), MAX_HANDLER_SECONDS)
        finally:
            self.in_flight[host] -= 1
            self.total_in_flight -= 1

    async def _dispatch(self, request: web.Request):
        path = request.path
        for prefix, handler in ROUTES:
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                return await handler(self, request)
        return await self._fallback(request)

    async def _fallback(self, request: web.Request):
        if request.path == "/":
            return page("Home", "Welcome to the home page.")
        if (
            request.path.startswith(("/catchall", "/citecheck-probe-"))
            and request.transport.get_extra_info("sockname")[0] in CATCH_ALL_HOSTS
        ):
            return page("Welcome", "The same page for every path.")
        return web.Response(status=404, text="nope")

    def first_time(self, request: web.Request) -> bool:
        """True on the first request to this host and path (stateful behaviours)."""
        key = (request.transport.get_extra_info("sockname")[0], request.path)
        self._state[key] += 1
        return self._state[key] == 1


CATCH_ALL_HOSTS = {"127.0.0.3"}  # hosts that answer 200 with one page for any path


def _redirect(code: int, location: str):
    async def handler(web_: LocalWeb, request):
        return web.Response(status=code, headers={"Location": location})

    return handler


def _status(code: int, headers: dict | None = None):
    async def handler(web_: LocalWeb, request):
        return web.Response(status=code, text=f"status {code}", headers=headers or {})

    return handler


async def _ok(web_, request):
    return page("Annual report 2014", "The report text. " + request.path)


async def _soft(web_, request):
    return page("Page not found", "Sorry, we could not find that page.")


async def _parked(web_, request):
    return page("example-domain.com", "This domain is for sale! Buy this domain today.")


async def _ra_seconds(web_, request):
    if web_.first_time(request):
        return web.Response(status=429, headers={"Retry-After": "1"})
    return page("After waiting")


async def _ra_date(web_, request):
    if web_.first_time(request):
        when = formatdate(time.time() + 2, usegmt=True)
        return web.Response(status=429, headers={"Retry-After": when})
    return page("After waiting for a date")


async def _flaky(web_, request):
    if web_.first_time(request):
        return web.Response(status=503)
    return page("Recovered")


async def _slow(web_, request):
    await asyncio.sleep(3)
    return page("Too late")


async def _endless(web_, request):
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    await response.write(b"<html><head><title>Endless</title></head><body>")
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    while True:  # bounded by the middleware's timeout and by the client going away
        await response.write(chunk)


async def _bomb(web_, request):
    return web.Response(
        body=BOMB, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )


async def _reset(web_, request):
    sock = request.transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.transport.abort()
    await asyncio.sleep(0.1)
    return web.Response(status=500)


async def _cross_redirect(web_, request):
    # /to-other/HOST -> the same server port scheme on another loopback host
    target = request.path.rsplit("/", 1)[-1]
    return web.Response(status=302, headers={"Location": web_.url(target, "/ok")})


async def _to_tls(web_, request):
    """http -> the same path over https on the same host (a plain upgrade)."""
    if request.secure:
        return page("Upgraded")
    host = request.transport.get_extra_info("sockname")[0]
    return web.Response(status=301, headers={"Location": web_.url(host, request.path, tls=True)})


ROUTES = [
    ("/ok", _ok),
    ("/page", _ok),
    ("/article/", _ok),
    ("/slow100/", _ok),
    ("/chain/a", _redirect(301, "/chain/b")),
    ("/chain/b", _redirect(301, "/chain/final")),
    ("/chain/final", _ok),
    ("/p308", _redirect(308, "/new-home-of-p308")),
    ("/new-home-of-p308", _ok),
    ("/temp302", _redirect(302, "/ok")),
    ("/loop/a", _redirect(302, "/loop/b")),
    ("/loop/b", _redirect(302, "/loop/a")),
    ("/deep/article", _redirect(301, "/")),
    ("/gone404", _status(404)),
    ("/gone410", _status(410)),
    ("/soft", _soft),
    ("/parked", _parked),
    ("/auth401", _status(401)),
    ("/forbidden403", _status(403)),
    ("/cf", _status(403, {"cf-mitigated": "challenge"})),
    ("/linkedin999", _status(999)),
    ("/ra-seconds/", _ra_seconds),
    ("/ra-date/", _ra_date),
    ("/ra-long", _status(429, {"Retry-After": "3600"})),
    ("/ra-always", _status(429, {"Retry-After": "1"})),
    ("/flaky503/", _flaky),
    ("/err500", _status(500)),
    ("/slow", _slow),
    ("/endless", _endless),
    ("/bomb", _bomb),
    ("/reset", _reset),
    ("/to-other/", _cross_redirect),
    ("/to-tls", _to_tls),
]
