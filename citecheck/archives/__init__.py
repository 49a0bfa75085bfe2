"""Archived copies: the capture nearest each citation's date, in several web archives.

Entry points (network I/O only through the client built here, transport injectable):

- `find_snapshots(targets, settings)` -> {url: ArchiveResult}
- `drift_score(live_fingerprint, capture_fingerprint)` -> similarity 0..1
- `capture_urls(urls, settings, endpoint=...)` -> [CaptureResult] for `citecheck archive`
- `stale_urls(results, today=..., max_age_days=30)` -> URLs that need a new capture
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from citecheck.archives.registry import ARCHIVES, DEFAULTS, Archive, resolve_archives
from citecheck.archives.results import (
    ARCHIVE_UNAVAILABLE,
    ARCHIVED_ONLY_AFTER,
    NO_ARCHIVED_COPY,
    ArchiveResult,
)
from citecheck.archives.target import merge_targets, target_date
from citecheck.checkers.drift import drift_score

if TYPE_CHECKING:
    from citecheck.archives.budget import RateBudget
    from citecheck.archives.capture import CaptureResult
    from citecheck.cache.store import Cache
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

__all__ = [
    "ARCHIVED_ONLY_AFTER",
    "ARCHIVES",
    "ARCHIVE_UNAVAILABLE",
    "DEFAULTS",
    "NO_ARCHIVED_COPY",
    "Archive",
    "ArchiveResult",
    "cached_results",
    "cached_snapshots",
    "capture_urls",
    "capture_urls_async",
    "drift_score",
    "find_snapshots",
    "find_snapshots_async",
    "merge_targets",
    "resolve_archives",
    "stale_urls",
    "store_results",
    "target_date",
]

CACHE_KIND = "archive"
FOUND_TTL = 365 * 86400.0  # a capture does not change
NONE_TTL = 86400.0  # an archive may capture the page tomorrow


def find_snapshots(
    targets: Mapping[str, dt.date],
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    cache: Cache | None = None,
    archives: Sequence[Archive] | None = None,
) -> dict[str, ArchiveResult]:
    """The chosen capture (or the reason there is none) for each URL -> target date.

    `archives` overrides `settings.archives` (e.g. entries with CDX endpoints and budgets
    from references.yaml). Runs its own event loop; use `find_snapshots_async` inside one.
    """
    return asyncio.run(
        find_snapshots_async(targets, settings, transport=transport, cache=cache, archives=archives)
    )


async def find_snapshots_async(
    targets: Mapping[str, dt.date],
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    cache: Cache | None = None,
    archives: Sequence[Archive] | None = None,
    budget_factory: Callable[[Archive], RateBudget] | None = None,
) -> dict[str, ArchiveResult]:
    """`find_snapshots` for callers that already run an event loop."""
    from citecheck.archives.stage import look_up

    chosen = tuple(archives) if archives is not None else resolve_archives(settings.archives)
    results = cached_results(targets, chosen, cache)
    todo = {url: when for url, when in targets.items() if url not in results}
    if todo:
        fresh = await look_up(
            todo, settings, chosen, transport=transport, budget_factory=budget_factory
        )
        store_results(cache, todo, chosen, fresh)
        results.update(fresh)
    return {url: results[url] for url in targets}


def cached_results(
    targets: Mapping[str, dt.date], archives: Sequence[Archive], cache: Cache | None
) -> dict[str, ArchiveResult]:
    """What the cache knows for each URL -> target date, asking these archives."""
    if cache is None:
        return {}
    keys = {url: _cache_key(url, when, archives) for url, when in targets.items()}
    cached = cache.get_many(CACHE_KIND, list(keys.values()))
    return {url: ArchiveResult.from_dict(cached[key]) for url, key in keys.items() if key in cached}


def store_results(
    cache: Cache | None,
    targets: Mapping[str, dt.date],
    archives: Sequence[Archive],
    results: Mapping[str, ArchiveResult],
) -> None:
    """Keep fresh results: captures for long, "none" for a day, failures not at all."""
    if cache is not None:
        _store(cache, {_cache_key(u, targets[u], archives): r for u, r in results.items()})


def cached_snapshots(
    targets: Mapping[str, dt.date], settings: Settings, cache: Cache | None
) -> dict[str, ArchiveResult]:
    """What the cache knows for each URL -> target date (no network; `--offline`)."""
    return cached_results(targets, resolve_archives(settings.archives), cache)


def _cache_key(url: str, when: dt.date, archives: Sequence[Archive]) -> str:
    return (
        f"{url} {when.isoformat()} {','.join(sorted(a.name + '=' + a.timegate for a in archives))}"
    )


def _store(cache: Cache, results: Mapping[str, ArchiveResult]) -> None:
    found = {k: r.to_dict() for k, r in results.items() if not r.rules}
    none = {
        k: r.to_dict() for k, r in results.items() if r.rules and ARCHIVE_UNAVAILABLE not in r.rules
    }
    cache.put_many(CACHE_KIND, found, FOUND_TTL)
    cache.put_many(CACHE_KIND, none, NONE_TTL)


def stale_urls(
    results: Mapping[str, ArchiveResult], *, today: dt.date, max_age_days: int = 30
) -> list[str]:
    """URLs whose newest known capture is older than `max_age_days` (or that have none),
    given results of `find_snapshots` run with `today` as every target. URLs whose lookup
    failed are left out: their state is unknown."""
    limit = today - dt.timedelta(days=max_age_days)
    out = []
    for url, result in results.items():
        if ARCHIVE_UNAVAILABLE in result.rules:
            continue
        if result.snapshot is None or result.snapshot.datetime.date() < limit:
            out.append(url)
    return out


def capture_urls(
    urls: Sequence[str],
    settings: Settings,
    *,
    endpoint: str | None,
    transport: AnyTransport | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> list[CaptureResult]:
    """Ask an archive to capture each URL (Save Page Now 2, or the pywb recorder at
    `endpoint`); see `citecheck.archives.capture`."""
    from citecheck.archives.capture import capture_urls_async

    return asyncio.run(
        capture_urls_async(
            urls, settings, endpoint=endpoint, transport=transport, dry_run=dry_run, env=env
        )
    )


async def capture_urls_async(*args: Any, **kwargs: Any) -> list[CaptureResult]:
    """`citecheck.archives.capture.capture_urls_async`, imported when first used."""
    from citecheck.archives.capture import capture_urls_async as run

    return await run(*args, **kwargs)
