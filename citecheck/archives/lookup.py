"""Finding the capture to cite for each URL across several archives.

For each URL every archive is asked concurrently (each under its own budget) for its
captures; they are merged and tried nearest-first (before the target preferred), and the
first whose raw replay is a real page (2xx with Memento-Datetime, not an error page, not a
redirect elsewhere) is chosen. Failed lookups never read as "not archived".
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from citecheck.archives import ia_cdx, memento
from citecheck.archives.choose import (
    Capture,
    order_captures,
    raw_replay_url,
    replay_to_memento,
    same_resource,
    target_instant,
    unusable_capture,
    wayback_original,
)
from citecheck.archives.registry import Archive
from citecheck.archives.results import (
    ARCHIVE_UNAVAILABLE,
    ARCHIVED_ONLY_AFTER,
    NO_ARCHIVED_COPY,
    ArchiveResult,
)
from citecheck.archives.session import Answer, ArchiveSession, ArchiveUnavailable
from citecheck.models import Snapshot

MAX_REPLAY_CHECKS = 6  # captures replayed per URL before giving up on finding a good one
MAX_ARCHIVE_HOPS = 3  # redirects inside the archive (e.g. http -> https of the same page)
_TEXTUAL = ("text/html", "application/xhtml", "text/plain")


@dataclass(frozen=True)
class Replay:
    """The outcome of replaying one capture raw: good or not, and why."""

    capture: Capture
    good: bool
    reason: str = ""
    answer: Answer | None = None


async def captures_of(
    session: ArchiveSession, archive: Archive, url: str, target: dt.date
) -> list[Capture]:
    """Captures of `url` in one archive, by the best protocol it offers."""
    if archive.cdx:
        return await ia_cdx.list_cdx(session, archive, url, target)
    if archive.timemap:
        return await memento.list_timemap(session, archive, url)
    return await memento.list_timegate(session, archive, url, target)


async def replay(session: ArchiveSession, archive: Archive, capture: Capture, url: str) -> Replay:
    """Fetch the capture as archived and judge it; redirects inside the archive to the same
    page are followed, any other redirect or an error status disqualifies the capture."""
    start = where = raw_replay_url(capture.url) if archive.raw_replay else capture.url
    for _ in range(MAX_ARCHIVE_HOPS + 1):
        answer = await session.get(archive, where)
        if 300 <= answer.status < 400 and "location" in answer.headers:
            target = urljoin(where, answer.headers["location"])
            if not _inside_archive(target, where, url, archive.mirrors):
                return Replay(capture, False, f"redirect to {target}")
            where = target
            continue
        if not 200 <= answer.status < 300:
            return Replay(capture, False, f"replays as HTTP {answer.status}")
        moment = memento.parse_http_date(answer.headers.get("memento-datetime"))
        if moment is None:
            return Replay(capture, False, "replay has no Memento-Datetime")
        unusable = unusable_capture(answer.headers, answer.body)
        if unusable is not None:
            return Replay(capture, False, unusable)
        # The archive may have redirected to its nearest capture: cite what was replayed.
        landed = capture.url if where == start else replay_to_memento(where)
        return Replay(Capture(capture.archive, moment, landed), True, answer=answer)
    return Replay(capture, False, "too many redirects")


def _inside_archive(target: str, current: str, url: str, mirrors: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(target)
    except ValueError:  # a malformed Location from the archive leads nowhere we follow
        return False
    if parts.netloc != urlsplit(current).netloc and (parts.hostname or "") not in mirrors:
        return False
    original = wayback_original(target)
    return original is None or same_resource(original, url)


async def lookup_url(
    session: ArchiveSession,
    archives: Sequence[Archive],
    url: str,
    target: dt.date,
    hints: Mapping[str, Capture] | None = None,
) -> ArchiveResult:
    """The ArchiveResult for one URL.

    `hints` maps an archive name to a capture its availability API named: that capture is
    replayed first and, when good, shown without asking any other archive; the archive is
    listed (CDX) only when the capture does not replay as a good page.
    """
    hints = dict(hints or {})
    seen = _Tries(session, {a.name: a for a in archives}, url, target)
    # A named capture is the closest on or before the date. When it replays as a good page it
    # is shown, and the archives without a batch endpoint (a few requests a minute each) are
    # not asked at all: that is what makes a first run take minutes, not half an hour.
    checked = await seen.first_good(list(hints.values()))
    if checked is not None:
        return _found(checked, target, seen.failures)
    unlisted = [a for a in archives if a.name not in hints or a.name in seen.bad]
    captures, listing_failures = await _list(session, unlisted, url, target)
    for failure in listing_failures:
        _add(seen.failures, failure)
    checked = await seen.first_good(captures)
    if checked is not None:
        return _found(checked, target, seen.failures)
    captures += hints.values()
    skipped, failures = seen.skipped, seen.failures
    return _not_found(captures, skipped, failures)


class _Tries:
    """The replays tried for one URL (at most MAX_REPLAY_CHECKS), and why each failed."""

    def __init__(
        self, session: ArchiveSession, archives: Mapping[str, Archive], url: str, target: dt.date
    ) -> None:
        self.session, self.archives, self.url, self.target = session, archives, url, target
        self.tried: set[tuple[str, dt.datetime]] = set()
        self.skipped: list[str] = []
        self.failures: list[str] = []
        self.bad: set[str] = set()  # archives with a capture that replayed badly

    async def first_good(self, captures: Sequence[Capture]) -> Replay | None:
        """The first of `captures` (nearest the date first) that replays as a good page."""
        for capture in order_captures(list(captures), self.target):
            if len(self.tried) >= MAX_REPLAY_CHECKS:
                return None
            if (capture.archive, capture.datetime) in self.tried:
                continue
            self.tried.add((capture.archive, capture.datetime))
            try:
                checked = await replay(
                    self.session, self.archives[capture.archive], capture, self.url
                )
            except ArchiveUnavailable as exc:
                _add(self.failures, str(exc))
                continue
            if checked.good:
                return checked
            self.bad.add(capture.archive)
            self.skipped.append(f"{capture.archive} {capture.datetime:%Y-%m-%d} {checked.reason}")
        return None


async def _list(
    session: ArchiveSession, archives: Sequence[Archive], url: str, target: dt.date
) -> tuple[list[Capture], list[str]]:
    """Every capture the archives list, asked concurrently, and the failures (deduplicated)."""
    listed = await asyncio.gather(
        *(captures_of(session, a, url, target) for a in archives), return_exceptions=True
    )
    failures: list[str] = []
    captures: list[Capture] = []
    for outcome in listed:
        if isinstance(outcome, ArchiveUnavailable):
            _add(failures, str(outcome))
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            captures += outcome
    return captures, failures


def _add(failures: list[str], failure: str) -> None:
    if failure not in failures:
        failures.append(failure)


def _found(checked: Replay, target: dt.date, failures: list[str]) -> ArchiveResult:
    capture = checked.capture
    snapshot = Snapshot(capture.archive, capture.url, capture.datetime)
    fingerprint = _fingerprint(checked.answer)
    if capture.datetime <= target_instant(target):
        return ArchiveResult(snapshot, (), None, fingerprint)
    detail = f"earliest good capture {capture.datetime:%Y-%m-%d} is after {target:%Y-%m-%d}"
    if failures:  # an archive that failed might hold an earlier copy: say unknown, not "after"
        return ArchiveResult(
            snapshot,
            (ARCHIVE_UNAVAILABLE,),
            f"{detail}; lookup failed: {'; '.join(failures)}",
            fingerprint,
        )
    return ArchiveResult(snapshot, (ARCHIVED_ONLY_AFTER,), detail, fingerprint)


def _not_found(captures: list[Capture], skipped: list[str], failures: list[str]) -> ArchiveResult:
    if failures:
        return ArchiveResult(None, (ARCHIVE_UNAVAILABLE,), "lookup failed: " + "; ".join(failures))
    if not captures:
        return ArchiveResult(None, (NO_ARCHIVED_COPY,), "no archive holds a capture")
    return ArchiveResult(
        None,
        (NO_ARCHIVED_COPY,),
        f"{len(captures)} capture(s), none usable: " + "; ".join(skipped[:3]),
    )


def _fingerprint(answer: Answer | None) -> dict | None:
    if answer is None:
        return None
    ctype = answer.headers.get("content-type", "text/html").lower()
    if not ctype.startswith(_TEXTUAL):
        return None
    from citecheck.checkers.drift import page_fingerprint, text_fingerprint

    text = answer.text()
    if ctype.startswith("text/plain"):
        return text_fingerprint(text)
    from citecheck.checkers.extras import titles_of

    # the capture's titles: a note's cited title is compared with them too (title-mismatch)
    return {**page_fingerprint(text), "titles": titles_of(text)}
