"""The one HTTP client factory of the link checker: httpx over the guarded transport.

`make_transport` builds `net.transport.GuardedTransport` (HTTP/1.1, one keep-alive pool per
origin, every resolved address checked against the `AddressPolicy` at connect time); tests
pass their own transport (or `verify=` a context trusting their CA) to `make_client`.
"""

from __future__ import annotations

import ssl

import httpx

from citecheck import PROJECT_URL, __version__
from citecheck.net.guard import AddressPolicy


def default_user_agent() -> str:
    return f"citecheck/{__version__} (+{PROJECT_URL})"


def make_transport(settings, *, verify: ssl.SSLContext | None = None) -> httpx.AsyncBaseTransport:
    """The guarded, per-origin-pooled transport for `settings` (`verify`: CA context for tests)."""
    from citecheck.net.transport import GuardedTransport

    policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
    context = verify if verify is not None else httpx.create_ssl_context()
    return GuardedTransport(policy, context, settings.per_host)


def make_client(settings, *, transport: httpx.AsyncBaseTransport | None = None,
                verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """The AsyncClient every check of a run goes through; redirects are followed by hand."""
    timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0))
    headers = {
        "User-Agent": settings.user_agent or default_user_agent(),
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    return httpx.AsyncClient(transport=transport or make_transport(settings, verify=verify),
                             headers=headers, timeout=timeout, follow_redirects=False,
                             trust_env=False)
