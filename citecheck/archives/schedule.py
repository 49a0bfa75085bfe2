"""The order in which URLs are looked up in the archives, under their budgets.

Archive budgets (a few requests a minute) make the archive stage the slow part of a first run,
so the useful answers come first: URLs whose link is dead, a soft 404, parked or redirected
(the capture replaces the link), then those not yet checked, then live ones. Priorities can
change while the lookups run (links are still being checked). Archives with an availability
endpoint are asked for many URLs per request first, in the same order; the capture each
answer names is replayed instead of listing the archive's captures per URL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
from collections.abc import Mapping, Sequence
from enum import IntEnum

from citecheck.archives import availability
from citecheck.archives.choose import Capture
from citecheck.archives.lookup import lookup_url
from citecheck.archives.registry import Archive
from citecheck.archives.results import ArchiveResult
from citecheck.archives.session import ArchiveSession, ArchiveUnavailable
from citecheck.models import LinkResult, LinkStatus

# Requests per URL expected before any URL is done: a replay when a batch names a capture,
# else a CDX or TimeMap listing and a replay.
PRIOR_WITH_BATCH = 1.0
PRIOR_PER_URL = 2.0


class Priority(IntEnum):
    """Lookup order: lower first."""

    BROKEN = 0  # the capture will stand in for the link
    UNKNOWN = 1  # not checked yet, or could not be told (denied, unreachable)
    ALIVE = 2


_BROKEN = {LinkStatus.DEAD, LinkStatus.SOFT_404, LinkStatus.PARKED, LinkStatus.REDIRECTED}


def priority_of(link: LinkResult) -> Priority:
    """How soon the archives should be asked about `link`'s URL."""
    if link.status in _BROKEN:
        return Priority.BROKEN
    if link.status is LinkStatus.ALIVE:
        return Priority.ALIVE
    return Priority.UNKNOWN


class Scheduler:
    """Looks up `targets` (URL -> target date), most useful first, `workers` at a time."""

    def __init__(
        self,
        session: ArchiveSession,
        archives: Sequence[Archive],
        targets: Mapping[str, dt.date],
        workers: int,
    ) -> None:
        self.session = session
        self.archives = tuple(archives)
        self.targets = dict(targets)
        self.workers = max(1, workers)
        self.results: dict[str, ArchiveResult] = {}
        self._order = {url: i for i, url in enumerate(self.targets)}
        self._rank: dict[str, Priority] = {}
        self._heap: list[tuple[int, int, str]] = []
        self._dropped: set[str] = set()
        self._hints: dict[str, dict[str, asyncio.Future[Capture | None]]] = {}
        for url in self.targets:
            self._push(url, Priority.UNKNOWN)

    def prioritise(self, url: str, priority: Priority) -> None:
        """Give a queued URL the priority its link's verdict earns."""
        current = self._rank.get(url)
        if current is not None and priority != current:
            self._push(url, priority)

    def drop(self, url: str) -> None:
        """Do not look `url` up if it is still queued (its link turned out not archivable)."""
        if self._rank.pop(url, None) is not None:
            self._dropped.add(url)

    @property
    def pending(self) -> int:
        """URLs not yet looked up (queued or in progress)."""
        return len(self.targets) - len(self.results) - len(self._dropped)

    def eta(self) -> float:
        """Seconds the archives' budgets need for the URLs left (0 when unbudgeted)."""
        done = len(self.results)
        worst = 0.0
        for archive in self.archives:
            budget = self.session.budgets[archive.name]
            if not budget.per_minute:
                continue
            if done:  # what the URLs done so far cost, batches included
                left = self.pending * budget.requests / done
            elif archive.availability:
                left = self.pending * PRIOR_WITH_BATCH + -(-self.pending // availability.BATCH)
            else:
                left = self.pending * PRIOR_PER_URL
            worst = max(worst, budget.seconds_for(left))
        return worst

    async def run(self) -> dict[str, ArchiveResult]:
        """Look every URL up; the results by URL."""
        loop = asyncio.get_running_loop()
        batched = [a for a in self.archives if a.availability]
        for archive in batched:
            self._hints[archive.name] = {url: loop.create_future() for url in self.targets}
        hinting = [asyncio.create_task(self._hint_loop(a)) for a in batched]
        try:
            await asyncio.gather(*(self._worker() for _ in range(self.workers)))
        finally:
            for task in hinting:
                task.cancel()
            await asyncio.gather(*hinting, return_exceptions=True)
        return self.results

    def _push(self, url: str, priority: Priority) -> None:
        self._rank[url] = priority
        heapq.heappush(self._heap, (int(priority), self._order[url], url))

    def _pop(self) -> str | None:
        while self._heap:
            priority, _, url = heapq.heappop(self._heap)
            if self._rank.get(url) == priority:  # else a stale entry: moved up or dropped
                del self._rank[url]
                return url
        return None

    async def _worker(self) -> None:
        while (url := self._pop()) is not None:
            hints = {}
            for name, table in self._hints.items():
                capture = await table[url]
                if capture is not None:
                    hints[name] = capture
            result = await lookup_url(self.session, self.archives, url, self.targets[url], hints)
            self.results[url] = result

    async def _hint_loop(self, archive: Archive) -> None:
        """Ask the availability endpoint for every URL, BATCH at a time, in lookup order.

        When the endpoint fails, every URL left goes without a hint (listed per URL)."""
        table = self._hints[archive.name]
        try:
            while True:
                waiting = [u for u, f in table.items() if not f.done() and u not in self._dropped]
                if not waiting:
                    return
                # URLs a worker took already (no rank any more) are waiting for this answer.
                waiting.sort(key=lambda u: (self._rank.get(u, -1), self._order[u]))
                batch = waiting[: availability.BATCH]
                found = await availability.ask(
                    self.session, archive, {u: self.targets[u] for u in batch}
                )
                for url in batch:
                    table[url].set_result(found.get(url))
        except ArchiveUnavailable:
            return
        finally:  # never leave a worker waiting
            for future in table.values():
                if not future.done():
                    future.set_result(None)
