"""The behaviours of the hostile web: one handler per path, and what the checker must say.

Each `Case` names a behaviour, the host and path that serve it, the status the checker must
give, a word its detail must hold (or None) and the seconds the check may take at most (with
the timeout=1 s, retries=1 settings of tests/hostile/matrix.py). Walls cite their sources in
tests/hostile/test_walls.py.
"""

from __future__ import annotations

import asyncio
import gzip
import zlib
from dataclasses import dataclass
from email.utils import formatdate

from citecheck.models import LinkStatus as S
from tests.hostile import pages
from tests.hostile.rawweb import Conn, Handler

HOST = "127.0.0.20"  # most behaviours
WALLS = "127.0.0.22"  # bot walls and the ordinary pages that must stay alive
V6 = "::1"

# Bombs are built once, at import (before any memory is measured), a megabyte at a time.
BOMB_SIZE = 64 * 1024 * 1024  # decoded bytes


def _bomb(wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = b"0" * (1024 * 1024)
    parts = [packer.compress(b"<html><head><title>Bomb</title></head><body>")]
    parts += [packer.compress(zeros) for _ in range(BOMB_SIZE // len(zeros))]
    return b"".join([*parts, packer.flush()])


GZIP_BOMB = _bomb(16 + zlib.MAX_WBITS)
DEFLATE_BOMB = _bomb(zlib.MAX_WBITS)
NESTED_BOMB = gzip.compress(GZIP_BOMB, compresslevel=9)
try:
    import brotli  # type: ignore[import-untyped]

    BROTLI_BOMB: bytes | None = brotli.compress(b"0" * (8 * 1024 * 1024))
except ImportError:  # brotli is optional: the case is skipped without it
    BROTLI_BOMB = None


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    status: S
    detail: str | None = None
    budget: float = 3.0
    host: str = HOST
    tls: bool = False
    max_requests: int | None = None  # requests the server may see for this path


# ----------------------------------------------------------------- handlers


def ok(title: str = "Annual report 2014") -> Handler:
    async def handler(conn: Conn) -> None:
        await conn.respond(200, pages.article(title))

    return handler


def status(code: int, headers: list[tuple[str, str]] | None = None, body: bytes = b"x") -> Handler:
    async def handler(conn: Conn) -> None:
        await conn.respond(code, body, headers, reason="Whatever")

    return handler


def redirect(location: str | None, code: int = 302, extra: list | None = None) -> Handler:
    async def handler(conn: Conn) -> None:
        headers = [] if location is None else [("Location", location)]
        await conn.respond(code, b"", headers + (extra or []), reason="Found")

    return handler


def raw(data: bytes, then: str = "close") -> Handler:
    """Write `data` as is, then close (FIN), reset (RST) or hang."""

    async def handler(conn: Conn) -> None:
        await conn.send(data)
        if then == "reset":
            conn.reset()
        elif then == "hang":
            await asyncio.sleep(60)

    return handler


def html_page(
    body: bytes, headers: list[tuple[str, str]] | None = None, code: int = 200
) -> Handler:
    async def handler(conn: Conn) -> None:
        await conn.respond(code, body, headers)

    return handler


def encoded(body: bytes, encoding: str) -> Handler:
    async def handler(conn: Conn) -> None:
        headers = [("Content-Type", "text/html"), ("Content-Encoding", encoding)]
        await conn.respond(200, body, headers)

    return handler


async def two_locations(conn: Conn) -> None:
    head = "HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n"
    await conn.send(head.encode())


async def cookie_check(conn: Conn) -> None:
    if "visited=yes" in conn.cookie:
        await conn.respond(200, pages.article("The cited page behind a cookie check"))
        return
    headers = [("Location", conn.path), ("Set-Cookie", "visited=yes; Path=/")]
    await conn.respond(302, b"", headers, reason="Found")


async def cookie_never(conn: Conn) -> None:  # sets a cookie, then asks again for ever
    headers = [("Location", conn.path), ("Set-Cookie", f"n={conn.cookie.count('n')}; Path=/")]
    await conn.respond(302, b"", headers, reason="Found")


async def endless_redirects(conn: Conn) -> None:
    n = int(conn.path.rsplit("/", 1)[-1] or 0)
    await conn.respond(302, b"", [("Location", f"/endless-redirect/{n + 1}")], reason="Found")


async def slow_headers(conn: Conn) -> None:
    await asyncio.sleep(5)
    await conn.respond(200, pages.article("Too late"))


async def trickle_headers(conn: Conn) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
        await conn.send(bytes([byte]))
        await asyncio.sleep(0.1)


async def slow_body(conn: Conn) -> None:
    await conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(100):
        await conn.send(b"<p>slow</p>")
        await asyncio.sleep(0.3)


async def endless_body(conn: Conn) -> None:
    await conn.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><title>Endless</title>"
    )
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    while True:
        await conn.send(chunk)


async def huge_body(conn: Conn) -> None:
    head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10737418240\r\n\r\n"
    await conn.send(head.encode() + b"<html><title>Ten gigabytes</title>")
    chunk = b"<p>" + b"y" * 65536 + b"</p>"
    while True:
        await conn.send(chunk)


async def endless_headers(conn: Conn) -> None:
    await conn.send(b"HTTP/1.1 200 OK\r\n")
    n = 0
    while True:
        n += 1
        await conn.send(f"X-Header-{n}: {'v' * 100}\r\n".encode())


async def huge_header(conn: Conn) -> None:
    await conn.send(b"HTTP/1.1 200 OK\r\nX-Huge: " + b"h" * (4 * 1024 * 1024) + b"\r\n\r\n")


async def informational_storm(conn: Conn) -> None:
    await conn.send(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" * 2000)
    await conn.respond(200, pages.article("After the hints"))


async def informational_endless(conn: Conn) -> None:
    while True:
        await conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        await asyncio.sleep(0.001)


def retry_after_then_ok(code: int, value: str | None) -> Handler:
    """`code` with Retry-After `value`, then the page to every request for 20 s."""
    busy_until = [0.0]

    async def handler(conn: Conn) -> None:
        import time

        if time.monotonic() >= busy_until[0]:
            busy_until[0] = time.monotonic() + 20
            headers = [] if value is None else [("Retry-After", _when(value))]
            await conn.respond(code, b"busy", headers, reason="Busy")
        else:
            await conn.respond(200, pages.article("After waiting"))

    return handler


def _when(value: str) -> str:
    """A Retry-After value; "date+N" is an HTTP-date N seconds from now."""
    import time

    if value.startswith("date"):
        return formatdate(time.time() + float(value[4:]), usegmt=True)
    return value


async def to_v6_https(conn: Conn) -> None:
    await conn.respond(200, pages.article("Over IPv6"))


# ----------------------------------------------------------------- the table

HTTP_09 = b"<html><head><title>HTTP/0.9</title></head><body>No status line at all</body></html>"
NUL_PAGE = (
    b"<html><head><title>Control \x00 bytes</title></head><body><p>Text \x00\x01\x02\x1b[31m "
    b"with NUL\x00 and control bytes\x07\x08\x0b\x0c\x1f in it.</p>"
    + b"\x00" * 100
    + b"</body></html>"
)

ROUTES: dict[str, Handler] = {
    "/ok": ok(),
    "/gone": status(404),
    "/gone410": status(410),
    # redirects to what is not a web address (crashed the run)
    "/to-javascript": redirect("javascript:alert(document.cookie)"),
    "/to-data": redirect("data:text/html,<h1>hi</h1>"),
    "/to-file": redirect("file:///etc/passwd"),
    "/to-ftp": redirect("ftp://ftp.example.org/pub/report.pdf"),
    "/to-mailto": redirect("mailto:editor@example.org"),
    "/to-bad-ipv6": redirect("http://[::1/x"),
    "/to-bad-port": redirect("http://127.0.0.20:99999/x"),
    "/to-control-chars": redirect("/ok\x1b[31m"),
    "/to-relative": redirect("../ok", 301),
    # Location trouble (wrong verdicts)
    "/two-locations": two_locations,
    "/same-location-twice": raw(
        b"HTTP/1.1 301 Moved\r\nLocation: /ok\r\nLocation: /ok\r\nContent-Length: 0\r\n\r\n"
    ),
    "/no-location": redirect(None),
    "/empty-location": redirect(""),
    "/cookie-check": cookie_check,
    "/cookie-never": cookie_never,
    "/loop-a": redirect("/loop-b"),
    "/loop-b": redirect("/loop-a"),
    "/endless-redirect/": endless_redirects,
    "/meta-refresh": html_page(
        b'<html><head><meta http-equiv="refresh" content="0; url=/ok"><title>Moved</title>'
        b"</head><body>This page has moved.</body></html>"
    ),
    "/meta-refresh-dead": html_page(
        b"<html><head><meta http-equiv='Refresh' content='1;URL=/gone'></head></html>"
    ),
    "/meta-refresh-slow": html_page(
        b'<html><head><meta http-equiv="refresh" content="600"><title>Live scores</title>'
        b"</head><body>" + pages.words(300) + b"</body></html>"
    ),
    "/meta-refresh-javascript": html_page(
        b'<html><head><meta http-equiv="refresh" content="0; url=javascript:alert(1)">'
        b"<title>Odd</title></head><body>" + pages.words(200) + b"</body></html>"
    ),
    # bodies
    "/gzip-not-gzip": encoded(pages.article("Not gzip at all"), "gzip"),
    "/gzip-bomb": encoded(GZIP_BOMB, "gzip"),
    "/deflate-bomb": encoded(DEFLATE_BOMB, "deflate"),
    "/nested-bomb": encoded(NESTED_BOMB, "gzip, gzip"),
    "/unknown-encoding": encoded(pages.article("Compressed oddly"), "x-custom"),
    "/nul-bytes": html_page(NUL_PAGE),
    "/slow-headers": slow_headers,
    "/trickle-headers": trickle_headers,
    "/slow-body": slow_body,
    "/endless-body": endless_body,
    "/huge-body": huge_body,
    "/endless-headers": endless_headers,
    "/huge-header": huge_header,
    "/informational-storm": informational_storm,
    "/informational-endless": informational_endless,
    "/pdf": html_page(b"%PDF-1.7\n" + b"0" * 5000, [("Content-Type", "application/pdf")]),
    "/no-content": status(204, body=b""),
    # connections
    "/reset-before-headers": raw(b"", then="reset"),
    "/reset-after-headers": raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>",
        then="reset",
    ),
    "/close-before-headers": raw(b""),
    "/close-mid-headers": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/h"),
    "/close-mid-body": raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><p>"
    ),
    # protocol garbage (deterministic: never retried)
    "/http09": raw(HTTP_09),
    "/bad-status-line": raw(b"HTTP/1.1 abc Whatever\r\nContent-Length: 0\r\n\r\n"),
    "/garbage": raw(bytes(range(256)) * 4),
    "/status-600": raw(b"HTTP/1.1 600 Beyond\r\nContent-Length: 2\r\n\r\nhi"),
    "/header-no-colon": raw(
        b"HTTP/1.1 200 OK\r\nThis is not a header\r\nContent-Length: 0\r\n\r\n"
    ),
    "/header-nul": raw(b"HTTP/1.1 200 OK\r\nX-Bad: a\x00b\r\nContent-Length: 0\r\n\r\n"),
    "/conflicting-length": raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
        b"Content-Length: 50\r\n\r\n<html>"
    ),
    "/negative-length": raw(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello"),
    "/chunked-bad-size": raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\nhello\r\n0\r\n\r\n"
    ),
    "/chunked-truncated": raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1000\r\n<html><p>short"
    ),
    # politeness: Retry-After in every form
    "/ra-seconds": retry_after_then_ok(429, "1"),
    "/ra-date": retry_after_then_ok(429, "date+1"),
    "/ra-past-date": retry_after_then_ok(429, "date-3600"),
    "/ra-zero": retry_after_then_ok(429, "0"),
    "/ra-garbage": retry_after_then_ok(429, "soon, maybe"),
    "/ra-negative": retry_after_then_ok(429, "-5"),
    "/ra-fraction": retry_after_then_ok(429, "0.5"),
    "/ra-none": retry_after_then_ok(429, None),
    "/ra-503-seconds": retry_after_then_ok(503, "1"),
    "/ra-503-date": retry_after_then_ok(503, "date+1"),
    "/ra-long": status(429, [("Retry-After", "3600")]),
    "/ra-long-date": status(429, [("Retry-After", formatdate(4102444800, usegmt=True))]),
    "/ra-huge": status(429, [("Retry-After", "9" * 40)]),
    "/ra-503-long": status(503, [("Retry-After", "86400")]),
    "/always-429": status(429, [("Retry-After", "1")]),
    "/always-503": status(503),
    "/always-500": status(500),
    "/status-408": status(408),
    "/to-v6": to_v6_https,
}
ROUTES.update(pages.WALL_ROUTES)

