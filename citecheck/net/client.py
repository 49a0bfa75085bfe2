"""The one HTTP client factory of the link checker: httpx over the guarded transport.

`make_transport` builds `net.transport.GuardedTransport` (HTTP/1.1, one keep-alive pool per
origin, every resolved address checked against the `AddressPolicy` at connect time, through
the proxies HTTP_PROXY/HTTPS_PROXY/NO_PROXY name, as httpx's own `trust_env` would); tests
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
    from citecheck.net.proxy import from_environment
    from citecheck.net.transport import GuardedTransport

    policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
    context = verify if verify is not None else httpx.create_ssl_context()
    return GuardedTransport(policy, context, settings.per_host, from_environment())


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing (cookies set by a response are ignored)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class LinkClient(httpx.AsyncClient):
    """An AsyncClient without a run-wide cookie jar.

    Why: httpx copies the whole jar into every request and parses every response into it
    (about 60 us a request with an empty jar, O(jar) once sites set cookies), and cited
    pages should be seen as a first-time reader sees them. Cookies a redirect sets are
    carried along its own chain by `checkers.fetch` (cookie-check redirects need that).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._cookies = _NoCookies()

    def _build_redirect_request(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Request:
        # Why: redirects are followed by hand (checkers.fetch judges every Location:
        # javascript:, two values, none...); httpx would parse the Location here and raise
        # before the checker sees the response.
        return request

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @cookies.setter
    def cookies(self, cookies) -> None:
        self._cookies = _NoCookies(cookies)


def make_client(
    settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    """The AsyncClient every check of a run goes through; redirects are followed by hand."""
    # Reads and writes need no timer of their own: checkers.fetch bounds every attempt by
    # the total `settings.timeout` (a per-read timer of the same length never fires first,
    # and costs a timer per read).
    timeout = httpx.Timeout(None, connect=min(settings.timeout, 10.0))
    headers = {
        "User-Agent": settings.user_agent or default_user_agent(),
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    # trust_env=False: the transport applies the environment's proxies itself (httpx would
    # mount its own proxy transports over ours, bypassing the address guard).
    return LinkClient(
        transport=transport or make_transport(settings, verify=verify),
        headers=headers,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
