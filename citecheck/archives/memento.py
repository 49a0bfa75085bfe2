"""Memento (RFC 7089): TimeGates and TimeMaps.

A TimeGate request carries `Accept-Datetime` and is not followed: the archive answers a
redirect to the memento nearest that time, with `Link` naming neighbours and the TimeMap. A
TimeMap is a link-format list of every memento (parsed by `linkformat`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
from urllib.parse import urljoin

from citecheck.archives.choose import UTC, Capture, target_instant
from citecheck.archives.linkformat import Link, parse_links
from citecheck.archives.registry import Archive
from citecheck.archives.session import Answer, ArchiveSession, ArchiveUnavailable


def http_date(moment: dt.datetime) -> str:
    """RFC 1123 date, always a full timestamp in GMT (`Thu, 01 Oct 2015 23:59:59 GMT`)."""
    return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_http_date(text: str | None) -> dt.datetime | None:
    """An RFC 1123 date as an aware UTC datetime, or None when absent or malformed."""
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def mementos(links: list[Link], archive: str, base: str = "") -> list[Capture]:
    """Every link whose relations include `memento` and that has a datetime."""
    out = []
    for link in links:
        if "memento" not in link.rels:
            continue
        moment = parse_http_date(link.get("datetime"))
        if moment is not None:
            out.append(Capture(archive, moment, urljoin(base, link.uri)))
    return out


def timemap_captures(answer: Answer, archive: str) -> list[Capture]:
    """The mementos of a TimeMap answer (none for 404: RFC 7089 §4.3 answers 404 when the
    archive holds no memento of the URL)."""
    if answer.status == 404:
        return []
    if answer.status != 200:
        raise ArchiveUnavailable(f"{archive}: TimeMap answered HTTP {answer.status}")
    return mementos(parse_links(answer.text()), archive, answer.url)


async def list_timemap(
    session: ArchiveSession, archive: Archive, url: str, timemap: str | None = None
) -> list[Capture]:
    """Every memento of `url` from the archive's TimeMap."""
    answer = await session.get(archive, timemap or f"{archive.timemap}{url}")
    return timemap_captures(answer, archive.name)


async def list_timegate(
    session: ArchiveSession, archive: Archive, url: str, target: dt.date
) -> list[Capture]:
    """Mementos near `target` via the TimeGate; the whole TimeMap when its Link names one."""
    headers = {"Accept-Datetime": http_date(target_instant(target))}
    answer = await session.get(archive, archive.timegate + url, headers=headers)
    if answer.status in (404, 410):
        return []
    links = parse_links(answer.headers.get("link", ""))
    found = mementos(links, archive.name, answer.url)
    if answer.status in (301, 302, 303, 307, 308) and "location" in answer.headers:
        location = urljoin(answer.url, answer.headers["location"])
        moment = parse_http_date(answer.headers.get("memento-datetime"))
        if moment is None:
            moment = next((c.datetime for c in found if c.url == location), None)
        if moment is not None:
            found.append(Capture(archive.name, moment, location))
    elif answer.status == 200 and (
        moment := parse_http_date(answer.headers.get("memento-datetime"))
    ):
        # The TimeGate is the memento itself (RFC 7089 pattern 2.1).
        found.append(Capture(archive.name, moment, answer.url))
    elif not found and answer.status >= 400:
        raise ArchiveUnavailable(f"{archive.name}: TimeGate answered HTTP {answer.status}")
    timemap = next((link for link in links if "timemap" in link.rels), None)
    if timemap is not None:
        found += await list_timemap(session, archive, url, urljoin(answer.url, timemap.uri))
    return found