U = S.UNREACHABLE
CASES: list[Case] = [
    Case("plain page", "/ok", S.ALIVE),
    Case("404", "/gone", S.DEAD, "404"),
    Case("410", "/gone410", S.DEAD, "410"),
    Case("redirect to javascript:", "/to-javascript", U, "non-web address", max_requests=1),
    Case("redirect to data:", "/to-data", U, "non-web address", max_requests=1),
    Case("redirect to file:", "/to-file", U, "non-web address", max_requests=1),
    Case("redirect to ftp:", "/to-ftp", U, "non-web address", max_requests=1),
    Case("redirect to mailto:", "/to-mailto", U, "non-web address", max_requests=1),
    Case("redirect to a broken IPv6 URL", "/to-bad-ipv6", U, "malformed"),
    Case("redirect to port 99999", "/to-bad-port", U, "malformed"),
    Case("redirect with control characters", "/to-control-chars", U, "malformed"),
    Case("relative redirect", "/to-relative", S.REDIRECTED),
    Case("two different Location headers", "/two-locations", U, "two", max_requests=1),
    Case("the same Location twice", "/same-location-twice", S.REDIRECTED),
    Case("302 without Location", "/no-location", U, "without a target", max_requests=1),
    Case("302 with empty Location", "/empty-location", U, "without a target", max_requests=1),
    Case("cookie check (302 to itself)", "/cookie-check", S.ALIVE, max_requests=2),
    Case("cookie check that never ends", "/cookie-never", U, "loop"),
    Case("redirect loop", "/loop-a", U, "loop"),
    Case("endless redirects", "/endless-redirect/0", U, "redirects"),
    Case("meta refresh", "/meta-refresh", S.REDIRECTED, "meta refresh"),
    Case("meta refresh to a 404", "/meta-refresh-dead", S.DEAD),
    Case("slow meta refresh (a reload)", "/meta-refresh-slow", S.ALIVE),
    Case("meta refresh to javascript:", "/meta-refresh-javascript", S.ALIVE),
    Case("gzip header, body not gzip", "/gzip-not-gzip", U, "protocol", max_requests=1),
    Case("gzip bomb (64 MB of zeros)", "/gzip-bomb", S.ALIVE),
    Case("deflate bomb", "/deflate-bomb", S.ALIVE),
    Case("nested gzip bomb", "/nested-bomb", S.ALIVE),
    Case("unknown Content-Encoding", "/unknown-encoding", S.ALIVE),
    Case("NUL and control bytes in HTML", "/nul-bytes", S.ALIVE),
    Case("slow headers (5 s)", "/slow-headers", U, "timeout", budget=3.0),
    Case("headers a byte at a time", "/trickle-headers", U, "timeout", budget=3.0),
    Case("slow body", "/slow-body", U, "timeout", budget=3.0),
    Case("endless body", "/endless-body", S.ALIVE),
    Case("10 GB Content-Length", "/huge-body", S.ALIVE),
    Case("endless headers", "/endless-headers", U, budget=3.0),
    Case("4 MB header", "/huge-header", U, budget=3.0),
    Case("2,000 1xx responses, then 200", "/informational-storm", S.ALIVE),
    Case("endless 100 Continue", "/informational-endless", U, budget=3.0),
    Case("a PDF (body not read)", "/pdf", S.ALIVE),
    Case("204 No Content", "/no-content", S.ALIVE),
    Case("reset before headers", "/reset-before-headers", U, budget=3.0),
    Case("reset after headers", "/reset-after-headers", U, budget=3.0),
    Case("closed before headers", "/close-before-headers", U, budget=3.0),
    Case("closed in the headers", "/close-mid-headers", U, budget=3.0),
    Case("closed in the body", "/close-mid-body", U, budget=3.0),
    Case("HTTP/0.9 answer", "/http09", U, "protocol", max_requests=1),
    Case("garbage status line", "/bad-status-line", U, "protocol", max_requests=1),
    Case("binary garbage", "/garbage", U, max_requests=1),
    Case("status 600", "/status-600", U),
    Case("header without a colon", "/header-no-colon", U, max_requests=1),
    Case("NUL in a header", "/header-nul", U, max_requests=1),
    Case("conflicting Content-Length", "/conflicting-length", U, "protocol", max_requests=1),
    Case("negative Content-Length", "/negative-length", U, max_requests=1),
    Case("bad chunk size", "/chunked-bad-size", U, max_requests=1),
    Case("chunked body cut short", "/chunked-truncated", U, budget=3.0),
    Case("429 Retry-After: 1", "/ra-seconds", S.ALIVE, budget=3.0),
    Case("429 Retry-After: HTTP-date", "/ra-date", S.ALIVE, budget=4.0),
    Case("429 Retry-After: a past date", "/ra-past-date", S.ALIVE),
    Case("429 Retry-After: 0", "/ra-zero", S.ALIVE),
    Case("429 Retry-After: garbage", "/ra-garbage", S.ALIVE, budget=3.0),
    Case("429 Retry-After: -5", "/ra-negative", S.ALIVE, budget=3.0),
    Case("429 Retry-After: 0.5", "/ra-fraction", S.ALIVE, budget=3.0),
    Case("429 without Retry-After", "/ra-none", S.ALIVE, budget=3.0),
    Case("503 Retry-After: 1", "/ra-503-seconds", S.ALIVE, budget=3.0),
    Case("503 Retry-After: HTTP-date", "/ra-503-date", S.ALIVE, budget=4.0),
    Case("429 Retry-After: 3600", "/ra-long", U, "over the cap", budget=1.5, max_requests=1),
    Case("429 Retry-After: a date in 2100", "/ra-long-date", U, "over the cap", budget=1.5),
    Case("429 Retry-After: 40 nines", "/ra-huge", U, "over the cap", budget=1.5),
    Case("503 Retry-After: a day", "/ra-503-long", U, "over the cap", budget=1.5),
    Case("always 429", "/always-429", S.DENIED, "429", budget=4.0),
    Case("always 503", "/always-503", U, "503", budget=4.0, max_requests=2),
    Case("always 500", "/always-500", U, "500", budget=3.0, max_requests=2),
    Case("408", "/status-408", U, "408", budget=3.0, max_requests=2),
]
CASES += pages.wall_cases()
