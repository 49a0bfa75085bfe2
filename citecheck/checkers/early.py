"""The last run's failures of a report, fetched again from start-up.

Failures are checked again every run (DESIGN §6), and on a warm cache they are all a run
fetches; but which URLs a report cites is known only once it is read and analysed, and by
then a warm run of 10,000 links has spent most of its CPU (0.3 s before the first request).
So each run remembers, per report, the URLs that failed, and the next run starts fetching
those as soon as its settings are known, while the report is still being read. When the run
gets to its links it takes that fetch over (`attach`): the URLs the report no longer cites
and not yet asked for are dropped, the ones the last run did not fail on are added to the
same fetch (one set of politeness limits), and the verdicts are the same as without it.

Where the platform forks, the fetch runs in a child process: its CPU (the HTTP stack's
import, 0.15 s, and the requests) is then spent beside the reading, on another core, instead
of taking turns with it under one interpreter lock. Elsewhere it runs in a thread.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from citecheck.checkers import _Background
from citecheck.checkers.extras import PageWants
from citecheck.models import LinkResult, LinkStatus

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from citecheck.cache.store import Cache
    from citecheck.checkers.progress import LinkProgress
    from citecheck.checkers.run import More
    from citecheck.settings import Settings

KIND = "refetch"
TTL = 30 * 86400.0  # a report checked again after a month is read first, as on a first run
START_WAIT = 2.0  # seconds the run waits at most for the early fetch's first requests
IN_CHILD = os.name == "posix" and sys.platform != "darwin"  # fork is safe (not macOS)
_NOT_FAILED = frozenset(
    {LinkStatus.ALIVE, LinkStatus.REDIRECTED, LinkStatus.SKIPPED, LinkStatus.UNCHECKED}
)

OnResult = Callable[[LinkResult], None]


def remember(
    cache: Cache, report: str, results: Mapping[str, LinkResult], wants: PageWants
) -> None:
    """Store the URLs of `report` (its resolved path) that failed this run, with the page
    extras that were wanted of them."""
    failed = [url for url, result in results.items() if result.status not in _NOT_FAILED]
    cache.put(
        KIND,
        report,
        {
            "urls": failed,
            "anchors": [u for u in failed if u in wants.anchors],
            "titles": [u for u in failed if u in wants.titles],
        },
        TTL,
    )


def start(
    report: str, settings: Settings, excluded: Callable[[list[str]], Collection[str]]
) -> EarlyFetch | None:
    """The early fetch of `report`'s last failures (but those `excluded` names), or None:
    nothing is remembered for it, its last run failed on none, or this run does not fetch
    (offline, no cache)."""
    from citecheck.cache.store import Cache

    if settings.offline or settings.no_cache:
        return None
    cache = Cache(settings.cache_dir)
    try:  # closed before the fetch starts: a child process must not inherit it open
        stored = cache.get(KIND, report) if cache.enabled else None
    finally:
        cache.close()
    urls = [u for u in (stored or {}).get("urls", ()) if isinstance(u, str)]
    skip = excluded(urls) if urls else ()
    urls = [u for u in urls if u not in skip]
    if not urls or stored is None:
        return None
    wants = PageWants(frozenset(stored["anchors"]), frozenset(stored["titles"]))
    return EarlyFetch(urls, wants, settings)


@dataclass(frozen=True)
class Rest:
    """What the run hands the early fetch: the URLs to add, the URLs whose results it
    wants (of the others, those not asked for yet are dropped) and their page extras."""

    urls: tuple[str, ...]
    wanted: frozenset[str]
    wants: PageWants


class _Job(Protocol):
    """Where the early fetch runs: a child process or a thread."""

    def attach(self, rest: Rest, on_result: OnResult | None, bar: LinkProgress | None) -> None: ...

    def result(self) -> tuple[dict[str, LinkResult], bool]: ...

    def stop(self) -> None: ...


class EarlyFetch:
    """The fetch of a report's last failures, started before the report is read."""

    def __init__(self, urls: Sequence[str], wants: PageWants, settings: Settings) -> None:
        self.urls = frozenset(urls)
        self.wants = wants
        self._job: _Job = (
            _child_job(list(urls), wants, settings) if IN_CHILD and _alone() else None
        ) or _InThread(list(urls), wants, settings)

    def covers(self, url: str, wants: PageWants) -> bool:
        """Whether this fetch checks `url` as a run wanting `wants` would."""
        return url in self.urls and wants.wanted(url) == self.wants.wanted(url)

    def attach(
        self,
        todo: Sequence[str],
        wants: PageWants,
        on_result: OnResult | None,
        progress: LinkProgress | None,
    ) -> None:
        """Hand the fetch the run's URLs to check (`todo`): those it does not cover are
        added, those it holds and `todo` lacks are dropped unless already asked for.
        `on_result` is told each wanted verdict once (those made so far at once)."""
        rest = Rest(tuple(u for u in todo if u not in self.urls), frozenset(todo), wants)
        self._job.attach(rest, on_result, progress)

    def result(self) -> tuple[dict[str, LinkResult], bool]:
        """(results, network unavailable) of the whole fetch, once it is done; a fetch
        that was lost (its process died) gives the results it sent, the caller checks the
        others."""
        return self._job.result()

    def stop(self) -> None:
        """Stop the fetch if it still runs (no run took it over, or the run failed); what
        the command calls when it is done, whatever happened."""
        self._job.stop()


