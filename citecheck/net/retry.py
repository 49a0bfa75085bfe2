"""The retry policy: only transient failures, jittered exponential waits (tenacity's
strategy; the waiting itself is the link checker's: a retry goes back to its host's queue
instead of sleeping in a worker)."""

from __future__ import annotations

from typing import Protocol

from tenacity import RetryCallState, Retrying, wait_random_exponential

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# Not "protocol": a bad status line, a bad header or conflicting lengths come back the same.
TRANSIENT_ERRORS = frozenset({"timeout", "reset", "dns-failed"})
RETRY_BASE = 0.5  # seconds: the first retry waits up to this, each next one up to twice more
RETRY_MAX = 8.0


class Outcome(Protocol):
    """What is_transient reads of a fetch (checkers.facts.Fetch)."""

    @property
    def error(self) -> str | None: ...
    @property
    def status(self) -> int | None: ...
    @property
    def retry_after_too_long(self) -> bool: ...


def is_transient(fact: Outcome) -> bool:
    """Whether a fetch outcome is worth another attempt (never: no such name, refused)."""
    if fact.retry_after_too_long:
        return False
    if fact.error is not None:
        return fact.error in TRANSIENT_ERRORS
    return fact.status in TRANSIENT_STATUS


_WAIT = wait_random_exponential(multiplier=RETRY_BASE, max=RETRY_MAX)
_POLICY = Retrying(wait=_WAIT)


def retry_wait(retries_so_far: int) -> float:
    """Seconds before the next attempt: "full jitter" exponential back-off (uniform up to
    RETRY_BASE * 2**n, at most RETRY_MAX), so that clients retrying together spread out."""
    state = RetryCallState(_POLICY, None, (), {})
    state.attempt_number = retries_so_far + 1
    return float(_WAIT(state))
