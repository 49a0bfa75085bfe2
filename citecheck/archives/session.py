"""The one HTTP client of an archive run, with each archive's budget and concurrency.

Every archive request goes through `ArchiveSession.get`: budgeted, redirects not followed,
body size-capped, transient failures retried. A lookup that cannot get an answer raises
`ArchiveUnavailable`, which the lookup turns into an `archive-unavailable` value.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from citecheck import PROJECT_URL, __version__
from citecheck.archives.budget import RateBudget, parse_retry_after
from citecheck.archives.registry import Archive

if TYPE_CHECKING:
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

MAX_BODY = 4 * 1024 * 1024  # TimeMaps and pages larger than this are truncated
_TRANSIENT = {500, 502, 503, 504}


class ArchiveUnavailable(Exception):
    """An archive could not be asked (rate limit, timeout, server error)."""


@dataclass(frozen=True)
class Answer:
    """What an archive answered: status, headers, body (size-capped)."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes = field(repr=False)

    def text(self) -> str:
        charset = "utf-8"
        ctype = self.headers.get("content-type", "")
        if "charset=" in ctype:
            charset = ctype.split("charset=", 1)[1].split(";")[0].strip().strip('"') or charset
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def user_agent(custom: str | None) -> str:
    return custom or f"citecheck/{__version__} (+{PROJECT_URL})"


class ArchiveSession:
    """Budgets, semaphores and the client for one run over several archives."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        archives: Iterable[Archive],
        *,
        retries: int = 2,
        budget_factory: Callable[[Archive], RateBudget] | None = None,
    ) -> None:
        self.client = client
        self.retries = retries
        make = budget_factory or (lambda a: RateBudget(a.per_minute))
        archives = tuple(archives)
        self.budgets = {a.name: make(a) for a in archives}
        self._slots = {a.name: asyncio.Semaphore(a.concurrency) for a in archives}

    async def get(
        self,
        archive: Archive,
        url: str,
        headers: dict[str, str] | None = None,
        max_body: int = MAX_BODY,
    ) -> Answer:
        """GET `url` from `archive` under its budget; raise ArchiveUnavailable when it fails."""
        return await self.request(archive, "GET", url, headers=headers, max_body=max_body)

    async def post(
        self, archive: Archive, url: str, content: str, headers: dict[str, str] | None = None
    ) -> Answer:
        """POST `content` to `url` of `archive` under its budget (a batch query)."""
        return await self.request(archive, "POST", url, headers=headers, content=content)

    async def request(
        self,
        archive: Archive,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: str | None = None,
        max_body: int = MAX_BODY,
    ) -> Answer:
        """One budgeted request, retried on transient failures and paused on 429."""
        budget = self.budgets[archive.name]
        failures = 0
        last = "no answer"
        async with self._slots[archive.name]:
            while True:
                if budget.exhausted:
                    raise ArchiveUnavailable(
                        f"{archive.name}: rate-limited (HTTP 429), not asked again this run"
                    )
                await budget.acquire()
                try:
                    answer = await self._send(method, url, headers, content, max_body)
                except httpx.HTTPError as exc:
                    last = f"{type(exc).__name__}"
                    failures += 1
                else:
                    if answer.status == 429:
                        budget.rate_limited(parse_retry_after(answer.headers.get("retry-after")))
                        continue
                    budget.succeeded()
                    if answer.status not in _TRANSIENT:
                        return answer
                    last = f"HTTP {answer.status}"
                    failures += 1
                if failures > self.retries:
                    raise ArchiveUnavailable(f"{archive.name}: {last}")
                await budget.sleep(min(0.5 * 2**failures, 8.0))

    async def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        content: str | None,
        max_body: int,
    ) -> Answer:
        request = self.client.build_request(method, url, headers=headers, content=content)
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= max_body:
                    break
            return Answer(
                str(response.url),
                response.status_code,
                response.headers,
                b"".join(chunks)[:max_body],
            )
        finally:
            await response.aclose()


def make_client(
    transport: AnyTransport | None,
    timeout: float,
    agent: str | None,
    *,
    settings: Settings | None = None,
    endpoints: Iterable[str] = (),
) -> httpx.AsyncClient:
    """The archive client from the one factory (net.client): address guard, proxies from the
    environment, no redirects followed, honest User-Agent. The hosts of `endpoints` (the
    archives the user configured, e.g. a local pywb) are trusted by the guard; every other
    host, a redirect's included, is guarded as any cited page."""
    from citecheck.net.client import make_client as guarded_client
    from citecheck.settings import Settings

    base = dataclasses.replace(settings or Settings(), user_agent=agent)
    trusted = {urlsplit(url).hostname or "" for url in endpoints if url} - {""}
    return guarded_client(base, transport=transport, timeout=timeout, trusted=trusted)


@asynccontextmanager
async def open_session(
    archives: Sequence[Archive],
    settings: Settings,
    transport: AnyTransport | None,
    budget_factory: Callable[[Archive], RateBudget] | None = None,
) -> AsyncIterator[ArchiveSession]:
    """An ArchiveSession over `archives` on the archive client for `settings` (their
    endpoints trusted), closed on exit."""
    async with make_client(
        transport,
        settings.timeout,
        settings.user_agent,
        settings=settings,
        endpoints=endpoints_of(archives),
    ) as client:
        yield ArchiveSession(
            client, archives, retries=settings.retries, budget_factory=budget_factory
        )


def endpoints_of(archives: Iterable[Archive]) -> list[str]:
    """Every URL an archive entry names (TimeGate, TimeMap, CDX, availability; mirrors are
    host names)."""
    named = [url for a in archives for url in (a.timegate, a.timemap, a.cdx, a.availability) if url]
    return named + [f"https://{host}/" for a in archives for host in a.mirrors]
