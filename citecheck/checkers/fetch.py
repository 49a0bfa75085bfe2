"""Fetching one URL: GET, redirects followed by hand (every hop recorded), body capped.

Returns a `Fetch` (facts) whatever happens; exceptions are turned into error classes here.
"""

from __future__ import annotations

import asyncio
import errno
import ssl
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import aiohttp

from citecheck.checkers.facts import Fetch, FetchError, Page
from citecheck.checkers.walls import header_wall
from citecheck.controls import has_controls
from citecheck.net.errors import (
    AddressRefused,
    LookupFailed,
    NameNotFound,
    ProxyRefused,
    ProxyUnreachable,
)
from citecheck.net.guard import AddressPolicy, url_refusal
from citecheck.net.hosts import RETRY_AFTER_CAP, GlobalSlots, Host, parse_retry_after
from citecheck.urls import ascii_url

if TYPE_CHECKING:
    from citecheck.net.web import GuardedTransport

BODY_CAP = 2 * 1024 * 1024  # bytes of (decoded) HTML read for title, cues and fingerprint
DRAIN_CAP = 64 * 1024  # small non-HTML bodies are read to keep the connection alive
MAX_REDIRECTS = 10
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
BACKOFF_NO_HEADER = 1.0  # host back-off on 429/503 without Retry-After
LOCAL_LIMITS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS})
_CLOSE = {"Connection": "close"}  # a host's last requests: no idle connection left behind


@dataclass
class FetchContext:
    """What every fetch of a run shares: the transport, politeness state and limits."""

    transport: GuardedTransport
    policy: AddressPolicy
    timeout: float
    global_slots: GlobalSlots
    per_host: int
    hosts: dict[str, Host]
    retry_after_cap: float = RETRY_AFTER_CAP

    def host(self, url: str) -> Host:
        name = urlsplit(url).hostname or ""
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = Host(name, self.per_host)
        return host


async def fetch(ctx: FetchContext, url: str, *, read_body: bool = True, pdf: bool = False) -> Fetch:
    """One attempt at `url` (all hops), bounded by the run's total timeout from the moment
    its first request may start (waiting for a turn on a busy host is not the host's fault).
    With `pdf`, a PDF answer is read to count its pages (a cited `#page=N`)."""
    return await _follow(ctx, url, read_body, pdf)


async def _follow(ctx: FetchContext, url: str, read_body: bool, pdf: bool = False) -> Fetch:
    hops: list[tuple[int, str]] = []
    cookies: dict[tuple[str, str], str] = {}  # set by this chain's redirects, for its hops
    # A hop is a loop only when it asks for a URL already asked for *with the same cookies*:
    # the usual cookie check (302 to itself with Set-Cookie) is followed once more.
    seen = {(url, frozenset(cookies.items()))}
    current = url
    clock = _Deadline(ctx.timeout)
    while True:
        refusal = url_refusal(current, ctx.policy)
        if refusal:
            return Fetch(
                url,
                final_url=current,
                hops=tuple(hops),
                error=FetchError.GUARD,
                error_detail=refusal,
            )
        step = await _request(ctx, current, read_body, cookies, clock, pdf)
        target, code = _next_hop(step)
        if target is None:
            return replace(step, url=url, hops=tuple(hops), final_url=step.final_url or current)
        hops.append((code, target))
        key = (target, frozenset(cookies.items()))
        if key in seen:
            return Fetch(
                url,
                status=step.status,
                final_url=target,
                hops=tuple(hops),
                error=FetchError.REDIRECT_LOOP,
                error_detail="redirect loop",
            )
        if len(hops) >= MAX_REDIRECTS:
            return Fetch(
                url,
                status=step.status,
                final_url=target,
                hops=tuple(hops),
                error=FetchError.TOO_MANY_REDIRECTS,
                error_detail=f"more than {MAX_REDIRECTS} redirects",
            )
        seen.add(key)
        current = target


def _next_hop(step: Fetch) -> tuple[str | None, int]:
    """Where a step sends the reader on (a redirect, or a page that is only an immediate
    meta refresh), with the code recorded for the hop; (None, 0) when it ends the chain."""
    if step.error is not None or step.status is None:
        return None, 0
    if step.status in REDIRECT_CODES:
        return step.final_url, step.status
    refresh = step.page.refresh if step.page is not None else None
    if refresh is None or not 200 <= step.status < 300:
        return None, 0
    target, _ = _join(step.final_url or step.url, refresh)
    if target is None or target == step.final_url:
        return None, 0  # a refresh to nowhere or to itself leaves the reader on the page
    return target, step.status


