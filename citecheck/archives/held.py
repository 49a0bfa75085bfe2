"""Whether the archive holds a cited memento: its replay followed inside the archive and
judged (facts; `citecheck.rules` decides `archived-copy-missing`).

A Wayback-style memento is replayed raw (`TSid_/ORIGINAL`): what answers is the capture
itself, so a 404, a capture far from the cited time, or a capture that is an error page,
a bot wall or a "not found" page means the cited copy is missing. A short-id memento
(archive.today, Perma.cc, WebCite) is replayed as cited: a 404 is missing, but a wall is the
archive's own (state unknown). Failed requests never read as missing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from citecheck.archives.cited import CitedMemento
from citecheck.archives.session import Answer, ArchiveSession, ArchiveUnavailable
from citecheck.models import LinkResult, LinkStatus, Snapshot

if TYPE_CHECKING:
    from citecheck.cache.store import Cache
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

CACHE_KIND = "memento"
HELD_TTL = 365 * 86400.0  # a capture does not go away often
MISSING_TTL = 86400.0
# A capture this far outside the time the cited URL names is not the one cited.
TOLERANCE = dt.timedelta(days=31)
MAX_HOPS = 4


class Held(StrEnum):
    HELD = "held"
    MISSING = "missing"
    UNKNOWN = "unknown"  # the archive could not be asked, or hid behind a wall
    UNCHECKED = "unchecked"  # offline


@dataclass(frozen=True)
class MementoCheck:
    """What the archive answered for one cited memento."""

    url: str
    archive: str
    state: Held
    detail: str = ""
    original: str | None = None  # as the URL or the archive (Link rel="original") says
    captured: dt.datetime | None = None
    from_cache: bool = False

    @property
    def snapshot(self) -> Snapshot | None:
        if self.state is not Held.HELD or self.captured is None:
            return None
        return Snapshot(self.archive, self.url, self.captured)

    def to_json(self) -> dict[str, Any]:
        when = self.captured.isoformat() if self.captured else None
        return {
            "archive": self.archive,
            "state": self.state.value,
            "detail": self.detail,
            "original": self.original,
            "captured": when,
        }

    @classmethod
    def from_json(cls, url: str, data: Mapping[str, Any]) -> MementoCheck:
        when = data.get("captured")
        return cls(
            url,
            str(data["archive"]),
            Held(data["state"]),
            str(data.get("detail") or ""),
            data.get("original"),
            dt.datetime.fromisoformat(when) if when else None,
            from_cache=True,
        )


def check_mementos(
    mementos: Mapping[str, CitedMemento],
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    cache: Cache | None = None,
) -> dict[str, MementoCheck]:
    """A check for every cited memento (key -> memento): cached first; offline, cached only."""
    cached = cache.get_many(CACHE_KIND, list(mementos)) if cache is not None else {}
    found = {k: MementoCheck.from_json(k, v) for k, v in cached.items()}
    todo = {k: m for k, m in mementos.items() if k not in found}
    if todo and not settings.offline:
        fresh = asyncio.run(_check_all(todo, settings, transport))
        if cache is not None:
            for state, ttl in ((Held.HELD, HELD_TTL), (Held.MISSING, MISSING_TTL)):
                chosen = {k: c.to_json() for k, c in fresh.items() if c.state is state}
                cache.put_many(CACHE_KIND, chosen, ttl)
        found.update(fresh)
    return {
        k: found.get(k) or MementoCheck(k, m.archive.name, Held.UNCHECKED, "offline", m.original)
        for k, m in mementos.items()
    }


async def _check_all(
    mementos: Mapping[str, CitedMemento], settings: Settings, transport: AnyTransport | None
) -> dict[str, MementoCheck]:
    from citecheck.archives.session import open_session

    archives = list({m.archive.name: m.archive for m in mementos.values()}.values())
    async with open_session(archives, settings, transport) as session:
        keys = list(mementos)
        checks = await asyncio.gather(*(check_one(session, mementos[k]) for k in keys))
    return dict(zip(keys, checks, strict=True))


async def check_one(session: ArchiveSession, memento: CitedMemento) -> MementoCheck:
    """Replay `memento` and judge what answers; one failure never aborts the others."""
    try:
        answer = await _follow(session, memento)
    except ArchiveUnavailable as exc:
        return _check(memento, Held.UNKNOWN, f"archive lookup failed: {exc}")
    except Exception as exc:  # noqa: BLE001 - isolation: one memento never aborts the run
        return _check(memento, Held.UNKNOWN, f"could not be checked ({type(exc).__name__})")
    if isinstance(answer, str):
        return _check(memento, Held.UNKNOWN, answer)
    return judge(memento, answer)


async def _follow(session: ArchiveSession, memento: CitedMemento) -> Answer | str:
    """The final answer of the replay, redirects followed while they stay in the archive
    (pywb and the Wayback Machine redirect to the nearest capture); a str says why not."""
    where = memento.raw_replay()
    host = urlsplit(where).hostname
    mirrors = {host, *memento.archive.mirrors}
    for _ in range(MAX_HOPS):
        answer = await session.get(memento.archive, where)
        if not (300 <= answer.status < 400 and "location" in answer.headers):
            return answer
        where = urljoin(where, answer.headers["location"])
        if urlsplit(where).hostname not in mirrors:
            return f"the archive redirects away from itself (to {where})"
    return "too many redirects inside the archive"


def judge(memento: CitedMemento, answer: Answer) -> MementoCheck:
    """Held, missing or unknown, from the final answer of a replay."""
    from citecheck.archives.choose import unusable_capture
    from citecheck.archives.memento import parse_http_date

    if answer.status in (404, 410):
        return _check(memento, Held.MISSING, f"the archive answers HTTP {answer.status}")
    if not 200 <= answer.status < 300:
        return _check(memento, Held.UNKNOWN, f"the archive answers HTTP {answer.status}")
    captured = parse_http_date(answer.headers.get("memento-datetime"))
    original = _original(answer) or memento.original
    unusable = unusable_capture(answer.headers, answer.body)
    if unusable is not None:
        # A raw replay is the capture itself; otherwise the wall is the archive's own page.
        state = Held.MISSING if memento.raw else Held.UNKNOWN
        return _check(memento, state, unusable, original, captured)
    if captured is not None and _far(memento, captured):
        detail = (
            f"the archive's nearest capture is of {captured:%Y-%m-%d}, not of the "
            f"{memento.stamp} the URL names"
        )
        return _check(memento, Held.MISSING, detail, original, captured)
    when = f" of {captured:%Y-%m-%d %H:%M}" if captured else ""
    return _check(memento, Held.HELD, f"capture{when} held", original, captured or memento.start)


def _far(memento: CitedMemento, captured: dt.datetime) -> bool:
    """The capture lies well outside the time the cited URL names (unknown: not far)."""
    if memento.start is None or memento.end is None:
        return False
    return not memento.start - TOLERANCE <= captured <= memento.end + TOLERANCE


def _check(
    memento: CitedMemento,
    state: Held,
    detail: str,
    original: str | None = None,
    captured: dt.datetime | None = None,
) -> MementoCheck:
    return MementoCheck(
        memento.url, memento.archive.name, state, detail, original or memento.original, captured
    )


def _original(answer: Answer) -> str | None:
    """The `Link: <...>; rel="original"` the archive names (RFC 7089 §2.2)."""
    from citecheck.archives.linkformat import parse_links

    for link in parse_links(answer.headers.get("link", "")):
        if "original" in link.rels:
            return link.uri
    return None


_STATUS = {
    Held.HELD: LinkStatus.ALIVE,
    Held.MISSING: LinkStatus.DEAD,
    Held.UNKNOWN: LinkStatus.UNREACHABLE,
    Held.UNCHECKED: LinkStatus.UNCHECKED,
}


def link_result(check: MementoCheck) -> LinkResult:
    """The cited memento as a checked link (its rule is decided by citecheck.rules)."""
    return LinkResult(
        check.url,
        _STATUS[check.state],
        detail=check.detail,
        from_cache=check.from_cache,
        snapshot=check.snapshot,
        extra={"original": check.original} if check.original else {},
    )
