"""The CDX API, in its two dialects.

Internet Archive (`/cdx/search/cdx`): `output=json` is a JSON array of arrays whose first row
names the fields (`timestamp`, `original`, `statuscode`...); `filter=statuscode:200` is a
regular expression. pywb (`/COLL/cdx`), which self-hosted archives run: `output=json` is
NDJSON, one object per line, with `url` and `status`; a plain `filter=status:200` is a
substring match, `=` makes it exact. Both accept `closest=TS&sort=closest`.
"""

from __future__ import annotations

import datetime as dt
import json

from citecheck.archives.choose import Capture, parse_timestamp14, target_instant, timestamp14
from citecheck.archives.registry import Archive
from citecheck.archives.session import ArchiveSession, ArchiveUnavailable

LIMIT = 12  # captures asked for around the target; more only costs bandwidth


def query_params(url: str, target: dt.date, dialect: str, limit: int = LIMIT) -> dict[str, str]:
    """The CDX query for the captures of `url` nearest `target` that answered 200."""
    params = {
        "url": url,
        "output": "json",
        "closest": timestamp14(target_instant(target)),
        "sort": "closest",
        "limit": str(limit),
    }
    if dialect == "pywb":
        params["filter"] = "=status:200"
    else:
        params["filter"] = "statuscode:200"
        params["fl"] = "timestamp,original,statuscode,mimetype"
    return params


def parse_rows(text: str) -> list[dict[str, str]]:
    """CDX rows as dicts with the dialect's field names, whatever the dialect.

    IA JSON (array of arrays, header first), pywb NDJSON (one object per line) and the
    plain space-separated IA default (urlkey timestamp original mimetype statuscode digest
    length) are told apart by their first character.
    """
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        rows = json.loads(text)
        if not rows:
            return []
        header = [str(h) for h in rows[0]]
        return [dict(zip(header, (str(v) for v in row), strict=False)) for row in rows[1:]]
    if text.startswith("{"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    plain = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
    return [
        dict(zip(plain, line.split(), strict=False)) for line in text.splitlines() if line.strip()
    ]


def row_status(row: dict[str, str]) -> int | None:
    value = row.get("statuscode", row.get("status", ""))
    return int(value) if str(value).isdecimal() else None


def row_original(row: dict[str, str]) -> str:
    return row.get("original") or row.get("url") or ""


def captures_from_rows(rows: list[dict[str, str]], archive: Archive, url: str) -> list[Capture]:
    """Captures that answered 200 (rows that are revisits, errors or redirects are dropped:
    the filter syntax differs by dialect, so the status is checked here too)."""
    out = []
    for row in rows:
        if row_status(row) != 200 or not row.get("timestamp"):
            continue
        ts = row["timestamp"]
        original = row_original(row) or url
        out.append(
            Capture(archive.name, parse_timestamp14(ts), f"{archive.timegate}{ts}/{original}")
        )
    return out


async def list_cdx(
    session: ArchiveSession, archive: Archive, url: str, target: dt.date
) -> list[Capture]:
    """Captures of `url` near `target` from the archive's CDX endpoint."""
    from urllib.parse import urlencode

    query = urlencode(query_params(url, target, archive.cdx_dialect))
    answer = await session.get(archive, f"{archive.cdx}?{query}")
    # Both dialects answer 200 with no rows when nothing is archived: a 404 is a wrong
    # endpoint, and must not read as "not archived".
    if answer.status != 200:
        raise ArchiveUnavailable(f"{archive.name}: CDX answered HTTP {answer.status}")
    try:
        rows = parse_rows(answer.text())
    except (ValueError, TypeError) as exc:
        raise ArchiveUnavailable(f"{archive.name}: unreadable CDX answer ({exc})") from None
    return captures_from_rows(rows, archive, url)
