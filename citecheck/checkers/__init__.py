"""Liveness of cited URLs: `check_links` fetches every unique URL once and judges it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from citecheck.checkers.extras import PageWants
from citecheck.models import LinkResult, LinkStatus
from citecheck.urls import normalize, url_problem

if TYPE_CHECKING:
    from citecheck.cache.store import Cache
    from citecheck.checkers.early import EarlyFetch
    from citecheck.checkers.progress import LinkProgress
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class LinkRun:
    """The outcome of checking a document's links.

    `results` is keyed by normalised URL; `network_unavailable` means no host at all could
    be reached (every result is then `unchecked`). Why a cache was bypassed, if it was, is
    the cache's own `problem`.
    """

    results: dict[str, LinkResult]
    network_unavailable: bool


def check_links(
    urls: Sequence[str],
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    cache: Cache | None = None,
    progress: bool = False,
    on_result: Callable[[LinkResult], None] | None = None,
    wants: PageWants | None = None,
    meanwhile: Callable[[Mapping[str, LinkResult]], None] | None = None,
    early: EarlyFetch | None = None,
) -> LinkRun:
    """Check every unique (normalised) URL once, politely and concurrently.

    `on_result` is told each verdict as soon as it is known (cached ones as they are decoded,
    while the others are fetched), so that
    later stages can start before the last link is checked. `wants` names the pages whose
    anchors (a cited #fragment) or titles (a cited title) are kept; a cached result without
    them is fetched again. A cached result carries the day it was checked (in `extra`).
    `meanwhile` is called on this thread with the results known without fetching (cached,
    unfetchable; maybe none) while the others are fetched: work that needs only those, or no
    link result at all, is done then. `early`, the fetch of the last run's failures started
    before the report was read, is taken over: it checks the URLs to fetch."""
    keys = list(dict.fromkeys(normalize(u) for u in urls))
    results: dict[str, LinkResult] = {}
    todo = []
    for key in keys:
        judged = unfetchable(key)
        if judged is not None:
            results[key] = judged
        else:
            todo.append(key)
    # Undecoded: each entry becomes its LinkResult in turn (not 10,000 dicts held at once).
    stored = cache.get_texts_stored("link", todo) if cache is not None else {}
    texts = {k: text for k, (text, _) in stored.items()}
    cached = _usable(texts, cache, settings, wants) if cache is not None else {}
    todo = [key for key in todo if key not in cached]
    bar = _progress_bar() if progress and todo else None

    def fetch(urls: list[str]) -> Coroutine[Any, Any, tuple[dict[str, LinkResult], bool]]:
        from citecheck.checkers.run import run  # the HTTP stack: only where it fetches

        return run(urls, settings, transport, cache, bar, on_result, wants)

    again: list[str] = []  # fetched again after the early fetch
    fetching: _Background | EarlyFetch | None = None
    if early is not None:
        again = [k for k in todo if k in early.urls and not early.covers(k, wants or PageWants())]
        early.attach([k for k in todo if k not in again], wants or PageWants(), on_result, bar)
        fetching = early
    elif todo and (cached or results or meanwhile):
        # Failures are fetched again every run: the fetch starts first, and while it waits
        # for the sites the cached results are decoded (and `meanwhile` works on them).
        fetching = _Background(lambda: fetch(todo))
    try:
        results.update(_decoded(cached, stored))
        if on_result is not None:
            for result in results.values():
                on_result(result)
        if meanwhile is not None:
            meanwhile(results)
        fetched, down = (
            fetching.result() if fetching else asyncio.run(fetch(todo)) if todo else ({}, False)
        )
        # fetched early for other page extras, or lost with the early fetch's process
        again += [k for k in todo if k not in fetched and k not in again] if early else []
        if again and not down:
            refetched, down = asyncio.run(fetch(again))
            fetched = {**fetched, **refetched}
    finally:
        if fetching is not None:
            fetching.stop()
        if bar is not None:
            bar.stop()
    results.update((k, fetched[k]) for k in todo if k in fetched)  # early: maybe others too
    if down:
        results = {
            key: unfetchable(key)
            or LinkResult(key, LinkStatus.UNCHECKED, detail="network unavailable")
            for key in keys
        }
    ordered = {key: results[key] for key in keys}
    return LinkRun(ordered, down)


class _Background(Generic[T]):
    """A coroutine run on an event loop of its own, in a thread (a daemon: an interrupted
    run does not wait for it)."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[T] | None = None
        self._ready = threading.Event()
        self._outcome: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._main, args=(make,), name="links", daemon=True)
        self._thread.start()

    def _main(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        async def main() -> T:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()
            self._ready.set()
            return await make()

        try:
            self._outcome.append(asyncio.run(main()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of result()
            self._error.append(exc)
        finally:
            self._ready.set()

    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The coroutine's event loop, once it runs (None: it could not start)."""
        self._ready.wait()
        return self._loop

    def result(self) -> T:
        """The coroutine's value (or its exception), once it is done."""
        self._thread.join()
        if self._error:
            raise self._error[0]
        return self._outcome[0]

    def stop(self) -> None:
        """Cancel the coroutine if it still runs (the caller was interrupted) and wait a
        little for it to close its connections."""
        if not self._thread.is_alive():
            return
        self._ready.wait()
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout=5)


def _usable(
    cached: dict[str, str], cache: Cache, settings: Settings, wants: PageWants | None
) -> dict[str, str]:
    """The cached entries (key -> JSON text) this run can use: not a page cached without
    its fingerprint (by a --no-archive run) when captures will be compared, and holding the
    extras `wants` asks for (anchors, titles; decoded for those few URLs only)."""
    from orjson import loads

    from citecheck.checkers.stored import wants_fingerprints

    if cached and wants_fingerprints(settings):
        bare = cache.get_field_many("link", list(cached), "unfingerprinted")
        cached = {k: text for k, text in cached.items() if not bare.get(k)}
    if cached and wants is not None and (wants.anchors or wants.titles):
        cached = {
            k: text
            for k, text in cached.items()
            if not wants.wanted(k) or wants.satisfied(k, loads(text).get("extra") or {})
        }
    return cached if cache.enabled else {}


def _decoded(
    cached: Mapping[str, str], stored: Mapping[str, tuple[str, float]]
) -> Iterator[tuple[str, LinkResult]]:
    """Each cached entry as its LinkResult, with the day it was checked: a live result is
    stored the day it is checked (`dt.date.today()`, local) and kept until it expires."""
    import datetime as dt

    from orjson import loads

    from citecheck.checkers.stored import from_json

    for key, text in cached.items():
        day = dt.date.fromtimestamp(stored[key][1]).isoformat()
        yield key, from_json(key, loads(text), day)


def unfetchable(key: str) -> LinkResult | None:
    """The result of a URL that is not fetched: not http(s), or malformed (the document
    check `malformed-url` reports those, network or not). None for every other URL."""
    if not key.startswith(("http://", "https://")):
        return LinkResult(key, LinkStatus.SKIPPED, detail="not an http(s) URL")
    try:
        problem = url_problem(key)
    except Exception as exc:  # noqa: BLE001 - one odd URL never aborts the run
        problem = f"{type(exc).__name__}: {exc}"
    if problem:
        return LinkResult(key, LinkStatus.SKIPPED, detail=f"malformed URL: {problem}")
    return None


def _progress_bar() -> LinkProgress | None:
    import sys

    if not sys.stderr.isatty():
        return None
    from citecheck.checkers.progress import LinkProgress

    return LinkProgress()
