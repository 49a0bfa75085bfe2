"""The archive stage of `check`: started before the links are checked, so that the archives'
few requests a minute are spent while the checker works, and told each link's verdict as it
comes (the captures of dead links are looked up first).

The lookups run on an event loop in a thread of their own; the caller's thread keeps the
cache (reads before, writes after) and the progress bar.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from citecheck.archives import cached_results, store_results
from citecheck.archives.registry import Archive, resolve_archives
from citecheck.archives.results import ArchiveResult
from citecheck.archives.schedule import Priority, Scheduler, priority_of
from citecheck.models import LinkResult, LinkStatus

if TYPE_CHECKING:
    from citecheck.archives.budget import RateBudget
    from citecheck.cache.store import Cache
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

POLL = 0.25  # seconds between progress refreshes


async def look_up(
    targets: Mapping[str, dt.date],
    settings: Settings,
    archives: Sequence[Archive],
    *,
    transport: AnyTransport | None = None,
    budget_factory: Callable[[Archive], RateBudget] | None = None,
    attach: Callable[[Scheduler], None] | None = None,
) -> dict[str, ArchiveResult]:
    """Look `targets` up in `archives` through one client; `attach` gets the scheduler
    before it starts (to steer its priorities)."""
    from citecheck.archives.session import open_session

    async with open_session(archives, settings, transport, budget_factory) as session:
        scheduler = Scheduler(session, archives, targets, min(settings.max_concurrency, 16))
        if attach is not None:
            attach(scheduler)
        return await scheduler.run()


class ArchiveStage:
    """Archive lookups of `targets` running beside the link checks.

    `start()` looks up what the cache does not know in a background thread;
    `link_checked(link)` (from any thread) reorders or drops a URL; `results()` waits for
    the end, shows the expected time left on a terminal, and fills the cache.
    """

    def __init__(
        self,
        targets: Mapping[str, dt.date],
        settings: Settings,
        *,
        cache: Cache | None = None,
        transport: AnyTransport | None = None,
        archives: Sequence[Archive] | None = None,
        budget_factory: Callable[[Archive], RateBudget] | None = None,
    ) -> None:
        self.targets = dict(targets)
        self.settings = settings
        self.cache = cache
        self.transport = transport
        self.budget_factory = budget_factory
        self.archives = (
            tuple(archives) if archives is not None else resolve_archives(settings.archives)
        )
        self.cached = cached_results(self.targets, self.archives, cache)
        self.todo = {u: t for u, t in self.targets.items() if u not in self.cached}
        self._lock = threading.Lock()
        self._early: list[tuple[str, Priority | None]] = []  # verdicts before the loop runs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduler: Scheduler | None = None
        self._task: asyncio.Task[dict[str, ArchiveResult]] | None = None
        self._fresh: dict[str, ArchiveResult] = {}
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._cancelled = False

    def start(self) -> ArchiveStage:
        """Begin the lookups (nothing to do when the cache knows every URL)."""
        if self.todo:
            self._thread = threading.Thread(target=self._main, name="archives", daemon=True)
            self._thread.start()
        return self

    def link_checked(self, link: LinkResult) -> None:
        """Take `link`'s verdict into account: look broken links up first, skipped ones not."""
        if link.url not in self.todo:
            return
        order = None if link.status is LinkStatus.SKIPPED else priority_of(link)
        with self._lock:
            if self._scheduler is None or self._loop is None:
                self._early.append((link.url, order))
                return
            _call_soon(self._loop, self._steer, link.url, order)

    def cancel(self) -> None:
        """Stop the lookups (the network is down); waits for the thread to end."""
        with self._lock:
            self._cancelled = True
            if self._loop is not None and self._task is not None:
                _call_soon(self._loop, self._task.cancel)
        if self._thread is not None:
            self._thread.join()

    def results(self, progress: bool = False) -> dict[str, ArchiveResult]:
        """Every target's result, once the lookups are done (cached and fresh)."""
        if self._thread is not None:
            if progress:
                self._show_progress()
            self._thread.join()
        if self._error is not None:
            raise self._error
        store_results(self.cache, self.todo, self.archives, self._fresh)
        merged = {**self.cached, **self._fresh}
        return {url: merged[url] for url in self.targets if url in merged}

    def state(self) -> tuple[int, int, float] | None:
        """(URLs done, URLs to do, seconds the budgets still need), or None when not running."""
        with self._lock:
            loop, scheduler = self._loop, self._scheduler
        if loop is None or scheduler is None or loop.is_closed():
            return None

        async def read() -> tuple[int, int, float]:
            return (
                len(scheduler.results),
                len(scheduler.results) + scheduler.pending,
                scheduler.eta(),
            )

        try:
            return asyncio.run_coroutine_threadsafe(read(), loop).result(timeout=1.0)
        except (FutureTimeout, RuntimeError):  # the loop ended meanwhile
            return None

    def _main(self) -> None:
        try:
            self._fresh = asyncio.run(self._run())
        except asyncio.CancelledError:
            self._fresh = {}
        except BaseException as exc:  # noqa: BLE001  (re-raised by results())
            self._error = exc

    async def _run(self) -> dict[str, ArchiveResult]:
        with self._lock:
            if self._cancelled:
                return {}
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()
        return await look_up(
            self.todo,
            self.settings,
            self.archives,
            transport=self.transport,
            budget_factory=self.budget_factory,
            attach=self._attach,
        )

    def _attach(self, scheduler: Scheduler) -> None:
        with self._lock:
            self._scheduler = scheduler
            early, self._early = self._early, []
        for url, order in early:
            self._steer(url, order)

    def _steer(self, url: str, order: Priority | None) -> None:
        if self._scheduler is None:
            return
        if order is None:
            self._scheduler.drop(url)
        else:
            self._scheduler.prioritise(url, order)

    def _show_progress(self) -> None:
        import sys

        if not sys.stderr.isatty() or self._thread is None:
            return
        from citecheck.archives.progress import ArchiveProgress

        bar = ArchiveProgress(self.archives)
        try:
            while self._thread.is_alive():
                state = self.state()
                if state is not None:
                    bar.update(*state)
                self._thread.join(POLL)
        finally:
            bar.stop()


def _call_soon(
    loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: object
) -> None:
    """`callback(*args)` on `loop`, unless the loop has ended (the lookups are over)."""
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:  # "Event loop is closed"
        pass