class _InThread:
    """The early fetch on an event loop in a thread of this process."""

    def __init__(self, urls: list[str], wants: PageWants, settings: Settings) -> None:
        self._more: asyncio.Future[More] | None = None
        started = threading.Event()
        self._background = _Background(lambda: self._main(urls, wants, settings, started.set))
        # The fetch is what the run waits for at the end: it gets the CPU first (the HTTP
        # stack's import, 0.15 s, and its first requests), the report is read while it waits.
        started.wait(START_WAIT)

    async def _main(
        self, urls: list[str], wants: PageWants, settings: Settings, started: Callable[[], None]
    ) -> tuple[dict[str, LinkResult], bool]:
        from citecheck.cache.store import Cache
        from citecheck.checkers.run import run

        self._more = asyncio.get_running_loop().create_future()
        cache = Cache(settings.cache_dir)
        try:
            return await run(
                urls, settings, None, cache, wants=wants, more=self._more, started=started
            )
        finally:
            started()  # an error before the first request: the caller stops waiting
            cache.close()

    def attach(self, rest: Rest, on_result: OnResult | None, bar: LinkProgress | None) -> None:
        from citecheck.checkers.run import More

        more = More(rest.urls, rest.wanted, rest.wants, on_result, bar)
        loop = self._background.loop()
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._give, more)
        except RuntimeError:  # the fetch is over already (the network was down)
            pass

    def _give(self, more: More) -> None:
        # On the fetch's loop, after `_main` made the future (it runs before this callback).
        if self._more is not None and not self._more.done():
            self._more.set_result(more)

    def result(self) -> tuple[dict[str, LinkResult], bool]:
        return self._background.result()

    def stop(self) -> None:
        self._background.stop()


def _child_job(urls: list[str], wants: PageWants, settings: Settings) -> _InChild | None:
    """The early fetch in a forked child process, or None if this process cannot fork."""
    try:
        return _InChild(urls, wants, settings)
    except (OSError, ValueError):
        return None


