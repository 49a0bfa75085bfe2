"""The Wayback Availability API, asked for many URLs in one POST.

The shape is the one InternetArchiveBot uses (internetarchive/internetarchivebot,
app/src/Core/APII.php, `CDXQuery` and `retrieveArchive`): a form-encoded POST to
`https://archive.org/wayback/available` with the header `Wayback-Api-Version: 2` and one query
per line, `url=<url-encoded>&timestamp=YYYYMMDDhhmmss&closest=before&statuscodes=200&tag=<id>`.
The answer is `{"results": [{"tag": ..., "url": ..., "archived_snapshots": {"closest":
{"available": true, "url": "http://web.archive.org/web/TS/URL", "timestamp": "TS",
"status": "200"}}}, ...]}`; `"archived_snapshots": {}` means no capture was found, and a result
without `archived_snapshots` was not answered (IABot asks again).

The API is flaky (DESIGN §7): a capture it names is a candidate to replay, and its "no capture"
is only a hint, confirmed with the CDX API by the caller.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from urllib.parse import urlencode

from citecheck.archives.choose import (
    Capture,
    parse_timestamp14,
    target_instant,
    timestamp14,
    wayback_original,
    wayback_timestamp,
)
from citecheck.archives.registry import Archive
from citecheck.archives.session import ArchiveSession, ArchiveUnavailable

BATCH = 50  # URLs per POST
HEADERS = {
    "Wayback-Api-Version": "2",
    "Content-Type": "application/x-www-form-urlencoded",
}


def batch_body(targets: Mapping[str, dt.date]) -> tuple[str, dict[str, str]]:
    """The POST body for `targets` (URL -> target date) and the tag given to each URL."""
    lines, tags = [], {}
    for i, (url, when) in enumerate(targets.items()):
        tag = str(i)
        tags[tag] = url
        query = [
            ("url", url),
            ("timestamp", timestamp14(target_instant(when))),
            ("closest", "before"),
            ("statuscodes", "200"),
            ("tag", tag),
        ]
        lines.append(urlencode(query))
    return "\n".join(lines), tags


def parse_answer(
    text: str, archive: Archive, tags: Mapping[str, str], targets: Mapping[str, dt.date]
) -> dict[str, Capture | None]:
    """URL -> the capture on or before its target the API names (None: it names none).

    URLs the answer leaves out, or answers without `archived_snapshots`, are left out: they
    were not answered. A capture after the target, or not a 200, is no hint at all (None).
    """
    data = json.loads(text)
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ValueError("no 'results' list")
    out: dict[str, Capture | None] = {}
    for item in results:
        if not isinstance(item, dict) or str(item.get("tag")) not in tags:
            continue
        snapshots = item.get("archived_snapshots")
        if not isinstance(snapshots, dict):
            continue
        url = tags[str(item["tag"])]
        out[url] = _capture(snapshots.get("closest"), archive, url, targets[url])
    return out


def _capture(closest: object, archive: Archive, url: str, target: dt.date) -> Capture | None:
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    if str(closest.get("status", "200")) != "200":
        return None
    memento = str(closest.get("url") or "")
    stamp = wayback_timestamp(memento) or str(closest.get("timestamp") or "")
    if len(stamp) < 4 or not stamp.isdecimal():
        return None
    try:
        moment = parse_timestamp14(stamp)
    except ValueError:
        return None
    if moment > target_instant(target):
        return None
    original = wayback_original(memento) or url
    return Capture(archive.name, moment, f"{archive.timegate}{stamp}/{original}")


async def ask(
    session: ArchiveSession, archive: Archive, targets: Mapping[str, dt.date]
) -> dict[str, Capture | None]:
    """One POST for `targets` (at most BATCH of them); raise ArchiveUnavailable when the
    endpoint cannot be asked or answers something unreadable."""
    if archive.availability is None:
        raise ArchiveUnavailable(f"{archive.name}: no availability endpoint")
    body, tags = batch_body(targets)
    answer = await session.post(archive, archive.availability, body, headers=HEADERS)
    if answer.status != 200:
        raise ArchiveUnavailable(f"{archive.name}: availability answered HTTP {answer.status}")
    try:
        return parse_answer(answer.text(), archive, tags, targets)
    except (ValueError, TypeError) as exc:
        raise ArchiveUnavailable(
            f"{archive.name}: unreadable availability answer ({exc})"
        ) from None
