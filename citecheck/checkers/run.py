"""Checking many URLs: host workers, retries, per-host probes, cache, no-network detection."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from citecheck.cache.store import DAY, Cache
from citecheck.checkers.canary import network_down
from citecheck.checkers.extras import PageWants, page_extras
from citecheck.checkers.facts import Fetch, FetchError, Probe
from citecheck.checkers.fetch import FetchContext, fetch
from citecheck.checkers.stored import to_json, wants_fingerprints
from citecheck.checkers.verdict import decide
from citecheck.models import LinkResult, LinkStatus, Rule
from citecheck.net.guard import AddressPolicy
from citecheck.net.hosts import GlobalSlots, Host
from citecheck.net.retry import is_transient, retry_wait
from citecheck.urls import is_homepage

if TYPE_CHECKING:
    from citecheck.checkers.progress import LinkProgress
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

CACHED_STATUSES = frozenset({LinkStatus.ALIVE, LinkStatus.REDIRECTED})
LINK_TTL = DAY
PROBE_TTL = DAY
CANARY_GRACE = 1.5  # seconds the links get to answer after every canary failed


@dataclass(frozen=True)
class More:
    """The rest of a run that was started early (`run(more=...)`): the URLs it adds, the
    URLs whose results it wants (the others not started yet are dropped), the page extras
    they want, whom to tell each verdict and the progress bar."""

    urls: tuple[str, ...]
    wanted: frozenset[str]
    wants: PageWants
    on_result: Callable[[LinkResult], None] | None = None
    progress: LinkProgress | None = None


class Checker:
    """One run's state: the fetch context, per-host probes and https checks, the results."""

    def __init__(
        self,
        ctx: FetchContext,
        retries: int,
        cache: Cache | None,
        progress: LinkProgress | None = None,
        *,
        fingerprints: bool = True,
        on_result: Callable[[LinkResult], None] | None = None,
        wants: PageWants | None = None,
    ) -> None:
        self.ctx = ctx
        self.wants = wants or PageWants()  # pages whose anchors or titles are kept
        self.on_result = on_result  # told each verdict as it is made
        self.retries = retries
        self.cache = cache if cache is not None and cache.enabled else None  # --no-cache
        self.progress = progress
        self.fingerprints = fingerprints  # pages will be compared with captures (drift)
        self.results: dict[str, LinkResult] = {}
        self.wanted: frozenset[str] | None = None  # the URLs on_result is told of (None: all)
        # url -> (live result, fetched without its fingerprint): written in one transaction at
        # the end, each entry made as it is written (not 100,000 dicts held through the run)
        self.to_cache: dict[str, tuple[LinkResult, bool]] = {}
        self.saw_answer = False  # any HTTP answer proves the network is up
        self.answered = asyncio.Event()
        self._probes: dict[str, asyncio.Future] = {}
        self._https: dict[str, asyncio.Future] = {}
        self._queues: dict[str, _HostQueue] = {}
        self._workers: list[asyncio.Task[None]] = []

    async def check_all(
        self,
        urls: list[str],
        more: asyncio.Future[More] | None = None,
        started: Callable[[], None] | None = None,
    ) -> None:
        """Check `urls`; with `more`, also the URLs it brings once it is set (the run ends
        after those, and only then). `started` is called once every worker has begun its
        first request."""
        self._add(urls)
        if started is not None:
            await asyncio.sleep(0)  # one turn of the loop: each worker runs to its first wait
            started()
        if self.progress:
            self.progress.start({h: q.left for h, q in self._queues.items()})
        try:
            if more is not None:
                self._extend(await more)
            while pending := [t for t in self._workers if not t.done()]:
                await asyncio.gather(*pending)
        finally:
            for task in self._workers:
                task.cancel()

    def _add(self, urls: list[str]) -> None:
        """Queue `urls` on their hosts, with workers for them (up to the per-host limit)."""
        for url in urls:
            name = urlsplit(url).hostname or ""
            queue = self._queues.get(name)
            if queue is None:
                queue = self._queues[name] = _HostQueue(self.ctx.host(url))
            queue.add(url)
        for name, queue in self._queues.items():
            for _ in range(min(self.ctx.per_host, len(queue.ready)) - queue.workers):
                queue.workers += 1
                self._workers.append(asyncio.create_task(self._worker(name, queue)))

    def _extend(self, more: More) -> None:
        """Take the rest of the run: forget the URLs not started that it does not want,
        tell its `on_result` the wanted results made so far, then check its URLs too."""
        for queue in self._queues.values():
            queue.keep_only(more.wanted)
        self.wants = more.wants
        if more.on_result is not None:
            for url, result in self.results.items():
                if url in more.wanted:
                    more.on_result(result)
        self.on_result = more.on_result
        self.wanted = more.wanted
        self._add(list(more.urls))
        if more.progress is not None:
            self.progress = more.progress
            self.progress.start({h: q.left for h, q in self._queues.items()})

    async def _worker(self, name: str, queue: _HostQueue) -> None:
        try:
            while True:
                item = await queue.next()
                if item is None:
                    return
                url, attempts = item
                try:
                    result = await self._step(queue, url, attempts)
                except Exception as exc:  # noqa: BLE001 - isolation: one URL never aborts the run
                    result = failed(url, exc)
                if result is None:
                    continue  # put back: a retry or this machine's limit, later
                self._record(name, queue, url, result)
        finally:
            queue.workers -= 1

    def _record(self, name: str, queue: _HostQueue, url: str, result: LinkResult) -> None:
        self.results[url] = result
        if self.on_result is not None and (self.wanted is None or url in self.wanted):
            self.on_result(result)
        queue.done()
        if self.progress:
            self.progress.done(name, queue.left)

    async def _attempt(self, host: Host, url: str, attempts: int) -> Fetch:
        if host.stopped_answering:
            return _host_down(url, host)
        fact = await fetch(self.ctx, url, pdf=url in self.wants.anchors)
        host.record(None if fact.answered else fact.error)
        if fact.error in ("timeout", "connect") and not fact.answered:
            await host.settle()
        return fact

    async def _step(self, queue: _HostQueue, url: str, attempts: int) -> LinkResult | None:
        """One attempt at `url`: its result, or None when it was put back for later."""
        fact = await self._attempt(queue.host, url, attempts)
        if fact.error == "local-limit":  # this machine's limit, not the site's answer
            queue.later(url, attempts, LOCAL_LIMIT_WAIT)
            return None
        if self._should_retry(queue.host, fact, attempts):
            queue.later(url, attempts + 1, retry_wait(attempts))
            return None
        if attempts:
            fact = dataclasses.replace(fact, attempts=attempts + 1)
        return await self.judge(url, fact)

    def _should_retry(self, host: Host, fact: Fetch, attempts: int) -> bool:
        if attempts >= self.retries or not is_transient(fact):
            return False
        return not host.stopped_answering

    async def check_isolated(self, url: str) -> LinkResult:
        """`check_one`, but whatever goes wrong (a library, a decoder, our own code)
        becomes this URL's result: one bad site never costs the run the others."""
        try:
            return await self.check_one(url)
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            return failed(url, exc)

    async def check_one(self, url: str) -> LinkResult:
        """Check one URL now, retries waited for in place (for callers outside a run)."""
        host = self.ctx.host(url)
        attempts = 0
        while True:
            fact = await self._attempt(host, url, attempts)
            if not self._should_retry(host, fact, attempts):
                break
            await asyncio.sleep(retry_wait(attempts))
            attempts += 1
        if attempts:
            fact = dataclasses.replace(fact, attempts=attempts + 1)
        return await self.judge(url, fact)

    async def judge(self, url: str, fact: Fetch) -> LinkResult:
        """The verdict on a fetched URL (probes and the https check asked as needed)."""
        if fact.status is not None:
            self.saw_answer = True
            self.answered.set()
        probe = await self._probe(fact) if _needs_probe(url, fact) else None
        https = await self._https_works(url) if _needs_https_check(url, fact) else None
        skipped = fact.page is not None and fact.page.html is not None and not self.fingerprints
        extras = page_extras(url, fact, self.wants) if self.wants.wanted(url) else {}
        fact = await self._with_fingerprint(fact, probe)
        result = decide(url, fact, probe, https)
        if extras:
            result = dataclasses.replace(result, extra={**result.extra, **extras})
        if self.cache is not None and result.status in CACHED_STATUSES:
            self.to_cache[url] = (result, skipped and "fingerprint" not in result.extra)
        return result

    def cache_entries(self) -> Iterator[tuple[str, dict]]:
        """The "link" cache entries of this run's live results, made one at a time."""
        for url, (result, unfingerprinted) in self.to_cache.items():
            stored = to_json(result)
            if unfingerprinted:
                stored["unfingerprinted"] = True  # a run comparing captures fetches it again
            yield url, stored

    async def _with_fingerprint(self, fact: Fetch, probe: Probe | None) -> Fetch:
        """The page's fingerprint, computed (in a thread: 10-40 ms for a big page) only when
        something will compare it: a capture (drift) or a host's catch-all answer."""
        page = fact.page
        if page is None or page.html is None:
            return fact
        wanted = self.fingerprints or (probe is not None and _answers_ok(probe.status))
        if not wanted or fact.status is None or not 200 <= fact.status < 300:
            return dataclasses.replace(fact, page=dataclasses.replace(page, html=None))
        from citecheck.checkers.drift import page_fingerprint

        fingerprint = await asyncio.to_thread(page_fingerprint, page.html)
        return dataclasses.replace(
            fact, page=dataclasses.replace(page, html=None, fingerprint=fingerprint)
        )

    async def _probe(self, fact: Fetch) -> Probe:
        """How the host answers a path that cannot exist (once per origin, cached)."""
        origin = _origin(fact.final_url or fact.url)
        return await self._once(self._probes, origin, "probe", self._fetch_probe)

    async def _fetch_probe(self, origin: str) -> Probe:
        got = await self._fetch_waiting(f"{origin}/citecheck-probe-{secrets.token_hex(8)}")
        page = got.page
        digest = None
        if page is not None and page.html is not None and _answers_ok(got.status):
            from citecheck.checkers.drift import page_fingerprint

            digest = (await asyncio.to_thread(page_fingerprint, page.html) or {}).get("digest")
        return Probe(
            got.status if got.error is None else None,
            got.final_url,
            digest,
            page.title if page else None,
        )

    async def _https_works(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return await self._once(self._https, host, "https", self._fetch_https)

    async def _fetch_https(self, host: str) -> bool:
        got = await self._fetch_waiting(f"https://{_bracketed(host)}/", read_body=False)
        return got.error is None and got.status is not None and got.status < 400

    async def _fetch_waiting(self, url: str, *, read_body: bool = True) -> Fetch:
        """One fetch, waiting out this machine's own limits (never the site's failure)."""
        host = self.ctx.host(url)
        for _ in range(LOCAL_LIMIT_TRIES):
            if host.stopped_answering:
                return _host_down(url, host)
            got = await fetch(self.ctx, url, read_body=read_body)
            if got.error != "local-limit":
                return got
            await asyncio.sleep(LOCAL_LIMIT_WAIT)
        return got

    async def _once(self, table: dict, key: str, kind: str, compute: Callable) -> Any:
        """`compute(key)` once per run (and per cache TTL), shared by concurrent callers."""
        future = table.get(key)
        if future is None:
            future = table[key] = asyncio.get_running_loop().create_future()
            future.set_result(await self._cached_or(kind, key, compute))
        return await future

    async def _cached_or(self, kind: str, key: str, compute: Callable) -> Any:
        hit = self.cache.get(kind, key) if self.cache is not None else None
        if hit is not None:
            return Probe(**hit["value"]) if kind == "probe" else hit["value"]
        value = await compute(key)
        if self.cache is not None:
            stored = dataclasses.asdict(value) if kind == "probe" else value
            self.cache.put(kind, key, {"value": stored}, PROBE_TTL)
        return value


def failed(url: str, exc: BaseException) -> LinkResult:
    """The result of a URL whose check raised: unreachable, the error in the detail."""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    detail = f"could not be checked ({type(exc).__name__}{': ' + text if text else ''})"
    return LinkResult(url, LinkStatus.UNREACHABLE, detail=detail, rules=(Rule.UNREACHABLE,))


class _HostQueue:
    """One host's URLs: those ready to start, and retries waiting for their time (a retry
    that waits is not holding a worker or a connection)."""

    __slots__ = ("_wake", "host", "left", "ready", "waiting", "workers")

    def __init__(self, host: Host) -> None:
        self.host = host
        self.ready: deque[tuple[str, int]] = deque()
        self.waiting = 0
        self.left = 0  # URLs without a result yet
        self.workers = 0  # workers taking this host's URLs
        self._wake = asyncio.Event()

    def add(self, url: str) -> None:
        self.ready.append((url, 0))
        self.left += 1
        self.host.remaining += 1
        self._wake.set()  # a worker waiting for a retry takes it

    def keep_only(self, wanted: frozenset[str]) -> None:
        """Forget the URLs not started yet that are not `wanted`."""
        kept = deque(item for item in self.ready if item[0] in wanted)
        gone = len(self.ready) - len(kept)
        self.ready = kept
        self.left -= gone
        self.host.remaining -= gone
        if not self.left:
            self._wake.set()

    async def next(self) -> tuple[str, int] | None:
        """The next URL to try (and its attempts so far); None when the host is done."""
        while not self.ready:
            if not self.waiting:
                return None
            self._wake.clear()
            await self._wake.wait()
        self.host.remaining -= 1
        return self.ready.popleft()

    def later(self, url: str, attempts: int, delay: float) -> None:
        self.waiting += 1
        self.host.remaining += 1
        asyncio.get_running_loop().call_later(delay, self._due, url, attempts)

    def _due(self, url: str, attempts: int) -> None:
        self.waiting -= 1
        self.ready.append((url, attempts))
        self._wake.set()

    def done(self) -> None:
        self.left -= 1
        if not self.left:
            self._wake.set()  # workers waiting for retries that another one finished


LOCAL_LIMIT_WAIT = 0.25  # seconds to wait when this machine is out of sockets or files
LOCAL_LIMIT_TRIES = 240  # then a probe gives up (a minute): it is only a hint


def _host_down(url: str, host: Host) -> Fetch:
    return Fetch(
        url,
        error=FetchError.HOST_DOWN,
        error_detail=f"host stopped answering after {host.failures} attempts",
    )


def _answers_ok(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _needs_probe(url: str, fact: Fetch) -> bool:
    page = fact.page
    return (
        fact.error is None
        and fact.status is not None
        and 200 <= fact.status < 300
        and page is not None
        and not page.not_found_cue
        and not page.parking_cue
        and fact.wall is None
        and not is_homepage(url)
    )


def _needs_https_check(url: str, fact: Fetch) -> bool:
    if not url.startswith("http://") or fact.status is None:
        return False
    return not (fact.final_url or "").startswith("https://")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def run(
    urls: list[str],
    settings: Settings,
    transport: AnyTransport | None,
    cache: Cache | None,
    progress: LinkProgress | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    wants: PageWants | None = None,
    more: asyncio.Future[More] | None = None,
    started: Callable[[], None] | None = None,
) -> tuple[dict[str, LinkResult], bool]:
    """Check `urls` (normalised, unique, not cached); returns (results, network_unavailable).
    `wants` names the pages whose anchors or titles are kept; `more`, when given, brings the
    rest of the run later (the run ends only after it came); `started` is called once the
    first requests are under way."""
    from citecheck.net.client import make_transport
    from citecheck.net.web import GuardedTransport

    web = transport if transport is not None else make_transport(settings)
    if not isinstance(web, GuardedTransport):  # e.g. an httpx.MockTransport meant for archives
        raise TypeError("the link checker needs the transport of net.client.make_transport")
    policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
    hosts: dict[str, Host] = {}
    ctx = FetchContext(
        web,
        policy,
        settings.timeout,
        GlobalSlots(settings.max_concurrency, hosts, settings.per_host),
        settings.per_host,
        hosts,
    )
    checker = Checker(
        ctx,
        settings.retries,
        cache,
        progress,
        fingerprints=wants_fingerprints(settings),
        on_result=on_result,
        wants=wants,
    )
    try:
        canaries = network_down(ctx, tuple(settings.canaries))
        down = await _race(checker, checker.check_all(urls, more, started), canaries)
    finally:
        await web.aclose()
    if cache is not None and not down:
        cache.put_many("link", checker.cache_entries(), LINK_TTL)
        _remember_last(cache, checker.results)
    return checker.results, down


def _remember_last(cache: Cache, results: dict[str, LinkResult]) -> None:
    """Every result, failures too, as the last one (for offline appendices)."""
    import datetime as dt

    from citecheck.checkers.lastresults import remember

    remember(cache, results, dt.date.today())


async def _race(
    checker: Checker, checking: Coroutine[Any, Any, None], canaries: Coroutine[Any, Any, bool]
) -> bool:
    """Check the URLs (`checking`, the checker's check_all) while the canaries are asked;
    stop early when the network is down."""
    main = asyncio.create_task(checking)
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
