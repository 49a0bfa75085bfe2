"""The guarded HTTP/1.1 transport against a raw loopback server that scripts each answer
byte by byte (keep-alive, stale connections, body framings, 1xx, the address guard)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from citecheck.checkers import check_links
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_client, make_transport
from citecheck.settings import Settings
from tests.conftest import hermetic_resolver

HOST = "127.0.0.31"
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


class RawServer:
    """Answers every request on a connection with `script(n, head)` (n: requests so far on
    it, head: the request line and headers; None: close the connection without answering);
    `close_after` answers per connection, then the server closes it."""

    def __init__(self, script=lambda n, head: OK, close_after: int | None = None):
        self.script = script
        self.close_after = close_after
        self.connections = 0
        self.requests = 0

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._handle, HOST, 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    async def _handle(self, reader, writer):
        self.connections += 1
        served = 0
        try:
            while self.close_after is None or served < self.close_after:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    break
                self.requests += 1
                served += 1
                answer = self.script(served, head)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def settings(**kw) -> Settings:
    return Settings(
        **{
            "timeout": 2.0,
            "retries": 0,
            "canaries": (),
            "allow_networks": ("127.0.0.0/8",),
            "per_host": 2,
            **kw,
        }
    )


async def get_all(urls, *, sequential: bool, **kw) -> list[httpx.Response]:
    client = make_client(settings(**kw))

    async def get(url):
        response = await client.get(url)
        return response

    try:
        async with asyncio.timeout(10):
            if sequential:
                return [await get(u) for u in urls]
            return await asyncio.gather(*(get(u) for u in urls))
    finally:
        await client.aclose()


def run(coro):
    return asyncio.run(coro)


def test_keep_alive_reuses_one_connection():
    async def main():
        async with RawServer() as server:
            answers = await get_all([server.url(f"/{i}") for i in range(20)], sequential=True)
            return server, answers

    server, answers = run(main())
    assert [a.status_code for a in answers] == [200] * 20 and answers[0].text == "ok"
    assert server.requests == 20 and server.connections == 1


def test_concurrent_requests_stay_within_per_host_connections():
    async def main():
        async with RawServer() as server:
            await get_all([server.url(f"/{i}") for i in range(12)], sequential=False, per_host=3)
            return server

    server = run(main())
    assert server.requests == 12 and 1 <= server.connections <= 3


def test_stale_keep_alive_connection_is_retried_on_a_fresh_one():
    # The server takes the second request on a kept-alive connection and hangs up without
    # answering (as one does that closed it at that very moment): the request goes again on
    # a fresh connection instead of failing.
    async def main():
        async with RawServer(lambda n, head: OK if n == 1 else None) as server:
            answers = await get_all([server.url(f"/{i}") for i in range(3)], sequential=True)
            return server, answers

    server, answers = run(main())
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert server.requests == 5 and server.connections == 3  # 3 answered, 2 dropped


def test_fresh_connection_hung_up_on_is_an_error_after_one_retry_at_most():
    # aiohttp sends an idempotent request once more after a hang-up (RFC 9112 9.3.1), never
    # more: a server that always hangs up costs two requests, then a protocol error.
    async def main():
        async with RawServer(lambda n, head: None) as server:
            with pytest.raises(httpx.RemoteProtocolError, match="disconnected"):
                await get_all([server.url("/x")], sequential=True)
            return server

    server = run(main())
    assert 1 <= server.requests <= 2 and server.requests == server.connections


def test_connections_closed_by_the_server_are_not_reused():
    async def main():
        async with RawServer(close_after=1) as server:  # closes after each answer
            client = make_client(settings())
            try:
                for i in range(3):
                    assert (await client.get(server.url(f"/{i}"))).status_code == 200
                    await asyncio.sleep(0.05)  # time to see the close
            finally:
                await client.aclose()
            return server

    server = run(main())
    assert server.requests == 3 and server.connections == 3


@pytest.mark.parametrize(
    "answer, body",
    [
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            b"abcde",
        ),
        (b"HTTP/1.1 100 Continue\r\n\r\n" + OK, b"ok"),
        (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", b"until the end"),
    ],
)
def test_body_framings(answer, body):
    async def main():
        close = 1 if answer.startswith(b"HTTP/1.0") else None  # HTTP/1.0: body ends at close
        async with RawServer(lambda n, head: answer, close_after=close) as server:
            return await get_all([server.url("/a"), server.url("/b")], sequential=True)

    answers = run(main())
    assert [a.content for a in answers] == [body, body]


def test_garbage_answer_is_unreachable_not_dead():
    async def main():
        async with RawServer(lambda n, head: b"SPDY/9 what\r\n\r\n") as server:
            return await asyncio.to_thread(
                check_links, [server.url("/x")], settings(), transport=make_transport(settings())
            )

    result = run(main()).results
    (only,) = result.values()
    assert only.status is S.UNREACHABLE and "protocol" in only.detail


def test_ipv6_loopback_literal_is_refused_before_any_connection():
    url = "http://[::1]:9/report"
    result = check_links([url], Settings(timeout=1.0, retries=0, canaries=()))
    (only,) = result.results.values()
    assert only.url == "http://[::1]:9/report"
    assert only.status is S.SKIPPED and "loopback" in only.detail


def test_international_domain_name_is_looked_up_in_its_ascii_form():
    url = "http://b\u00fccher.invalid/x"
    s = Settings(timeout=2.0, retries=0, canaries=())
    resolver = hermetic_resolver()
    result = check_links([url], s, transport=make_transport(s, resolver=resolver))
    (only,) = result.results.values()
    assert resolver.asked == ["xn--bcher-kva.invalid"]
    assert only.status is S.DEAD and "xn--bcher-kva.invalid" in only.detail


def cookie_check(heads: list):
    """/x/N sets a cookie and sends to /check/N, which wants it back (else back to /x/N)."""

    def answer(n, head: bytes) -> bytes:
        heads.append(head)
        target = head.split(b" ", 2)[1].decode()
        name = target.rsplit("/", 1)[-1].encode()
        if target.startswith("/x/"):
            return (
                b"HTTP/1.1 302 Found\r\nSet-Cookie: seen=" + name + b"; Path=/\r\n"
                b"Location: /check/" + name + b"\r\nContent-Length: 0\r\n\r\n"
            )
        if not target.startswith("/check/"):  # e.g. the soft-404 probe
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        if b"cookie: seen=" + name in head.lower():
            return OK.replace(b"text/plain", b"text/html")
        return b"HTTP/1.1 302 Found\r\nLocation: /x/" + name + b"\r\nContent-Length: 0\r\n\r\n"

    return answer


def test_cookies_follow_their_own_redirect_chain_only():
    heads: list[bytes] = []

    async def main():
        async with RawServer(cookie_check(heads)) as server:
            urls = [server.url("/x/1"), server.url("/x/2")]
            one_at_a_time = settings(per_host=1)
            run = await asyncio.to_thread(
                check_links, urls, one_at_a_time, transport=make_transport(one_at_a_time)
            )
            return urls, run.results

    urls, results = run(main())
    for url in urls:  # the cookie-check redirect works: the chain carries its cookie
        assert results[url].status is S.REDIRECTED and results[url].http_status == 200
    second = [h for h in heads if h.split(b" ", 2)[1].endswith(b"/2")]
    assert len(second) == 2 and not any(b"seen=1" in h for h in second)  # no shared jar
