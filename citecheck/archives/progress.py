"""A rich progress bar on stderr while archives are asked: URLs done and the expected time
left under the archives' request budgets (only on a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citecheck.archives.registry import Archive


def eta_text(seconds: float) -> str:
    """`seconds` for people: "under a minute", "about 4 min", "about 1 h 10 min"."""
    if seconds < 60:
        return "under a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60} min left"


def budget_text(archives: Sequence[Archive]) -> str:
    """The slowest budget, as people read it: "archive.today allows 10 requests a minute"."""
    budgeted = [a for a in archives if a.per_minute]
    if not budgeted:
        return ""
    slowest = min(budgeted, key=lambda a: a.per_minute or 0)
    return f"{slowest.name} allows {slowest.per_minute} requests a minute"


class ArchiveProgress:
    """Archived-copy lookups done out of all, and the time the budgets still need."""

    def __init__(self, archives: Sequence[Archive]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[eta]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._budget = budget_text(archives)
        self._task: Any = None

    def update(self, done: int, total: int, seconds_left: float) -> None:
        eta = eta_text(seconds_left) + (f" ({self._budget})" if self._budget else "")
        if self._task is None:
            self._task = self._bar.add_task("archived copies", total=total, eta=eta)
            self._bar.start()
        self._bar.update(self._task, completed=done, total=total, eta=eta)

    def stop(self) -> None:
        self._bar.stop()
