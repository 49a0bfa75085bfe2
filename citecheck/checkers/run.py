"""Checking many URLs: host workers, retries, per-host probes, cache, no-network detection."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections import defaultdict, deque
from urllib.parse import urlsplit

import httpx

from citecheck.cache.store import DAY, Cache
from citecheck.checkers.canary import network_down
from citecheck.checkers.facts import Fetch, Probe
from citecheck.checkers.fetch import FetchContext, fetch
from citecheck.checkers.verdict import decide
from citecheck.models import LinkResult, LinkStatus
from citecheck.net.guard import AddressPolicy
from citecheck.net.retry import is_transient, retrying
from citecheck.urls import is_homepage

CACHED_STATUSES = frozenset({LinkStatus.ALIVE, LinkStatus.REDIRECTED})
LINK_TTL = DAY
PROBE_TTL = DAY
CANARY_GRACE = 1.5  # seconds the links get to answer after every canary failed


class Checker:
    """One run's state: the fetch context, per-host probes and https checks, the results."""

    def __init__(self, ctx: FetchContext, retries: int, cache: Cache | None, progress=None):
        self.ctx = ctx
        self.retries = retries
        self.cache = cache
        self.progress = progress
        self.results: dict[str, LinkResult] = {}
        self.to_cache: dict[str, dict] = {}  # written in one transaction at the end
        self.saw_answer = False  # any HTTP answer proves the network is up
        self.answered = asyncio.Event()
        self._probes: dict[str, asyncio.Future] = {}
        self._https: dict[str, asyncio.Future] = {}

    async def check_all(self, urls: list[str]) -> None:
        by_host: dict[str, deque] = defaultdict(deque)
        for url in urls:
            by_host[urlsplit(url).hostname or ""].append(url)
        if self.progress:
            self.progress.start({h: len(q) for h, q in by_host.items()})
        workers = [
            self._worker(host, queue)
            for host, queue in by_host.items()
            for _ in range(min(self.ctx.per_host, len(queue)))
        ]
        await asyncio.gather(*workers)

    async def _worker(self, host: str, queue: deque) -> None:
        while queue:
            url = queue.popleft()
            result = await self.check_one(url)
            self.results[url] = result
            if self.progress:
                self.progress.done(host, len(queue))

    async def check_one(self, url: str) -> LinkResult:
        fact = await self._fetch_with_retries(url)
        if fact.status is not None:
            self.saw_answer = True
            self.answered.set()
        probe = await self._probe(fact) if _needs_probe(url, fact) else None
        https = await self._https_works(url) if _needs_https_check(url, fact) else None
        result = decide(url, fact, probe, https)
        if result.status in CACHED_STATUSES:
            self.to_cache[url] = to_json(result)
        return result

    async def _fetch_with_retries(self, url: str) -> Fetch:
        first = await fetch(self.ctx, url)
        if self.retries <= 0 or not is_transient(first):
            return first  # the common case: no retry machinery at all (about 65 us a link)
        attempts = 0

        async def attempt() -> Fetch:
            nonlocal attempts
            attempts += 1
            return first if attempts == 1 else await fetch(self.ctx, url)

        # tenacity sees the first outcome as its first attempt: same waits, same stop
        fact = await retrying(self.retries)(attempt)
        return _with_attempts(fact, attempts)

    async def _probe(self, fact: Fetch) -> Probe:
        """How the host answers a path that cannot exist (once per origin, cached)."""
        origin = _origin(fact.final_url or fact.url)
        return await self._once(self._probes, origin, "probe", self._fetch_probe)

    async def _fetch_probe(self, origin: str) -> Probe:
        got = await fetch(self.ctx, f"{origin}/citecheck-probe-{secrets.token_hex(8)}")
        page = got.page
        return Probe(
            got.status if got.error is None else None,
            got.final_url,
            (page.fingerprint or {}).get("digest") if page else None,
            page.title if page else None,
        )

    async def _https_works(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return await self._once(self._https, host, "https", self._fetch_https)

    async def _fetch_https(self, host: str) -> bool:
        got = await fetch(self.ctx, f"https://{host}/", read_body=False)
        return got.error is None and got.status is not None and got.status < 400

    async def _once(self, table: dict, key: str, kind: str, compute):
        """`compute(key)` once per run (and per cache TTL), shared by concurrent callers."""
        future = table.get(key)
        if future is None:
            future = table[key] = asyncio.get_running_loop().create_future()
            future.set_result(await self._cached_or(kind, key, compute))
        return await future

    async def _cached_or(self, kind: str, key: str, compute):
        hit = self.cache.get(kind, key) if self.cache is not None else None
        if hit is not None:
            return Probe(**hit["value"]) if kind == "probe" else hit["value"]
        value = await compute(key)
        if self.cache is not None:
            stored = dataclasses.asdict(value) if kind == "probe" else value
            self.cache.put(kind, key, {"value": stored}, PROBE_TTL)
        return value


def _needs_probe(url: str, fact: Fetch) -> bool:
    page = fact.page
    return (
        fact.error is None
        and fact.status is not None
        and 200 <= fact.status < 300
        and page is not None
        and not page.not_found_cue
        and not page.parking_cue
        and not is_homepage(url)
    )


def _needs_https_check(url: str, fact: Fetch) -> bool:
    if not url.startswith("http://") or fact.status is None:
        return False
    return not (fact.final_url or "").startswith("https://")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _with_attempts(fact: Fetch, attempts: int) -> Fetch:
    return dataclasses.replace(fact, attempts=attempts)


def to_json(result: LinkResult) -> dict:
    """A LinkResult as the JSON stored in the cache."""
    return {
        "status": result.status.value,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "redirects": [list(h) for h in result.redirects],
        "detail": result.detail,
        "rules": list(result.rules),
        "suggestion": result.suggestion,
        "https_works": result.https_works,
        "title": result.title,
        "extra": result.extra,
    }


def from_json(url: str, data: dict) -> LinkResult:
    """A cached LinkResult (marked from_cache)."""
    return LinkResult(
        url=url,
        status=LinkStatus(data["status"]),
        http_status=data["http_status"],
        final_url=data["final_url"],
        redirects=tuple((int(c), u) for c, u in data["redirects"]),
        from_cache=True,
        detail=data["detail"],
        rules=tuple(data["rules"]),
        suggestion=data["suggestion"],
        https_works=data["https_works"],
        title=data["title"],
        extra=data.get("extra") or {},
    )


async def run(
    urls: list[str],
    settings,
    transport: httpx.AsyncBaseTransport | None,
    cache: Cache | None,
    progress=None,
) -> tuple[dict[str, LinkResult], bool]:
    """Check `urls` (normalised, unique, not cached); returns (results, network_unavailable)."""
    from citecheck.net.client import make_client

    client = make_client(settings, transport=transport)
    policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
    ctx = FetchContext(
        client,
        policy,
        settings.timeout,
        asyncio.Semaphore(settings.max_concurrency),
        settings.per_host,
        {},
    )
    checker = Checker(ctx, settings.retries, cache, progress)
    try:
        down = await _race(checker, urls, network_down(ctx, tuple(settings.canaries)))
    finally:
        await client.aclose()
    if cache is not None and not down:
        cache.put_many("link", checker.to_cache, LINK_TTL)
        _remember_last(cache, checker.results)
    return checker.results, down


def _remember_last(cache: Cache, results: dict[str, LinkResult]) -> None:
    """Every result, failures too, as the last one (for offline appendices)."""
    import datetime as dt

    from citecheck.checkers.lastresults import remember

    remember(cache, results, dt.date.today())


async def _race(checker: Checker, urls: list[str], canaries) -> bool:
    """Check the URLs while the canaries are asked; stop early when the network is down."""
    main = asyncio.create_task(checker.check_all(urls))
    canary = asyncio.create_task(canaries)
    try:
        await asyncio.wait({main, canary}, return_when=asyncio.FIRST_COMPLETED)
        if canary.done() and canary.result() and not checker.saw_answer:
            # Canaries down: give the links a moment to prove otherwise, then stop early.
            answered = asyncio.create_task(checker.answered.wait())
            await asyncio.wait(
                {main, answered}, timeout=CANARY_GRACE, return_when=asyncio.FIRST_COMPLETED
            )
            answered.cancel()
            if not checker.saw_answer:
                return True
        await main
        if checker.saw_answer:
            return False
        return await canary
    finally:
        for task in (main, canary):
            if not task.done():
                task.cancel()
        await asyncio.gather(main, canary, return_exceptions=True)
