"""The date a citation is judged against (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def target_date(
    accessed: dt.date | None,
    as_of: dt.date | None,
    published: dt.date | None = None,
    today: dt.date | None = None,
) -> dt.date:
    """The note's `accessed` date, else `as_of` (manifest/`--as-of`), else the report's
    publication date, else today."""
    return accessed or as_of or published or today or dt.date.today()


def merge_targets(pairs: Iterable[tuple[str, dt.date]]) -> dict[str, dt.date]:
    """URL -> target date; a URL cited by several notes takes the earliest date, because the
    earliest reading is the one the capture must show."""
    out: dict[str, dt.date] = {}
    for url, when in pairs:
        out[url] = min(when, out.get(url, when))
    return out
