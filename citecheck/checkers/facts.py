"""What happened when a URL was fetched: facts only, no judgement (see verdict.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FetchError(StrEnum):
    """Why a fetch ended with no final response (Fetch.error); verdict.py judges each."""

    NO_SUCH_NAME = "no-such-name"
    DNS_FAILED = "dns-failed"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    RESET = "reset"
    TLS = "tls"
    GUARD = "guard"
    CONNECT = "connect"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    PROTOCOL = "protocol"
    BAD_URL = "bad-url"
    BAD_REDIRECT = "bad-redirect"  # a redirect without a target, or to a non-web address
    INTERNAL = "internal"  # our own code failed on this URL (isolation: never a verdict)
    HOST_DOWN = "host-down"  # the circuit breaker: the host stopped answering, not tried
    LOCAL_LIMIT = "local-limit"  # this machine ran out of sockets or files (never a verdict)


@dataclass(frozen=True, slots=True)
class Page:
    """What the verdict needs from an HTML body (parsed once, body then dropped)."""

    title: str | None = None
    heading: str | None = None
    not_found_cue: bool = False
    parking_cue: bool = False
    fingerprint: dict | None = None
    length: int = 0
    html: str | None = field(default=None, repr=False, compare=False)  # until judged
    wall: str | None = None  # the bot wall (product) the page is, if it is one
    refresh: str | None = None  # target of an immediate <meta http-equiv="refresh">


@dataclass(frozen=True, slots=True)
class Fetch:
    """The outcome of fetching one URL (after retries), following redirects by hand."""

    url: str
    status: int | None = None  # status of the last response
    final_url: str | None = None
    hops: tuple[tuple[int, str], ...] = ()  # (status, location) per redirect
    error: FetchError | None = None  # set when there is no final response
    error_detail: str | None = None
    content_type: str | None = None
    cf_mitigated: str | None = None
    wall: str | None = None  # product whose challenge header or page answered
    retry_after: float | None = None
    retry_after_too_long: bool = False
    page: Page | None = None
    attempts: int = 1
    answered: bool = False  # the host sent a response head (even if the body then failed)
    pdf_pages: int | None = None  # pages of a PDF answer, counted when a #page= is cited

    def __post_init__(self) -> None:
        if self.error is not None:  # a string error class becomes a FetchError (or raises)
            object.__setattr__(self, "error", FetchError(self.error))


@dataclass(frozen=True, slots=True)
class Probe:
    """How the host answers a random path that cannot exist (one per host, for soft-404)."""

    status: int | None
    final_url: str | None
    digest: str | None
    title: str | None
