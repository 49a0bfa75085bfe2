"""Is there a network at all? Ask a few canary hosts before calling any host dead."""

from __future__ import annotations

import asyncio

from citecheck.checkers.fetch import FetchContext, fetch

CANARY_TIMEOUT = 5.0  # seconds; a canary that needs longer counts as failed
# Error classes that say "cannot reach the internet" (anything that got an answer, even a TLS
# failure or an error page, proves the network is up).
OFFLINE_ERRORS = frozenset({"no-such-name", "dns-failed", "refused", "connect", "timeout", "guard"})


async def network_down(ctx: FetchContext, canaries: tuple[str, ...]) -> bool:
    """True when every canary fails to resolve or connect; False when any answers (or there
    are no canaries to ask)."""
    if not canaries:
        return False
    probe_ctx = FetchContext(
        ctx.transport,
        ctx.policy,
        min(ctx.timeout, CANARY_TIMEOUT),
        ctx.global_slots,
        ctx.per_host,
        ctx.hosts,
        ctx.retry_after_cap,
    )
    tasks = [asyncio.create_task(fetch(probe_ctx, url, read_body=False)) for url in canaries]
    try:
        for next_done in asyncio.as_completed(tasks):
            fact = await next_done
            if fact.error not in OFFLINE_ERRORS:
                return False
        return True
    finally:
        for task in tasks:
            task.cancel()
