"""What the identifier services answered about one DOI: facts, judged by citecheck.rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class DoiState(StrEnum):
    FOUND = "found"  # the handle system holds it
    NOT_FOUND = "not-found"  # the handle system answered "not found" (responseCode 100)
    UNKNOWN = "unknown"  # could not tell (service down, rate-limited, odd answer)


@dataclass(frozen=True)
class Update:
    """A notice registered against the work: retraction, withdrawal, expression of concern..."""

    kind: str  # Crossref's update type: "retraction", "expression_of_concern", ...
    doi: str | None
    date: dt.date | None


@dataclass(frozen=True)
class DoiRecord:
    doi: str
    state: DoiState
    detail: str = ""
    landing_url: str | None = None
    registry: str | None = None  # "crossref" or "datacite" (where the metadata came from)
    title: str | None = None
    years: tuple[int, ...] = ()  # issued, published in print and online
    container: str | None = None
    updates: tuple[Update, ...] = ()
    from_cache: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "doi": self.doi,
            "state": self.state.value,
            "detail": self.detail,
            "landing_url": self.landing_url,
            "registry": self.registry,
            "title": self.title,
            "years": list(self.years),
            "container": self.container,
            "updates": [
                [u.kind, u.doi, u.date.isoformat() if u.date else None] for u in self.updates
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DoiRecord:
        return cls(
            data["doi"],
            DoiState(data["state"]),
            data.get("detail") or "",
            data.get("landing_url"),
            data.get("registry"),
            data.get("title"),
            tuple(data.get("years") or ()),
            data.get("container"),
            tuple(
                Update(kind, doi, dt.date.fromisoformat(day) if day else None)
                for kind, doi, day in data.get("updates") or ()
            ),
            from_cache=True,
        )
