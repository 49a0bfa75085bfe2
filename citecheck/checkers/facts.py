"""What happened when a URL was fetched: facts only, no judgement (see verdict.py)."""

from __future__ import annotations

from dataclasses import dataclass

# Error classes a fetch can end with (Fetch.error).
ERRORS = (
    "no-such-name",
    "dns-failed",
    "refused",
    "timeout",
    "reset",
    "tls",
    "guard",
    "connect",
    "redirect-loop",
    "too-many-redirects",
    "protocol",
    "bad-url",
    "bad-redirect",
    "internal",
)


@dataclass(frozen=True, slots=True)
class Page:
    """What the verdict needs from an HTML body (parsed once, body then dropped)."""

    title: str | None = None
    heading: str | None = None
    not_found_cue: bool = False
    parking_cue: bool = False
    fingerprint: dict | None = None
    length: int = 0
    wall: str | None = None  # the bot wall (product) the page is, if it is one
    refresh: str | None = None  # target of an immediate <meta http-equiv="refresh">


@dataclass(frozen=True, slots=True)
class Fetch:
    """The outcome of fetching one URL (after retries), following redirects by hand."""

    url: str
    status: int | None = None  # status of the last response
    final_url: str | None = None
    hops: tuple[tuple[int, str], ...] = ()  # (status, location) per redirect
    error: str | None = None  # one of ERRORS when no final response
    error_detail: str | None = None
    content_type: str | None = None
    cf_mitigated: str | None = None
    wall: str | None = None  # product whose challenge header or page answered
    retry_after: float | None = None
    retry_after_too_long: bool = False
    page: Page | None = None
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class Probe:
    """How the host answers a random path that cannot exist (one per host, for soft-404)."""

    status: int | None
    final_url: str | None
    digest: str | None
    title: str | None
