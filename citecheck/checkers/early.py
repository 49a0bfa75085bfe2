"""The last run's failures of a report, fetched again from start-up.

Failures are checked again every run (DESIGN §6), and on a warm cache they are all a run
fetches; but which URLs a report cites is known only once it is read and analysed, and by
then a warm run of 10,000 links has spent most of its CPU (0.3 s before the first request).
So each run remembers, per report, the URLs that failed, and the next run starts fetching
those as soon as its settings are known, while the report is still being read. When the run
gets to its links it takes that fetch over (`attach`): the URLs the report no longer cites
and not yet asked for are dropped, the ones the last run did not fail on are added to the
same fetch (one set of politeness limits), and the verdicts are the same as without it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from citecheck.checkers import _Background
from citecheck.checkers.extras import PageWants
from citecheck.models import LinkResult, LinkStatus

if TYPE_CHECKING:
    from citecheck.cache.store import Cache
    from citecheck.checkers.progress import LinkProgress
    from citecheck.checkers.run import More
    from citecheck.settings import Settings

KIND = "refetch"
TTL = 30 * 86400.0  # a report checked again after a month is read first, as on a first run
START_WAIT = 2.0  # seconds the run waits at most for the early fetch's first requests
_NOT_FAILED = frozenset(
    {LinkStatus.ALIVE, LinkStatus.REDIRECTED, LinkStatus.SKIPPED, LinkStatus.UNCHECKED}
)


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


class EarlyFetch:
    """The fetch of a report's last failures, started before the report is read."""

    def __init__(
        self, urls: Sequence[str], wants: PageWants, settings: Settings, cache: Cache
    ) -> None:
        self.urls = frozenset(urls)
        self.wants = wants
        self._settings = settings
        self._cache = cache  # its own connection, used by the fetching thread; closed by close()
        self._more: asyncio.Future[More] | None = None
        started = threading.Event()
        self._background = _Background(lambda: self._main(list(urls), started.set))
        # The fetch is what the run waits for at the end: it gets the CPU first (the HTTP
        # stack's import, 0.1 s, and its first requests), the report is read while it waits.
        started.wait(START_WAIT)

    async def _main(
        self, urls: list[str], started: Callable[[], None]
    ) -> tuple[dict[str, LinkResult], bool]:
        from citecheck.checkers.run import run

        self._more = asyncio.get_running_loop().create_future()
        try:
            return await run(
                urls,
                self._settings,
                None,
                self._cache,
                wants=self.wants,
                more=self._more,
                started=started,
            )
        finally:
            started()  # an error before the first request: the caller stops waiting

    def covers(self, url: str, wants: PageWants) -> bool:
        """Whether this fetch checks `url` as a run wanting `wants` would."""
        return url in self.urls and wants.wanted(url) == self.wants.wanted(url)

    def attach(
        self,
        todo: Sequence[str],
        wants: PageWants,
        on_result: Callable[[LinkResult], None] | None,
        progress: LinkProgress | None,
    ) -> None:
        """Hand the fetch the run's URLs to check (`todo`): those it does not cover are
        added, those it holds and `todo` lacks are dropped unless already asked for."""
        from citecheck.checkers.run import More

        more = More(
            tuple(u for u in todo if u not in self.urls),
            frozenset(todo),
            wants,
            on_result,
            progress,
        )
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
        """(results, network unavailable) of the whole fetch, once it is done."""
        return self._background.result()

    def stop(self) -> None:
        """Cancel the fetch if it still runs (the run was interrupted)."""
        self._background.stop()

    def close(self) -> None:
        """Stop the fetch if no run took it over (or it still runs after an error), and
        close its cache connection."""
        try:
            self._background.stop()
        finally:
            self._cache.close()


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
    stored = cache.get(KIND, report) if cache.enabled else None
    urls = [u for u in (stored or {}).get("urls", ()) if isinstance(u, str)]
    skip = excluded(urls) if urls else ()
    urls = [u for u in urls if u not in skip]
    if not urls:
        cache.close()
        return None
    wants = PageWants(frozenset(stored["anchors"]), frozenset(stored["titles"]))  # type: ignore[index]
    return EarlyFetch(urls, wants, settings, cache)
