"""Judgement: what a fetch outcome means (pure functions, no I/O).

`decide` turns the facts of one fetch (plus the host's random-path probe and whether https
works) into a `LinkResult`: a status (DESIGN §5) and the link rule names (DESIGN §3).
"Can't tell" is never "dead": only 404/410, a name that does not exist and a refused
connection are dead.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from citecheck.checkers.facts import Fetch, Probe
from citecheck.models import LinkResult
from citecheck.models import LinkStatus as S
from citecheck.urls import is_homepage

DEAD_STATUS = frozenset({404, 410})
DENIED_STATUS = frozenset({401, 403, 451, 999})
PERMANENT = frozenset({301, 308})
PARKING_HOSTS = (
    "sedoparking.com",
    "parkingcrew.net",
    "bodis.com",
    "dan.com",
    "afternic.com",
    "hugedomains.com",
    "above.com",
    "parklogic.com",
    "domainmarket.com",
    "sedo.com",
)

_ERRORS = {  # error class -> (status, rule, reason prefix)
    "guard": (S.SKIPPED, None, ""),
    "no-such-name": (S.DEAD, "dead-link", ""),
    "refused": (S.DEAD, "dead-link", "connection refused"),
    "tls": (S.TLS_ERROR, "tls-error", ""),
    "redirect-loop": (S.UNREACHABLE, "unreachable", ""),
    "too-many-redirects": (S.UNREACHABLE, "unreachable", ""),
    "timeout": (S.UNREACHABLE, "unreachable", "timeout"),
    "reset": (S.UNREACHABLE, "unreachable", "connection reset"),
    "protocol": (S.UNREACHABLE, "unreachable", "protocol error"),
    "dns-failed": (S.UNREACHABLE, "unreachable", ""),
    "connect": (S.UNREACHABLE, "unreachable", "cannot connect"),
    "bad-url": (S.UNREACHABLE, "unreachable", "bad URL"),
    "bad-redirect": (S.UNREACHABLE, "unreachable", ""),
    "internal": (S.UNREACHABLE, "unreachable", "could not be checked"),
}
WALL_DETAIL = "a bot wall stands in front of the page"
# (status, link rules, detail, suggestion)
Judgement = tuple[S, tuple[str, ...], str, str | None]


def decide(
    url: str, fact: Fetch, probe: Probe | None = None, https_works: bool | None = None
) -> LinkResult:
    """The verdict on `url` from what its fetch found."""
    status, rules, detail, suggestion = _judge(url, fact, probe)
    final = fact.final_url
    if final and urlsplit(final).scheme == "https" and urlsplit(url).scheme == "http":
        https_works = True
    if urlsplit(url).scheme == "http" and status in (S.ALIVE, S.REDIRECTED, S.DENIED):
        rules = rules + ("insecure-link",)
        if https_works and suggestion is None:
            suggestion = _with_scheme(final if status is S.REDIRECTED and final else url, "https")
    page = fact.page
    extra = {"fingerprint": page.fingerprint} if page and page.fingerprint else {}
    return LinkResult(
        url=url,
        status=status,
        http_status=fact.status,
        final_url=final,
        redirects=fact.hops,
        detail=detail,
        rules=rules,
        suggestion=suggestion,
        https_works=https_works if urlsplit(url).scheme == "http" else None,
        title=page.title if page else None,
        extra=extra,
    )


def _judge(url: str, fact: Fetch, probe: Probe | None) -> Judgement:
    if fact.error is not None:
        return _judge_error(fact)
    code = fact.status or 0
    if fact.retry_after_too_long:
        return (
            S.UNREACHABLE,
            ("unreachable",),
            f"HTTP {code}, asked to wait {fact.retry_after:.0f} s (over the cap)",
            None,
        )
    if fact.wall is not None:  # a challenge header, or a challenge page answering 2xx
        return S.DENIED, ("access-denied",), f"{WALL_DETAIL} ({fact.wall}, HTTP {code})", None
    if code in DEAD_STATUS:
        return S.DEAD, ("dead-link",), f"HTTP {code}", None
    if code in DENIED_STATUS or (fact.cf_mitigated or "").lower() == "challenge":
        wall = " (bot challenge)" if fact.cf_mitigated else ""
        return S.DENIED, ("access-denied",), f"HTTP {code}{wall}", None
    if code == 429:
        return S.DENIED, ("access-denied",), "HTTP 429 (rate limited)", None
    if not 200 <= code < 300:
        return S.UNREACHABLE, ("unreachable",), f"HTTP {code}", None
    return _judge_page(url, fact, probe)


def _judge_error(fact: Fetch) -> Judgement:
    error = fact.error or "protocol"
    status, rule, prefix = _ERRORS.get(error, (S.UNREACHABLE, "unreachable", ""))
    detail = fact.error_detail or prefix or error
    if prefix and detail != prefix and not detail.lower().startswith(prefix):
        detail = f"{prefix}: {detail}"
    return status, ((rule,) if rule else ()), detail, None


def _judge_page(url: str, fact: Fetch, probe: Probe | None) -> Judgement:
    page, final = fact.page, fact.final_url or url
    host = (urlsplit(final).hostname or "").lower()
    if (page and page.parking_cue) or any(
        host == h or host.endswith("." + h) for h in PARKING_HOSTS
    ):
        return S.PARKED, ("parked-domain",), "domain parking / for-sale page", None
    if page and page.not_found_cue:
        return (
            S.SOFT_404,
            ("soft-404",),
            f"page says not found ({page.title or page.heading})",
            None,
        )
    deep = not is_homepage(url)
    if deep and fact.hops and is_homepage(final) and not _same_page(url, final):
        return S.REDIRECTED, ("redirected-to-root",), f"redirects to the site root {final}", None
    if deep and _like_probe(fact, probe):
        return S.SOFT_404, ("soft-404",), "answers like a random path on the same host", None
    if not fact.hops or final == url:  # no redirect, or a cookie check back to the page
        return S.ALIVE, (), f"HTTP {fact.status}", None
    return _judge_redirect(url, fact)


def _judge_redirect(url: str, fact: Fetch) -> Judgement:
    final = fact.final_url or url
    first = fact.hops[0][0]
    how = "meta refresh" if 200 <= first < 300 else f"HTTP {first}"
    detail = f"{how} to {final}"
    moved = None
    for code, target in fact.hops:
        if code not in PERMANENT:
            break
        moved = target
    if moved is None or _same_page(url, moved):
        return S.REDIRECTED, (), detail, None
    return S.REDIRECTED, ("moved-permanently",), detail, moved


def _like_probe(fact: Fetch, probe: Probe | None) -> bool:
    """The page is what the host serves for a path that cannot exist."""
    if probe is None or probe.status is None or not 200 <= probe.status < 300:
        return False
    if fact.hops and probe.final_url and probe.final_url == fact.final_url:
        return True
    digest = fact.page.fingerprint.get("digest") if fact.page and fact.page.fingerprint else None
    return digest is not None and digest == probe.digest


def _same_page(a: str, b: str) -> bool:
    """Equal but for the scheme (http→https) and a trailing slash: not worth a finding."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (
        (pa.hostname or "").lower(),
        pa.port if pa.scheme == pb.scheme else None,
        pa.path.rstrip("/"),
        pa.query,
    ) == (
        (pb.hostname or "").lower(),
        pb.port if pa.scheme == pb.scheme else None,
        pb.path.rstrip("/"),
        pb.query,
    )


def _with_scheme(url: str, scheme: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc if parts.port not in (80,) else parts.hostname or ""
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
