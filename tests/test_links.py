"""check_links against the real local web: every behaviour's status and rules."""

from __future__ import annotations

import pytest

from citecheck.checkers import check_links
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.settings import Settings
from citecheck.urls import normalize
from tests.conftest import REFUSED_HOST, TLS_GOOD, TLS_UNTRUSTED, TLS_WRONG_NAME

H = "127.0.0.2"
LOOPBACK = ("127.0.0.0/8",)


def settings(**kw) -> Settings:
    base = {"timeout": 1.0, "retries": 1, "per_host": 4, "canaries": (), "allow_networks": LOOPBACK}
    base.update(kw)
    return Settings(**base)


def run(urls, client_tls, **kw):
    s = settings(**kw)
    return check_links(urls, s, transport=make_transport(s, verify=client_tls))


# (host, path, tls, status, rules)
BEHAVIOURS = [
    (H, "/ok", False, S.ALIVE, ()),
    (H, "/chain/a", False, S.REDIRECTED, ("moved-permanently",)),
    (H, "/p308", False, S.REDIRECTED, ("moved-permanently",)),
    (H, "/temp302", False, S.REDIRECTED, ()),
    (H, "/loop/a", False, S.UNREACHABLE, ("unreachable",)),
    (H, "/deep/article", False, S.REDIRECTED, ("redirected-to-root",)),
    (H, "/gone404", False, S.DEAD, ("dead-link",)),
    (H, "/gone410", False, S.DEAD, ("dead-link",)),
    (H, "/soft", False, S.SOFT_404, ("soft-404",)),
    ("127.0.0.3", "/catchall/annual-report", False, S.SOFT_404, ("soft-404",)),
    (H, "/parked", False, S.PARKED, ("parked-domain",)),
    (H, "/auth401", False, S.DENIED, ("access-denied",)),
    (H, "/forbidden403", False, S.DENIED, ("access-denied",)),
    (H, "/cf", False, S.DENIED, ("access-denied",)),
    (H, "/linkedin999", False, S.DENIED, ("access-denied",)),
    (H, "/ra-long", False, S.UNREACHABLE, ("unreachable",)),
    (H, "/flaky503/1", False, S.ALIVE, ()),
    (H, "/err500", False, S.UNREACHABLE, ("unreachable",)),
    (H, "/slow", False, S.UNREACHABLE, ("unreachable",)),
    (H, "/endless", False, S.ALIVE, ()),
    (H, "/bomb", False, S.ALIVE, ()),
    (H, "/reset", False, S.UNREACHABLE, ("unreachable",)),
    (TLS_GOOD, "/page", True, S.ALIVE, ()),
    (TLS_WRONG_NAME, "/page", True, S.TLS_ERROR, ("tls-error",)),
    (TLS_UNTRUSTED, "/page", True, S.TLS_ERROR, ("tls-error",)),
    (TLS_GOOD, "/to-tls", False, S.REDIRECTED, ()),
]


@pytest.fixture(scope="module")
def behaviours(local_web, client_tls):
    urls = [local_web.url(h, p, tls) for h, p, tls, _, _ in BEHAVIOURS]
    urls.append(f"http://{REFUSED_HOST}:{local_web.refused_port}/x")
    return run(urls, client_tls)


@pytest.mark.parametrize(
    "host,path,tls,status,rules", BEHAVIOURS, ids=[f"{h}{p}" for h, p, *_ in BEHAVIOURS]
)
def test_behaviour(behaviours, local_web, host, path, tls, status, rules):
    result = behaviours.results[normalize(local_web.url(host, path, tls))]
    assert (result.status, result.rules) == (status, rules), result.detail
    assert result.detail


def test_refused_port_is_dead(behaviours, local_web):
    result = behaviours.results[f"http://{REFUSED_HOST}:{local_web.refused_port}/x"]
    assert result.status is S.DEAD and result.rules == ("dead-link",)
    assert "refused" in result.detail


def test_redirect_hops_recorded_and_suggestion(behaviours, local_web):
    chain = behaviours.results[local_web.url(H, "/chain/a")]
    assert chain.redirects == (
        (301, local_web.url(H, "/chain/b")),
        (301, local_web.url(H, "/chain/final")),
    )
    assert chain.suggestion == local_web.url(H, "/chain/final")
    assert chain.final_url == local_web.url(H, "/chain/final") and chain.http_status == 200
    moved = behaviours.results[local_web.url(H, "/p308")]
    assert moved.suggestion == local_web.url(H, "/new-home-of-p308")
    loop = behaviours.results[local_web.url(H, "/loop/a")]
    assert "loop" in loop.detail and len(loop.redirects) == 2


