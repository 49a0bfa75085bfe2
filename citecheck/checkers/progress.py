"""A rich progress bar on stderr while links are checked (only on a terminal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID


class LinkProgress:
    """URLs done, hosts done and the host with most URLs left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[hosts]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._left: dict[str, int] = {}
        self._task: TaskID | None = None
        self._shown = 0.0

    def start(self, per_host: dict[str, int]) -> None:
        self._left = dict(per_host)
        self._task = self._bar.add_task(
            "checking links", total=sum(per_host.values()), hosts=self._hosts_text()
        )
        self._bar.start()

    def done(self, host: str, queued: int) -> None:
        import time

        self._left[host] -= 1
        if self._task is None:
            return
        now = time.monotonic()
        if now - self._shown < 0.2:  # the host summary is O(hosts): refresh it 5 times a second
            self._bar.update(self._task, advance=1)
            return
        self._shown = now
        self._bar.update(self._task, advance=1, hosts=self._hosts_text())

    def _hosts_text(self) -> str:
        done = sum(1 for n in self._left.values() if n <= 0)
        slow = max(self._left, key=lambda h: self._left[h], default=None)
        tail = f", slowest {slow}" if slow and self._left[slow] > 0 else ""
        return f"hosts {done}/{len(self._left)}{tail}"

    def stop(self) -> None:
        self._bar.stop()
