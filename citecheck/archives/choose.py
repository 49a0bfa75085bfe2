"""Captures and the order in which they are tried (pure).

The capture to cite is the one nearest the target date, before preferred over after: what
the author read existed at the time, a later copy may already differ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

UTC = dt.UTC
_TIMESTAMP_RE = re.compile(r"^(?P<head>.*?/)(?P<ts>\d{14})(?P<flag>[a-z]{2}_)?/(?P<orig>.+)$")


@dataclass(frozen=True)
class Capture:
    """A memento listed by an archive (not yet checked by replaying it)."""

    archive: str
    datetime: dt.datetime  # aware, UTC
    url: str  # the memento URL (URI-M)


def target_instant(target: dt.date) -> dt.datetime:
    """The last second of the target day, UTC: a capture that day counts as before."""
    return dt.datetime.combine(target, dt.time(23, 59, 59), tzinfo=UTC)


def order_captures(captures: list[Capture], target: dt.date) -> list[Capture]:
    """Captures to try in order: on/before the target nearest first, then after nearest first.

    Duplicates (same archive and second) are dropped.
    """
    when = target_instant(target)
    unique = {(c.archive, c.datetime): c for c in captures}.values()
    before = sorted((c for c in unique if c.datetime <= when), key=lambda c: when - c.datetime)
    after = sorted((c for c in unique if c.datetime > when), key=lambda c: c.datetime - when)
    return before + after


def unusable_capture(headers: Mapping[str, str], body: bytes) -> str | None:
    """Why a replayed capture is not worth citing although it replays as 2xx: the archive
    captured a bot wall, a "page not found" page or a parked domain instead of the page;
    None for a real page (and for what is not HTML)."""
    from citecheck.checkers.page import read_page
    from citecheck.checkers.walls import header_wall

    wall = header_wall(headers)
    if wall is not None:
        return f"the capture is a bot wall ({wall})"
    ctype = headers.get("content-type", "text/html").split(";", 1)[0].strip().lower()
    if ctype not in ("", "text/html", "application/xhtml+xml"):
        return None
    page = read_page(body, None)
    if page.wall is not None:
        return f"the capture is a bot wall ({page.wall})"
    if page.not_found_cue:
        return f"the capture says not found ({page.title or page.heading})"
    if page.parking_cue:
        return "the capture is a domain parking page"
    return None


def timestamp14(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def parse_timestamp14(text: str) -> dt.datetime:
    """A wayback timestamp (YYYYMMDDhhmmss, shorter ones padded) as an aware datetime."""
    text = (text + "01010000000000"[len(text) - 4 :])[:14] if len(text) < 14 else text[:14]
    return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def raw_replay_url(memento_url: str) -> str:
    """The `id_` (as archived, unrewritten) form of a wayback-style memento URL."""
    m = _TIMESTAMP_RE.match(memento_url)
    if not m:
        return memento_url
    return f"{m['head']}{m['ts']}id_/{m['orig']}"


def replay_to_memento(url: str) -> str:
    """The memento URL of a raw replay URL (`.../TSid_/URL` -> `.../TS/URL`)."""
    m = _TIMESTAMP_RE.match(url)
    if not m or m["flag"] != "id_":
        return url
    return f"{m['head']}{m['ts']}/{m['orig']}"


def wayback_original(memento_url: str) -> str | None:
    """The original URL inside a wayback-style memento URL, or None."""
    m = _TIMESTAMP_RE.match(memento_url)
    return m["orig"] if m else None


def wayback_timestamp(memento_url: str) -> str | None:
    """The 14-digit timestamp inside a wayback-style memento URL, or None."""
    m = _TIMESTAMP_RE.match(memento_url)
    return m["ts"] if m else None


def same_resource(a: str, b: str) -> bool:
    """True when two URLs name the same page up to scheme, `www.`, default port and a
    trailing slash (an archive's own redirect between such forms is not 'elsewhere')."""
    return _loose(a) == _loose(b)


def _loose(url: str) -> str:
    from citecheck.urls import normalize

    norm = normalize(url)
    rest = norm.split("://", 1)[-1]
    if rest.startswith("www."):
        rest = rest[4:]
    return rest.rstrip("/")
