"""Fetching one URL: GET, redirects followed by hand (every hop recorded), body capped.

Returns a `Fetch` (facts) whatever happens; exceptions are turned into error classes here.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import httpx

from citecheck.checkers.facts import Fetch, Page
from citecheck.checkers.walls import header_wall
from citecheck.controls import has_controls
from citecheck.net.errors import AddressRefused, LookupFailed, NameNotFound
from citecheck.net.guard import AddressPolicy, url_refusal
from citecheck.net.hosts import RETRY_AFTER_CAP, Host, parse_retry_after
from citecheck.urls import ascii_url

BODY_CAP = 2 * 1024 * 1024  # bytes of (decoded) HTML read for title, cues and fingerprint
DRAIN_CAP = 64 * 1024  # small non-HTML bodies are read to keep the connection alive
MAX_REDIRECTS = 10
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
BACKOFF_NO_HEADER = 1.0  # host back-off on 429/503 without Retry-After


@dataclass
class FetchContext:
    """What every fetch of a run shares: the client, politeness state and limits."""

    client: httpx.AsyncClient
    policy: AddressPolicy
    timeout: float
    global_slots: asyncio.Semaphore
    per_host: int
    hosts: dict[str, Host]
    retry_after_cap: float = RETRY_AFTER_CAP

    def host(self, url: str) -> Host:
        name = urlsplit(url).hostname or ""
        host = self.hosts.get(name)
        if host is None:
            host = self.hosts[name] = Host(name, self.per_host)
        return host


async def fetch(ctx: FetchContext, url: str, *, read_body: bool = True) -> Fetch:
    """One attempt at `url` (all hops); each request is bounded by the run's timeout, the
    politeness waits before it are not (a Retry-After is not a slow server)."""
    return await _follow(ctx, url, read_body)


async def _follow(ctx: FetchContext, url: str, read_body: bool) -> Fetch:
    hops: list[tuple[int, str]] = []
    cookies = httpx.Cookies()  # set by this chain's redirects, sent on its next hops only
    # A hop is a loop only when it asks for a URL already asked for *with the same cookies*:
    # the usual cookie check (302 to itself with Set-Cookie) is followed once more.
    seen = {(url, _jar_state(cookies))}
    current = url
    while True:
        refusal = url_refusal(current, ctx.policy)
        if refusal:
            return Fetch(
                url, final_url=current, hops=tuple(hops), error="guard", error_detail=refusal
            )
        step = await _request(ctx, current, read_body, cookies)
        target, code = _next_hop(step)
        if target is None:
            return replace(step, url=url, hops=tuple(hops), final_url=step.final_url or current)
        hops.append((code, target))
        key = (target, _jar_state(cookies))
        if key in seen:
            return Fetch(
                url,
                status=step.status,
                final_url=target,
                hops=tuple(hops),
                error="redirect-loop",
                error_detail="redirect loop",
            )
        if len(hops) >= MAX_REDIRECTS:
            return Fetch(
                url,
                status=step.status,
                final_url=target,
                hops=tuple(hops),
                error="too-many-redirects",
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


def _jar_state(cookies: httpx.Cookies) -> frozenset[tuple[str, str, str]]:
    return frozenset((c.name, c.value or "", c.domain) for c in cookies.jar)


async def _request(ctx: FetchContext, url: str, read_body: bool, cookies: httpx.Cookies) -> Fetch:
    """One request to one host, inside its politeness limits; `final_url` is the redirect
    target when the answer is a redirect."""
    host = ctx.host(url)
    async with host.slot:
        await host.wait_turn()
        async with ctx.global_slots:
            host.in_flight += 1
            try:
                async with asyncio.timeout(ctx.timeout):
                    return await _send(ctx, host, url, read_body, cookies)
            except TimeoutError:
                detail = f"no answer within {ctx.timeout:g} s"
                return Fetch(url, error="timeout", error_detail=detail)
            except httpx.HTTPError as exc:
                return _error_fact(url, exc)
            except zlib.error as exc:
                detail = f"protocol error: the body does not decode as its Content-Encoding ({exc})"
                return Fetch(url, error="protocol", error_detail=detail)
            except httpx.InvalidURL as exc:
                return Fetch(url, error="bad-url", error_detail=f"bad URL: {exc}")
            finally:
                host.in_flight -= 1


async def _send(
    ctx: FetchContext, host: Host, url: str, read_body: bool, cookies: httpx.Cookies
) -> Fetch:
    request = ctx.client.build_request("GET", ascii_url(url), cookies=cookies or None)
    response = await ctx.client.send(request, stream=True)
    try:
        status = response.status_code
        headers = response.headers
        if status in REDIRECT_CODES:
            await _drain(response)
            if "set-cookie" in headers:
                cookies.extract_cookies(response)
            target = _redirect_target(url, headers.get_list("location"))
            if isinstance(target, Fetch):
                return replace(target, status=status)
            return Fetch(url, status=status, final_url=target)
        retry_after, too_long = None, False
        if status in (429, 503):
            retry_after = parse_retry_after(headers.get("retry-after"))
            too_long = retry_after is not None and retry_after > ctx.retry_after_cap
            if not too_long:
                host.back_off(BACKOFF_NO_HEADER if retry_after is None else retry_after)
        content_type = headers.get("content-type", "")
        page = None
        if read_body and 200 <= status < 300 and _is_html(content_type):
            page = await _read_page(response, content_type)
        else:
            await _drain(response)
        return Fetch(
            url,
            status=status,
            final_url=url,
            content_type=content_type or None,
            cf_mitigated=headers.get("cf-mitigated"),
            wall=header_wall(headers) or (page.wall if page is not None else None),
            retry_after=retry_after,
            retry_after_too_long=too_long,
            page=page,
        )
    finally:
        await response.aclose()


WEB_SCHEMES = ("http", "https")


def _redirect_target(url: str, locations: list[str]) -> str | Fetch:
    """The URL a redirect sends the reader to, or the Fetch error it amounts to: no
    target, two different targets, a target that is not a web address or not a URL."""
    values = list(dict.fromkeys(v.strip() for v in locations if v.strip()))
    if not values:
        return Fetch(url, error="bad-redirect", error_detail="redirect without a target")
    if len(values) > 1:
        return Fetch(
            url,
            error="protocol",
            error_detail="protocol error: a redirect with two different Location headers",
        )
    target, problem = _join(url, values[0])
    if target is None:
        return Fetch(url, error="bad-redirect", error_detail=problem)
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


def _is_html(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("", "text/html", "application/xhtml+xml")


async def _drain(response: httpx.Response) -> None:
    """Read a small body so the connection can be reused; leave big ones (closing drops
    the connection, cheaper than downloading)."""
    length = response.headers.get("content-length")
    if length is None or not length.isdecimal() or int(length) > DRAIN_CAP:
        return
    async for _ in response.aiter_raw():
        pass


async def _read_page(response: httpx.Response, content_type: str) -> Page | None:
    """Read and decode at most BODY_CAP bytes of HTML (decompressing ourselves, with a limit,
    so that a gzip bomb, nested or not, costs BODY_CAP and no more)."""
    from citecheck.checkers.page import read_page

    decoders = _decoders(response.headers.get("content-encoding", ""))
    if decoders is None:
        return None  # an encoding we did not ask for: the page cannot be read
    chunks, size = [], 0
    async for raw in response.aiter_raw():
        data = raw
        for decoder in decoders:
            data = decoder.decompress(decoder.unconsumed_tail + data, BODY_CAP)
        data = data[: BODY_CAP - size]
        chunks.append(data)
        size += len(data)
        if size >= BODY_CAP:
            break
    charset = _charset(content_type)
    return read_page(b"".join(chunks), charset)


def _decoders(header: str) -> list | None:
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


def _error_fact(url: str, exc: httpx.HTTPError) -> Fetch:
    return Fetch(url, error=classify_error(exc), error_detail=_short(exc))


def classify_error(exc: BaseException) -> str:
    """The error class (facts.ERRORS) of a transport exception, from its cause chain."""
    chain = _chain(exc)
    for cause in chain:
        if isinstance(cause, AddressRefused):
            return "guard"
        if isinstance(cause, NameNotFound):
            return "no-such-name"
        if isinstance(cause, LookupFailed):
            return "dns-failed"
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return "tls"
        if isinstance(cause, ConnectionRefusedError):
            return "refused"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "reset" if "disconnected" in str(exc).lower() else "protocol"
    if isinstance(exc, httpx.NetworkError):
        return "reset"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "bad-url"
    return "protocol"


def _chain(exc: BaseException) -> list[BaseException]:
    out, seen = [], set()
    stack = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        out.append(item)
        stack.extend((item.__cause__, item.__context__))
        stack.extend(getattr(item, "exceptions", ()))  # ExceptionGroup from anyio
    return out


def _short(exc: BaseException) -> str:
    for cause in _chain(exc):
        if isinstance(cause, AddressRefused | NameNotFound | LookupFailed):
            return str(cause)
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS: {cause.verify_message or cause.reason}"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
