"""Whatever goes wrong checking one URL is that URL's result; the run goes on."""

from __future__ import annotations

import ssl

import pytest

from citecheck.checkers import page as page_module
from citecheck.models import LinkStatus as S
from tests.hostile import matrix
from tests.hostile.behaviours import HOST, ROUTES
from tests.hostile.rawweb import Conn, RawWeb


async def _explosive(conn: Conn) -> None:
    await conn.respond(200, b"<html><title>EXPLODE</title><p>boom</p></html>")


def test_an_exception_in_our_code_is_that_urls_result(
    hostile_web: RawWeb, hostile_tls: ssl.SSLContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ROUTES["/explosive"] = _explosive
    real = page_module.read_page

    def read_page(body: bytes, charset: str | None):  # type: ignore[no-untyped-def]
        if b"EXPLODE" in body:
            raise RuntimeError("a bug in the page reader")
        return real(body, charset)

    monkeypatch.setattr(page_module, "read_page", read_page)
    bad = hostile_web.url(HOST, "/explosive")
    good = [hostile_web.url(HOST, f"/ok?n={i}") for i in range(20)]
    run = matrix.check([bad, *good], hostile_tls)
    result = run.results[bad]
    assert result.status is S.UNREACHABLE
    assert "RuntimeError" in (result.detail or "") and "page reader" in (result.detail or "")
    assert [run.results[u].status for u in good] == [S.ALIVE] * 20


def test_three_hundred_citations_with_the_crashers_among_them(
    hostile_web: RawWeb, hostile_tls: ssl.SSLContext
) -> None:
    crashers = [
        hostile_web.url(HOST, p)
        for p in ("/to-javascript", "/to-data", "/gzip-not-gzip", "/nul-bytes", "/two-locations")
    ]
    port = hostile_web.ports[HOST]
    crashers += [
        "http://\u2603.net/",
        f"http://\uff11\uff12\uff17.\uff10.\uff10.\uff12\uff10:{port}/ok",
        hostile_web.url("::1", "/ok"),
    ]
    good = [hostile_web.url(HOST, f"/ok?citation={i}") for i in range(300 - len(crashers))]
    run = matrix.check(good + crashers, hostile_tls, per_host=8)
    assert len(run.results) == 300
    assert all(run.results[u].status is S.ALIVE for u in good)
    assert {u: run.results[u].status for u in crashers if run.results[u].status is S.DEAD} == {}
