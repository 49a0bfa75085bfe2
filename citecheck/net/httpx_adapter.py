"""httpx's API over the guarded aiohttp sessions: the archives and identifier services are
written against `httpx.AsyncClient` (get/post/stream, headers, follow_redirects); their
client's transport is this adapter over a `net.web.GuardedTransport`, so the address guard,
the proxies and the connection limits are the link checker's own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import httpx
from multidict import CIMultiDict

from citecheck.net.web import GuardedTransport

_DROPPED = (b"host", b"transfer-encoding")  # aiohttp writes its own


class HttpxTransport(httpx.AsyncBaseTransport):
    """An httpx transport sending every request through `web` (redirects are httpx's)."""

    def __init__(self, web: GuardedTransport) -> None:
        self.web = web

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        data = await request.aread()
        headers = CIMultiDict(
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in request.headers.raw
            if k.lower() not in _DROPPED
        )
        try:
            async with asyncio.timeout(_total(request)):
                response = await self.web.open(
                    str(request.url), headers, method=request.method, data=data or None
                )
        except Exception as exc:
            raise httpx_error(exc, request) from exc
        version = response.version
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_Body(response, request),
            request=request,
            extensions={
                "http_version": f"HTTP/{version.major}.{version.minor}".encode()
                if version
                else b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )

    async def aclose(self) -> None:
        await self.web.aclose()


class _Body(httpx.AsyncByteStream):
    """An aiohttp response body as an httpx stream; closing hands the connection back."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except Exception as exc:
            self._response.close()
            raise httpx_error(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


def httpx_error(exc: BaseException, request: httpx.Request) -> Exception:
    """The httpx exception for an aiohttp (or guard) failure (raise it `from exc`: callers
    read the cause chain)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, TimeoutError):  # aiohttp's timeouts are TimeoutErrors too
        kind: type[httpx.TransportError] = (
            httpx.ConnectTimeout
            if isinstance(exc, aiohttp.ConnectionTimeoutError)
            else httpx.ReadTimeout
        )
        return kind(text, request=request)
    if isinstance(exc, ConnectionError | aiohttp.ClientConnectorError):
        return httpx.ConnectError(text, request=request)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(text, request=request)
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol(text, request=request)
    if isinstance(exc, OSError | aiohttp.ClientPayloadError):
        return httpx.ReadError(text, request=request)
    return httpx.TransportError(text, request=request)


def _total(request: httpx.Request) -> float | None:
    """The longest an httpx request may take to get its headers (httpx's own timeouts are
    per phase; aiohttp's connect timeout is set on the session)."""
    timeouts = request.extensions.get("timeout") or {}
    values = [v for v in (timeouts.get("connect"), timeouts.get("read")) if v is not None]
    return sum(values) if values else None
