"""Per-host politeness: in-flight limit, minimum interval, back-off and Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
import time

MIN_INTERVAL = 0.0  # seconds between request starts on one host (proposed setting)
RETRY_AFTER_CAP = 60.0  # longest Retry-After we wait for; beyond it the URL is unreachable


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent
    or unparseable."""
    if not value:
        return None
    value = value.strip()
    if value.isdecimal():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Host:
    """One host's politeness state, shared by every request to it during a run."""

    __slots__ = ("_next_start", "interval", "name", "not_before", "slot")

    def __init__(self, name: str, per_host: int, interval: float = MIN_INTERVAL):
        self.name = name
        self.slot = asyncio.Semaphore(per_host)
        self.interval = interval
        self.not_before = 0.0  # back-off: no request starts before this (monotonic)
        self._next_start = 0.0

    async def wait_turn(self) -> None:
        """Sleep until this host may get another request (back-off and minimum interval)."""
        while True:
            now = time.monotonic()
            start = max(self.not_before, self._next_start)
            if start <= now:
                self._next_start = now + self.interval
                return
            await asyncio.sleep(start - now)

    def back_off(self, seconds: float) -> None:
        """Hold every request to this host for `seconds` (429/503, Retry-After)."""
        self.not_before = max(self.not_before, time.monotonic() + seconds)
