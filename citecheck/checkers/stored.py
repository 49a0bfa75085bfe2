"""Link results as the cache stores them (no HTTP stack imported: a warm run decodes
10,000 of them and may fetch nothing in this process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citecheck.checkers.lastresults import CHECKED
from citecheck.models import LinkResult, LinkStatus

if TYPE_CHECKING:
    from citecheck.settings import Settings

__all__ = ["from_json", "to_json", "wants_fingerprints"]


def to_json(result: LinkResult) -> dict:
    """A LinkResult as the JSON stored in the cache."""
    return {
        "status": result.status.value,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "redirects": [list(h) for h in result.redirects],
        "detail": result.detail,
        "rules": list(result.rules),
        "suggestion": result.suggestion,
        "https_works": result.https_works,
        "title": result.title,
        "extra": result.extra,
    }


_STATUSES = {status.value: status for status in LinkStatus}  # LinkStatus(value) is slow


def from_json(url: str, data: dict, checked: str | None = None) -> LinkResult:
    """A cached LinkResult (marked from_cache); `checked`: the ISO day it was checked, kept
    in `extra` (lastresults.CHECKED)."""
    extra = data.get("extra") or {}
    if checked:
        extra = {**extra, CHECKED: checked}
    redirects, rules = data["redirects"], data["rules"]
    return LinkResult(
        url=url,
        status=_STATUSES.get(data["status"]) or LinkStatus(data["status"]),
        http_status=data["http_status"],
        final_url=data["final_url"],
        redirects=tuple((int(c), u) for c, u in redirects) if redirects else (),
        from_cache=True,
        detail=data["detail"],
        # Entries cached by earlier versions also carry insecure-link, now decided by rules.py.
        rules=tuple(r for r in rules if r != "insecure-link") if rules else (),
        suggestion=data["suggestion"],
        https_works=data["https_works"],
        title=data["title"],
        extra=extra,
    )


def wants_fingerprints(settings: Settings) -> bool:
    """Whether live pages will be compared with captures (the archive stage runs)."""
    return not (settings.no_archive or settings.offline)