class _Deadline:
    """When a fetch's time is up: `seconds` after its first request got its turn."""

    __slots__ = ("answered", "at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None
        self.answered = False  # a response head arrived: the host is up, if slow

    def start(self) -> float:
        if self.at is None:
            self.at = asyncio.get_running_loop().time() + self.seconds
        return self.at


async def _request(
    ctx: FetchContext,
    url: str,
    read_body: bool,
    cookies: dict[tuple[str, str], str],
    clock: _Deadline,
    pdf: bool = False,
) -> Fetch:
    """One request to one host, inside its politeness limits; `final_url` is the redirect
    target when the answer is a redirect."""
    host = ctx.host(url)
    async with host.slot:
        await host.wait_turn()
        async with ctx.global_slots.held(host):
            host.in_flight += 1
            try:
                async with asyncio.timeout_at(clock.start()):
                    return await _send(ctx, host, url, read_body, cookies, clock, pdf)
            except TimeoutError:
                detail = f"no answer within {ctx.timeout:g} s"
                return Fetch(
                    url, error=FetchError.TIMEOUT, error_detail=detail, answered=clock.answered
                )
            except zlib.error as exc:
                detail = f"protocol error: the body does not decode as its Content-Encoding ({exc})"
                return Fetch(url, error=FetchError.PROTOCOL, error_detail=detail)
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                return _error_fact(url, exc)
            finally:
                host.in_flight -= 1


async def _send(
    ctx: FetchContext,
    host: Host,
    url: str,
    read_body: bool,
    cookies: dict[tuple[str, str], str],
    clock: _Deadline,
    pdf: bool = False,
) -> Fetch:
    headers = _CLOSE if host.remaining <= 0 else None
    if cookies:
        headers = {**(headers or {}), "Cookie": _cookie_header(cookies, host.name)}
    response = await ctx.transport.open(ascii_url(url), headers)
    clock.answered = True
    try:
        status = response.status
        found = response.headers
        if status in REDIRECT_CODES:
            await _drain(response)
            for name, morsel in response.cookies.items():
                cookies[(host.name, name)] = morsel.value
            target = _redirect_target(url, found.getall("location", []))
            if isinstance(target, Fetch):
                return replace(target, status=status)
            return Fetch(url, status=status, final_url=target)
        retry_after, too_long = None, False
        if status in (429, 503):
            retry_after = parse_retry_after(found.get("retry-after"))
            too_long = retry_after is not None and retry_after > ctx.retry_after_cap
            if not too_long:
                host.back_off(BACKOFF_NO_HEADER if retry_after is None else retry_after)
        content_type = found.get("content-type", "")
        page, pages = None, None
        if read_body and 200 <= status < 300 and _is_html(content_type):
            page = await _read_page(response, content_type)
        elif pdf and read_body and 200 <= status < 300 and _is_pdf(content_type):
            pages = await _count_pages(response)
        else:
            await _drain(response)
        return Fetch(
            url,
            status=status,
            final_url=url,
            content_type=content_type or None,
            cf_mitigated=found.get("cf-mitigated"),
            wall=header_wall(found) or (page.wall if page is not None else None),
            retry_after=retry_after,
            retry_after_too_long=too_long,
            page=page,
            pdf_pages=pages,
        )
    finally:
        response.release()


WEB_SCHEMES = ("http", "https")


def _redirect_target(url: str, locations: list[str]) -> str | Fetch:
    """The URL a redirect sends the reader to, or the Fetch error it amounts to: no
    target, two different targets, a target that is not a web address or not a URL."""
    values = list(dict.fromkeys(v.strip() for v in locations if v.strip()))
    if not values:
        return Fetch(url, error=FetchError.BAD_REDIRECT, error_detail="redirect without a target")
    if len(values) > 1:
        return Fetch(
            url,
            error=FetchError.PROTOCOL,
            error_detail="protocol error: a redirect with two different Location headers",
        )
    target, problem = _join(url, values[0])
    if target is None:
        return Fetch(url, error=FetchError.BAD_REDIRECT, error_detail=problem)
    return target


def _join(base: str, location: str) -> tuple[str | None, str]:
    """(`location` resolved against `base` without its fragment, "") or (None, why not):
    not a URL of the web (javascript:, data:, file:, ftp:, mailto:...), or malformed."""
    from citecheck.urls import url_problem

    if has_controls(location) or any(c.isspace() for c in location.strip()):
        return None, "redirects to a malformed URL"
    try:
        target = urljoin(base, location).split("#", 1)[0]
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        return None, "redirects to a malformed URL"
    if scheme not in WEB_SCHEMES:
        return None, f"redirects to a non-web address ({scheme or 'no'}: URL)"
    problem = url_problem(target)
    if problem:
        return None, f"redirects to a malformed URL ({problem})"
    return target, ""


def _cookie_header(cookies: dict[tuple[str, str], str], host: str) -> str:
    return "; ".join(f"{name}={value}" for (where, name), value in cookies.items() if where == host)


def _is_html(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("", "text/html", "application/xhtml+xml")


def _is_pdf(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("application/pdf", "application/x-pdf", "application/octet-stream")


async def _count_pages(response: aiohttp.ClientResponse) -> int | None:
    """The page count of a PDF body of at most anchors.PDF_CAP bytes (None: larger, encoded,
    or not a PDF)."""
    from citecheck.checkers.anchors import PDF_CAP, pdf_pages

    if response.headers.get("content-encoding", "identity").lower() != "identity":
        response.close()
        return None
    chunks, size = [], 0
    async for chunk in response.content.iter_any():
        chunks.append(chunk)
        size += len(chunk)
        if size > PDF_CAP:
            response.close()
            return None
    body = b"".join(chunks)
    return await asyncio.to_thread(pdf_pages, body) if body.startswith(b"%PDF") else None


async def _drain(response: aiohttp.ClientResponse) -> None:
    """Read a small body so the connection can be reused; leave big ones (closing drops
    the connection, cheaper than downloading)."""
    length = response.content_length
    if length is None or length > DRAIN_CAP:
        response.close()
        return
    await response.content.read()


async def _read_page(response: aiohttp.ClientResponse, content_type: str) -> Page | None:
    """Read and decode at most BODY_CAP bytes of HTML (decompressing ourselves, with a limit,
    so that a gzip bomb, nested or not, costs BODY_CAP and no more)."""
    from citecheck.checkers.page import read_page

    decoders = _decoders(response.headers.get("content-encoding", ""))
    if decoders is None:
        response.close()
        return None  # an encoding we did not ask for: the page cannot be read
    chunks, size = [], 0
    async for raw in response.content.iter_any():
        data = raw
        for decoder in decoders:
            data = decoder.decompress(decoder.unconsumed_tail + data, BODY_CAP)
        data = data[: BODY_CAP - size]
        chunks.append(data)
        size += len(data)
        if size >= BODY_CAP:
            response.close()  # the rest is not read: the connection cannot be reused
            break
    return read_page(b"".join(chunks), _charset(content_type))


def _decoders(header: str) -> list[zlib._Decompress] | None:
    """zlib decompressors undoing the Content-Encoding (listed in the order applied, so
    undone last to first); [] for identity, None when one is not gzip or deflate."""
    out = []
    for encoding in reversed([e.strip().lower() for e in header.split(",") if e.strip()]):
        if encoding == "identity":
            continue
        if encoding in ("gzip", "x-gzip"):
            out.append(zlib.decompressobj(16 + zlib.MAX_WBITS))
        elif encoding == "deflate":
            out.append(zlib.decompressobj(32 + zlib.MAX_WBITS))  # zlib or gzip header
        else:
            return None
    return out


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            import codecs

            try:
                return codecs.lookup(value.strip("\"'")).name
            except LookupError:
                return None
    return None


def _error_fact(url: str, exc: BaseException) -> Fetch:
    return Fetch(url, error=FetchError(classify_error(exc)), error_detail=_short(exc))


def classify_error(exc: BaseException) -> FetchError:
    """The error class (facts.FetchError) of a transport exception, from its cause chain."""
    chain = _chain(exc)
    for cause in chain:
        if isinstance(cause, AddressRefused):
            return FetchError.GUARD
        if isinstance(cause, NameNotFound):
            return FetchError.NO_SUCH_NAME
        if isinstance(cause, LookupFailed):
            return FetchError.DNS_FAILED
        if isinstance(cause, ProxyRefused | ProxyUnreachable):
            return FetchError.CONNECT
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return FetchError.TLS
        if isinstance(cause, ConnectionRefusedError):
            return FetchError.REFUSED
        if isinstance(cause, OSError) and cause.errno in LOCAL_LIMITS:
            return FetchError.LOCAL_LIMIT
    return _classify_aiohttp(exc)


def _classify_aiohttp(exc: BaseException) -> FetchError:
    if isinstance(exc, TimeoutError):
        return FetchError.TIMEOUT
    if isinstance(exc, aiohttp.ClientConnectorError):
        return FetchError.CONNECT
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return FetchError.RESET
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError | ValueError):
        return FetchError.BAD_URL
    if isinstance(exc, aiohttp.ClientResponseError):
        return FetchError.PROTOCOL  # a status line or header the parser refused
    if isinstance(exc, OSError):
        return FetchError.RESET
    return FetchError.PROTOCOL


def _chain(exc: BaseException) -> list[BaseException]:
    out, seen = [], set()
    stack: list[BaseException | None] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        out.append(item)
        stack.extend((item.__cause__, item.__context__))
        stack.extend(getattr(item, "exceptions", ()))
        os_error = getattr(item, "os_error", None)  # aiohttp's connector errors
        if isinstance(os_error, BaseException):
            stack.append(os_error)
    return out


def _short(exc: BaseException) -> str:
    for cause in _chain(exc):
        if isinstance(cause, AddressRefused | NameNotFound | LookupFailed):
            return str(cause)
        if isinstance(cause, ProxyRefused | ProxyUnreachable):
            return str(cause)
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLCertVerificationError) and hasattr(cause, "verify_message"):
            return f"TLS: {cause.verify_message or cause.reason}"
        if isinstance(cause, OSError) and cause.errno in LOCAL_LIMITS:
            return f"this machine: {cause.strerror or cause}"
    text = _aiohttp_text(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _aiohttp_text(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"{exc.message}" if exc.message else ""
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "server disconnected without sending a response"
    return str(exc)
