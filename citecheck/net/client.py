"""The one HTTP client factory: the link checker, the archives and the identifier services
all get their connections here (address guard, proxies from the environment, honest
User-Agent, bounded connections).

`make_transport` builds the `net.web.GuardedTransport` (aiohttp underneath); the link checker
uses its `open` directly, everything else an `httpx.AsyncClient` from `make_client` over it
(through `net.httpx_adapter`; a test may pass an httpx transport of its own instead).
Tests pass `verify=` (a context trusting their CA) and `resolver=` (answers without DNS).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from citecheck import PROJECT_URL, __version__

if TYPE_CHECKING:
    import httpx
    from aiohttp.abc import AbstractResolver

    from citecheck.net.web import GuardedTransport
    from citecheck.settings import Settings

    # What callers may hand down as "the transport": ours, or an httpx one of a test's.
    AnyTransport = httpx.AsyncBaseTransport | GuardedTransport

CONNECT_TIMEOUT_CAP = 10.0  # seconds; a connect that needs longer will not answer


def default_user_agent() -> str:
    return f"citecheck/{__version__} (+{PROJECT_URL})"


def default_headers(user_agent: str | None) -> dict[str, str]:
    return {
        "User-Agent": user_agent or default_user_agent(),
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }


def tls_context() -> ssl.SSLContext:
    """Verifying TLS context: certifi's CA bundle where installed, else the system's."""
    try:
        import certifi
    except ImportError:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def make_transport(
    settings: Settings,
    *,
    verify: ssl.SSLContext | None = None,
    resolver: AbstractResolver | None = None,
    trusted: Iterable[str] = (),
    limit: int | None = None,
) -> GuardedTransport:
    """The guarded, pooled transport for `settings`. `trusted`: host names the user chose
    (configured archive endpoints) that the guard lets through; proxies from the environment
    are always trusted."""
    from citecheck.net.guard import AddressPolicy
    from citecheck.net.proxy import from_environment
    from citecheck.net.web import MAX_CONNECTIONS, GuardedTransport

    return GuardedTransport(
        AddressPolicy.from_settings(settings.allow_private, settings.allow_networks),
        verify if verify is not None else tls_context(),
        per_host=settings.per_host,
        connect_timeout=min(settings.timeout, CONNECT_TIMEOUT_CAP),
        limit=limit or MAX_CONNECTIONS,
        resolver=resolver,
        proxies=from_environment(),
        trusted=trusted,
        headers=default_headers(settings.user_agent),
    )


def make_client(
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    timeout: float | None = None,
    follow_redirects: bool = False,
    trusted: Iterable[str] = (),
    **options: Any,
) -> httpx.AsyncClient:
    """An httpx.AsyncClient over the guarded transport (or `transport`, e.g. a test's
    MockTransport), with the honest User-Agent and `timeout` (default: the run's)."""
    import httpx

    from citecheck.net.httpx_adapter import HttpxTransport
    from citecheck.net.web import GuardedTransport

    if transport is None:
        transport = make_transport(settings, trusted=trusted)
    if isinstance(transport, GuardedTransport):
        transport = HttpxTransport(transport)
    seconds = settings.timeout if timeout is None else timeout
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(seconds),
        headers={"User-Agent": settings.user_agent or default_user_agent()},
        follow_redirects=follow_redirects,
        trust_env=False,  # the transport applies the environment's proxies, guarded
        **options,
    )
