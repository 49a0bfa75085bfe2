"""URLs of a note from its printed text and its link targets (DOCX hyperlinks, PDF annotations)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_ELLIPSIS = ("…", "...")
# Where a URL found in running text stops although the address goes on: a path boundary, or
# a character that text search cannot take into a URL (`<` in an old Wiley DOI: 44:6<1013::…).
_CUT_AT = '/?#<>"{}|\\^` '


def merge_urls(printed: list[str], linked: list[str]) -> tuple[str, ...]:
    """The printed URLs then the link targets, each once. A printed URL that is a shortened
    form of a link target ("www.dailydot.com" or "example.org/reports/…" for the full
    address) yields to the target: the link holds the address the citation means."""
    kept = [u for u in printed if not any(shortens(u, t) for t in linked)]
    return tuple(dict.fromkeys(kept + linked))


def shortens(printed: str, target: str) -> bool:
    """Whether `printed` is `target` cut short: at a path boundary or a character text search
    stops at, or anywhere with "…". Percent-escapes count as the characters they stand for."""
    if printed == target:
        return False
    short, full = _key(unquote(printed)), _key(unquote(target))
    cut = short.endswith(_ELLIPSIS)
    for mark in _ELLIPSIS:
        short = short.removesuffix(mark)
    if not short or not full.startswith(short):
        return False
    return cut or len(full) == len(short) or full[len(short)] in _CUT_AT or short.endswith("/")


def _key(url: str) -> str:
    """The URL compared without scheme, `www.` and a trailing slash, host lower-cased."""
    rest = _SCHEME.sub("", url.strip())
    host, slash, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + slash + path).rstrip("/")
