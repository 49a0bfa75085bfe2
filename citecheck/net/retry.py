"""The retry policy (tenacity): only transient failures, jittered exponential waits."""

from __future__ import annotations

from tenacity import AsyncRetrying, retry_if_result, stop_after_attempt, wait_random_exponential

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# Not "protocol": a bad status line, a bad header or conflicting lengths come back the same.
TRANSIENT_ERRORS = frozenset({"timeout", "reset", "dns-failed"})


def is_transient(fact) -> bool:
    """Whether a fetch outcome is worth another attempt (never: no such name, refused)."""
    if fact.retry_after_too_long:
        return False
    if fact.error is not None:
        return fact.error in TRANSIENT_ERRORS
    return fact.status in TRANSIENT_STATUS


def retrying(retries: int, multiplier: float = 0.5, max_wait: float = 8.0) -> AsyncRetrying:
    """`retries` more attempts after the first for transient outcomes; the last outcome is
    returned as is (a failed link is a value)."""
    return AsyncRetrying(
        stop=stop_after_attempt(retries + 1),
        wait=wait_random_exponential(multiplier=multiplier, max=max_wait),
        retry=retry_if_result(is_transient),
        retry_error_callback=lambda state: state.outcome.result(),
        reraise=True,
    )
