"""What an archive lookup found for one URL (facts; the lead's rules turn them into findings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from citecheck.models import Rule, Snapshot

ARCHIVED_ONLY_AFTER = Rule.ARCHIVED_ONLY_AFTER
NO_ARCHIVED_COPY = Rule.NO_ARCHIVED_COPY
ARCHIVE_UNAVAILABLE = Rule.ARCHIVE_UNAVAILABLE


@dataclass(frozen=True)
class ArchiveResult:
    """The capture chosen for one URL, and the archive rules it implies.

    `snapshot` is the capture to cite (None when no good capture was found); `rules` holds
    at most one of "archived-only-after", "no-archived-copy", "archive-unavailable";
    `detail` says why in a few words; `fingerprint` is `drift.page_fingerprint` of the
    chosen capture's raw (`id_`) replay, None when it is not an HTML/text page.
    """

    snapshot: Snapshot | None
    rules: tuple[Rule, ...] = ()
    detail: str | None = None
    fingerprint: dict | None = None
    from_cache: bool = False

    def to_dict(self) -> dict:
        snap = self.snapshot
        return {
            "snapshot": None
            if snap is None
            else {"archive": snap.archive, "url": snap.url, "datetime": snap.datetime.isoformat()},
            "rules": list(self.rules),
            "detail": self.detail,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict, from_cache: bool = True) -> ArchiveResult:
        raw = data.get("snapshot")
        snap = (
            None
            if raw is None
            else Snapshot(raw["archive"], raw["url"], dt.datetime.fromisoformat(raw["datetime"]))
        )
        return cls(
            snap,
            tuple(Rule(r) for r in data.get("rules", ())),
            data.get("detail"),
            data.get("fingerprint"),
            from_cache,
        )