class _InChild:
    """The early fetch in a child process, which sends each verdict as it is made: this
    side tells the run's `on_result` and progress bar, and sends it the rest of the URLs."""

    def __init__(self, urls: list[str], wants: PageWants, settings: Settings) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # else the child's exit writes it once more
            stream.flush()
        self._conn, theirs = context.Pipe()
        self._process = context.Process(
            target=_child, args=(urls, wants, settings, theirs), name="citecheck-links"
        )
        self._process.daemon = True
        self._process.start()
        theirs.close()
        self._results: dict[str, LinkResult] = {}
        self._down: bool | None = None  # None until the child says it is done
        self._lock = threading.Lock()
        self._wanted: frozenset[str] | None = None  # set by attach: then results are told
        self._tell: OnResult | None = None
        self._bar: LinkProgress | None = None
        self._started = threading.Event()
        self._receiver = threading.Thread(target=self._receive, name="links", daemon=True)
        self._receiver.start()
        if _cores() < 2:  # one core: the fetch gets it first, as in a thread
            self._started.wait(START_WAIT)

    def _receive(self) -> None:
        try:
            while True:
                message = self._conn.recv()
                if message[0] == "result":
                    self._received(message[1], message[2])
                elif message[0] == "done":
                    self._down = bool(message[1])
                    return
                else:
                    self._started.set()
        except (EOFError, OSError):
            return  # the child died: result() gives what it sent
        finally:
            self._started.set()

    def _received(self, url: str, result: LinkResult) -> None:
        with self._lock:
            first = url not in self._results
            self._results[url] = result
            tell = first and self._wanted is not None and url in self._wanted
        if tell:
            self._told(url, result)

    def _told(self, url: str, result: LinkResult) -> None:
        if self._tell is not None:
            self._tell(result)
        if self._bar is not None:
            self._bar.done(urlsplit(url).hostname or "", 0)

    def attach(self, rest: Rest, on_result: OnResult | None, bar: LinkProgress | None) -> None:
        with self._lock:  # the bar started before the receiver may tell it of a result
            made = {u: r for u, r in self._results.items() if u in rest.wanted}
            if bar is not None:
                bar.start(_per_host(u for u in rest.wanted if u not in made))
            self._tell, self._bar, self._wanted = on_result, bar, rest.wanted
        if on_result is not None:
            for result in made.values():
                on_result(result)
        try:
            self._conn.send(("rest", rest))
        except OSError:
            pass  # the child is gone: result() gives what it sent

    def result(self) -> tuple[dict[str, LinkResult], bool]:
        self._receiver.join()
        self._process.join(START_WAIT)
        with self._lock:
            return dict(self._results), bool(self._down)

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(START_WAIT)
        self._conn.close()
        self._receiver.join(START_WAIT)


def _alone() -> bool:
    """No other thread runs in this process (the command line's case): forking is safe then,
    whereas a thread holding a lock at the fork would leave the child a lock nobody frees."""
    return threading.active_count() == 1


def _cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _per_host(urls: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for url in urls:
        host = urlsplit(url).hostname or ""
        counts[host] = counts.get(host, 0) + 1
    return counts


def _child(urls: list[str], wants: PageWants, settings: Settings, conn: Connection) -> None:
    """The child process: fetch `urls`, send each verdict, take the rest when it comes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupted run stops it itself
    try:
        down = asyncio.run(_fetch_for_parent(urls, wants, settings, conn))
        conn.send(("done", down))
    finally:
        conn.close()


async def _fetch_for_parent(
    urls: list[str], wants: PageWants, settings: Settings, conn: Connection
) -> bool:
    from citecheck.cache.store import Cache
    from citecheck.checkers.run import More, run

    loop = asyncio.get_running_loop()
    more: asyncio.Future[More] = loop.create_future()

    def send(result: LinkResult) -> None:
        conn.send(("result", result.url, result))

    def rest_came() -> None:
        loop.remove_reader(conn.fileno())
        try:
            _, rest = conn.recv()
        except (EOFError, OSError):
            more.cancel()  # the parent is gone
            return
        more.set_result(More(rest.urls, rest.wanted, rest.wants, send))

    loop.add_reader(conn.fileno(), rest_came)
    cache = Cache(settings.cache_dir)
    try:
        _, down = await run(
            urls,
            settings,
            None,
            cache,
            None,
            send,
            wants,
            more=more,
            started=lambda: conn.send(("started",)),
        )
        return down
    finally:
        cache.close()
