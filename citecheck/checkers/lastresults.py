"""The last result of every URL, failures included, with the day it was checked.

`check` re-checks failures every run (only live answers are reused, from the "link" entries);
these "last" entries are what offline commands (`appendix`, `check --offline`) show, so that a
dead link checked yesterday is still dead in the appendix, not "not checked".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from citecheck.models import LinkResult, LinkStatus

if TYPE_CHECKING:
    from citecheck.cache.store import Cache

KIND = "last"
TTL = 400 * 86400.0  # a year and a bit: appendices are made long after the check
CHECKED = "checked"  # the LinkResult.extra key holding the ISO date of the check
_NOT_A_RESULT = frozenset({LinkStatus.UNCHECKED, LinkStatus.SKIPPED})


def remember(cache: Cache, results: Mapping[str, LinkResult], day: dt.date) -> None:
    """Store every real result of this run (not skipped or unchecked ones) as the last."""
    from citecheck.checkers.stored import to_json

    iso = day.isoformat()
    entries = (  # made one at a time as they are written
        (url, {**to_json(r), CHECKED: iso})
        for url, r in results.items()
        if r.status not in _NOT_A_RESULT
    )
    cache.put_many(KIND, entries, TTL)


def recall(cache: Cache | None, keys: list[str]) -> dict[str, LinkResult]:
    """The last results stored for `keys`, marked from_cache, with the day in `extra`."""
    from citecheck.checkers.stored import from_json

    if cache is None:
        return {}
    found = cache.get_many(KIND, keys)
    return {
        url: from_json(url, v, str(v[CHECKED]) if v.get(CHECKED) else None)
        for url, v in found.items()
    }


def checked_days(cache: Cache | None, keys: list[str]) -> dict[str, str]:
    """URL -> ISO day of its last check, for the URLs that have one."""
    if cache is None:
        return {}
    found = cache.get_field_many(KIND, keys, CHECKED)
    return {url: str(day) for url, day in found.items() if day}


def _dated(result: LinkResult, day: str) -> LinkResult:
    import dataclasses

    return dataclasses.replace(result, extra={**result.extra, CHECKED: day})


def dated(result: LinkResult, day: str) -> LinkResult:
    """`result` with the day it was checked."""
    return _dated(result, day)
