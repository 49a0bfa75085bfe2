"""Per-host politeness: in-flight limit, minimum interval, back-off and Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
import time

MIN_INTERVAL = 0.0  # seconds between request starts on one host (proposed setting)
RETRY_AFTER_CAP = 60.0  # longest Retry-After we wait for; beyond it the URL is unreachable
BREAKER_FAILURES = 3  # consecutive connect failures or timeouts that mean "host is down"
SETTLE_POLL = 0.05  # seconds between looks at a failing host's requests in flight


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

    __slots__ = (
        "_next_start",
        "failures",
        "in_flight",
        "interval",
        "name",
        "not_before",
        "remaining",
        "slot",
    )

    def __init__(self, name: str, per_host: int, interval: float = MIN_INTERVAL) -> None:
        self.name = name
        self.slot = asyncio.Semaphore(per_host)
        self.interval = interval
        self.not_before = 0.0  # back-off: no request starts before this (monotonic)
        self._next_start = 0.0
        self.remaining = 0  # URLs of this host not yet started (0: close connections after)
        self.failures = 0  # consecutive connect failures and timeouts (the circuit breaker)
        self.in_flight = 0  # requests sent and not yet answered (the breaker settles on them)

    @property
    def stopped_answering(self) -> bool:
        """The circuit breaker is open: the host's other URLs are not tried."""
        return self.failures >= BREAKER_FAILURES

    def record(self, error: str | None) -> None:
        """Count an attempt's outcome for the breaker (`error`: the fetch's error class)."""
        if error in ("timeout", "connect"):
            self.failures += 1
        elif error != "local-limit":
            self.failures = 0

    async def settle(self) -> None:
        """After a connect failure or timeout: wait until the host's other requests in flight
        have ended (or the breaker opened), so that no new request is started on a host that
        may be down before the breaker can know."""
        while self.in_flight and not self.stopped_answering:
            await asyncio.sleep(SETTLE_POLL)

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