def test_https_works(behaviours, local_web):
    upgraded = behaviours.results[local_web.url(TLS_GOOD, "/to-tls")]
    assert upgraded.https_works is True
    assert upgraded.suggestion == local_web.url(TLS_GOOD, "/to-tls", tls=True)
    plain = behaviours.results[local_web.url(H, "/ok")]
    assert plain.https_works is False and plain.suggestion is None  # nothing on port 443


def test_title_and_fingerprint(behaviours, local_web):
    result = behaviours.results[local_web.url(H, "/ok")]
    assert result.title == "Annual report 2014"
    assert len(result.extra["fingerprint"]["digest"]) == 64


def test_retries_only_for_transient(behaviours, local_web):
    assert local_web.count(H, "/err500") == 2  # retries=1
    assert local_web.count(H, "/flaky503/1") == 2
    assert local_web.count(H, "/gone404") == 1
    assert local_web.count(H, "/ra-long") == 1  # Retry-After over the cap: not waited for
    assert local_web.count(H, "/slow") == 2


def test_bomb_and_endless_are_capped(behaviours, local_web):
    bomb = behaviours.results[local_web.url(H, "/bomb")]
    assert bomb.http_status == 200
    assert local_web.count(H, "/endless") == 1


def test_tls_detail_names_the_problem(behaviours, local_web):
    wrong = behaviours.results[local_web.url(TLS_WRONG_NAME, "/page", tls=True)]
    assert "TLS" in wrong.detail or "certificate" in wrong.detail.lower()


def test_malformed_urls_are_not_fetched_and_do_not_raise(local_web, client_tls):
    from citecheck.urls import normalize, url_problem

    bad = [f"http://{H}:99999/x", "http://[::1/x", f"http://{H}:port/x"]
    assert all(normalize(u) == u for u in bad)  # their own keys, no ValueError
    assert [url_problem(u) is not None for u in bad] == [True, True, True]
    before = sum(local_web.requests.values())
    results = run(bad, client_tls).results
    assert {r.status for r in results.values()} == {S.SKIPPED}
    assert all(r.detail.startswith("malformed URL: ") and not r.rules for r in results.values())
    assert sum(local_web.requests.values()) == before


def test_normalize_fast_path_agrees_with_urlsplit():
    import random
    from urllib.parse import urlsplit, urlunsplit

    from citecheck import urls

    def slow(url):  # the definition: urlsplit, lower-case scheme and host, default port...
        p = urlsplit(url.strip())
        host, port = (p.hostname or "").lower(), p.port
        netloc = host + (
            f":{port}" if port and port != {"http": 80, "https": 443}[p.scheme.lower()] else ""
        )
        return urlunsplit((p.scheme.lower(), netloc, p.path or "/", p.query, ""))

    rng = random.Random(7)
    pieces = [
        "",
        "/",
        "/a",
        "/A/b",
        "?",
        "?q=1",
        "#f",
        "/x?y#z",
        "/p#q?r",
        "?a#",
        "/%20",
        "//",
        "/a:b",
        "/@x",
        "/~u",
        ";p",
        "/é",
    ]
    checked = 0
    for _ in range(4000):
        url = (
            rng.choice(["http", "https", "HTTP", "Https"])
            + "://"
            + rng.choice(["example.org", "EXAMPLE.org", "a-b.c.d", "127.0.0.1", "x"])
            + rng.choice(["", ":80", ":443", ":8080", ":0", ":0080", ":1"])
            + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        )
        if urls._SIMPLE_URL.fullmatch(url):
            checked += 1
            assert urls._normalize_simple(*urls._SIMPLE_URL.fullmatch(url).groups()) == slow(url), (
                url
            )
            assert urls.url_problem(url) is None
    assert checked > 3000


def test_fingerprints_only_where_something_compares_them(local_web, client_tls):
    # --no-archive: no capture to compare with, so no fingerprint, except where a host's
    # catch-all answer must be told apart (the soft-404 probe answered 200).
    ok = local_web.url(H, "/article/no-drift-check")
    catchall = local_web.url("127.0.0.3", "/catchall/no-drift-check")
    plain = run([ok, catchall], client_tls, no_archive=True).results
    assert "fingerprint" not in plain[ok].extra
    assert plain[catchall].status is S.SOFT_404
    compared = run([ok], client_tls).results  # the archive stage will compare this page
    assert compared[ok].extra["fingerprint"]["digest"]
