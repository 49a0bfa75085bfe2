"""Judgement: what a fetch outcome means (pure functions, no I/O).

`decide` turns the facts of one fetch (plus the host's random-path probe and whether https
works) into a `LinkResult`: a status (DESIGN §5) and the link rule names (DESIGN §3).
"Can't tell" is never "dead": only 404/410, a name that does not exist and a refused
connection are dead.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from citecheck.checkers.facts import Fetch, FetchError, Probe
from citecheck.models import LinkResult, Rule
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

# (status, rules, detail, suggestion)
_Judged = tuple[S, tuple[Rule, ...], str, str | None]

E = FetchError
_ERRORS: dict[FetchError, tuple[S, Rule | None, str]] = {  # -> (status, rule, reason prefix)
    E.GUARD: (S.SKIPPED, None, ""),
    E.NO_SUCH_NAME: (S.DEAD, Rule.DEAD_LINK, ""),
    E.REFUSED: (S.DEAD, Rule.DEAD_LINK, "connection refused"),
    E.TLS: (S.TLS_ERROR, Rule.TLS_ERROR, ""),
    E.REDIRECT_LOOP: (S.UNREACHABLE, Rule.UNREACHABLE, ""),
    E.TOO_MANY_REDIRECTS: (S.UNREACHABLE, Rule.UNREACHABLE, ""),
    E.TIMEOUT: (S.UNREACHABLE, Rule.UNREACHABLE, "timeout"),
    E.RESET: (S.UNREACHABLE, Rule.UNREACHABLE, "connection reset"),
    E.PROTOCOL: (S.UNREACHABLE, Rule.UNREACHABLE, "protocol error"),
    E.DNS_FAILED: (S.UNREACHABLE, Rule.UNREACHABLE, ""),
    E.CONNECT: (S.UNREACHABLE, Rule.UNREACHABLE, "cannot connect"),
    E.BAD_URL: (S.UNREACHABLE, Rule.UNREACHABLE, "bad URL"),
    E.BAD_REDIRECT: (S.UNREACHABLE, Rule.UNREACHABLE, ""),
    E.INTERNAL: (S.UNREACHABLE, Rule.UNREACHABLE, "could not be checked"),
    E.HOST_DOWN: (S.UNREACHABLE, Rule.UNREACHABLE, ""),
    E.LOCAL_LIMIT: (S.UNCHECKED, None, "not checked"),
}
WALL_DETAIL = "a bot wall stands in front of the page"
if set(_ERRORS) != set(FetchError):  # every error class is judged: checked at import
    raise RuntimeError(f"verdict: no judgement for {set(FetchError) - set(_ERRORS)}")


def decide(
    url: str, fact: Fetch, probe: Probe | None = None, https_works: bool | None = None
) -> LinkResult:
    """The verdict on `url` from what its fetch found."""
    status, rules, detail, suggestion = _judge(url, fact, probe)
    final = fact.final_url
    if final and urlsplit(final).scheme == "https" and urlsplit(url).scheme == "http":
        https_works = True
    # `insecure-link` itself is decided by citecheck.rules; here only the better address.
    insecure = urlsplit(url).scheme == "http" and status in (S.ALIVE, S.REDIRECTED, S.DENIED)
    if insecure and https_works and suggestion is None:
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


def _judge(url: str, fact: Fetch, probe: Probe | None) -> _Judged:
    if fact.error is not None:
        return _judge_error(fact)
    code = fact.status or 0
    if fact.retry_after_too_long:
        return (
            S.UNREACHABLE,
            (Rule.UNREACHABLE,),
            f"HTTP {code}, asked to wait {fact.retry_after:.0f} s (over the cap)",
            None,
        )
    if fact.wall is not None:  # a challenge header, or a challenge page answering 2xx
        detail = f"{WALL_DETAIL} ({fact.wall}, HTTP {code})"
        return S.DENIED, (Rule.ACCESS_DENIED,), detail, None
    if code in DEAD_STATUS:
        return S.DEAD, (Rule.DEAD_LINK,), f"HTTP {code}", None
    if code in DENIED_STATUS or (fact.cf_mitigated or "").lower() == "challenge":
        wall = " (bot challenge)" if fact.cf_mitigated else ""
        return S.DENIED, (Rule.ACCESS_DENIED,), f"HTTP {code}{wall}", None
    if code == 429:
        return S.DENIED, (Rule.ACCESS_DENIED,), "HTTP 429 (rate limited)", None
    if not 200 <= code < 300:
        return S.UNREACHABLE, (Rule.UNREACHABLE,), f"HTTP {code}", None
    return _judge_page(url, fact, probe)


def _judge_error(fact: Fetch) -> _Judged:
    assert fact.error is not None
    status, rule, prefix = _ERRORS[fact.error]
    detail = fact.error_detail or prefix or fact.error.value
    if prefix and detail != prefix and not detail.lower().startswith(prefix):
        detail = f"{prefix}: {detail}"
    return status, ((rule,) if rule else ()), detail, None


def _judge_page(url: str, fact: Fetch, probe: Probe | None) -> _Judged:
    page, final = fact.page, fact.final_url or url
    host = (urlsplit(final).hostname or "").lower()
    if (page and page.parking_cue) or any(
        host == h or host.endswith("." + h) for h in PARKING_HOSTS
    ):
        return S.PARKED, (Rule.PARKED_DOMAIN,), "domain parking / for-sale page", None
    if page and page.not_found_cue:
        return (
            S.SOFT_404,
            (Rule.SOFT_404,),
            f"page says not found ({page.title or page.heading})",
            None,
        )
    deep = not is_homepage(url)
    if deep and fact.hops and is_homepage(final) and not _same_page(url, final):
        return S.REDIRECTED, (Rule.REDIRECTED_TO_ROOT,), f"redirects to the site root {final}", None
    if deep and _like_probe(fact, probe):
        return S.SOFT_404, (Rule.SOFT_404,), "answers like a random path on the same host", None
    if not fact.hops or final == url:  # no redirect, or a cookie check back to the page
        return S.ALIVE, (), f"HTTP {fact.status}", None
    return _judge_redirect(url, fact)


def _judge_redirect(url: str, fact: Fetch) -> _Judged:
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
    return S.REDIRECTED, (Rule.MOVED_PERMANENTLY,), detail, moved


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
