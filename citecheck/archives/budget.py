"""Per-archive request budgets: at most N requests in any minute, pauses on 429.

The budget is the politeness design for archives (DESIGN §6): the Internet Archive allows
about 20 requests a minute per client. A 429 pauses the archive for its Retry-After (capped);
after `max_429` consecutive 429s the archive is given up for the rest of the run, so that
one rate-limited archive never stalls the others.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable

from citecheck.net.hosts import parse_retry_after  # noqa: F401  (re-exported)

DEFAULT_RETRY_AFTER = 10.0  # seconds, when a 429 carries no Retry-After
RETRY_AFTER_CAP = 120.0


class RateBudget:
    """A sliding-window limiter (`per_minute` requests in any 60 s) with 429 handling.

    `clock` and `sleep` are injectable so that pacing can be simulated (bench/) and tested
    without waiting.
    """

    def __init__(
        self,
        per_minute: int | None,
        *,
        max_429: int = 3,
        retry_after_cap: float = RETRY_AFTER_CAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.per_minute = per_minute
        self.max_429 = max_429
        self.retry_after_cap = retry_after_cap
        self.clock, self.sleep = clock, sleep
        self._sent: collections.deque[float] = collections.deque()
        self._paused_until = 0.0
        self._consecutive_429 = 0
        self._lock = asyncio.Lock()
        self.requests = 0
        self.waited = 0.0

    @property
    def exhausted(self) -> bool:
        """True once the archive answered 429 `max_429` times in a row."""
        return self._consecutive_429 >= self.max_429

    async def acquire(self) -> None:
        """Wait until one more request fits the budget, then count it."""
        async with self._lock:
            while True:
                delay = self._delay(self.clock())
                if delay <= 0:
                    break
                self.waited += delay
                await self.sleep(delay)
            self._sent.append(self.clock())
            self.requests += 1

    def _delay(self, now: float) -> float:
        delay = self._paused_until - now
        if self.per_minute:
            while self._sent and self._sent[0] <= now - 60.0:
                self._sent.popleft()
            if len(self._sent) >= self.per_minute:
                delay = max(delay, self._sent[0] + 60.0 - now)
        return delay

    def seconds_for(self, requests: float) -> float:
        """About how long `requests` more requests take under this budget from now."""
        now = self.clock()
        pause = max(0.0, self._paused_until - now)
        if not self.per_minute:
            return pause
        recent = sum(1 for sent in self._sent if sent > now - 60.0)
        beyond = requests - (self.per_minute - recent)
        return pause + max(0.0, 60.0 * beyond / self.per_minute)

    def rate_limited(self, retry_after: float | None) -> None:
        """Record a 429: pause for Retry-After (capped) and count it."""
        self._consecutive_429 += 1
        wait = DEFAULT_RETRY_AFTER if retry_after is None else retry_after
        self._paused_until = max(self._paused_until, self.clock() + min(wait, self.retry_after_cap))

    def succeeded(self) -> None:
        """Record an answer that was not a 429."""
        self._consecutive_429 = 0
