"""Politeness against the real local web: limits, Retry-After, each URL once."""

from __future__ import annotations

import time

from citecheck.checkers import check_links
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.settings import Settings
from tests.webserver import LocalWeb

LOOPBACK = ("127.0.0.0/8",)


def settings(**kw) -> Settings:
    base = {"timeout": 2.0, "retries": 1, "canaries": (), "allow_networks": LOOPBACK}
    base.update(kw)
    return Settings(**base)


def run(urls, **kw):
    s = settings(**kw)
    return check_links(urls, s, transport=make_transport(s))


def test_per_host_limit_never_exceeded():
    web = LocalWeb(["127.0.0.20", "127.0.0.21"], delay=0.05)
    try:
        urls = [
            web.url(h, f"/slow100/{i}") for h in ("127.0.0.20", "127.0.0.21") for i in range(15)
        ]
        result = run(urls, per_host=3)
        assert all(r.status is S.ALIVE for r in result.results.values())
        assert web.max_in_flight["127.0.0.20"] == 3  # reached, never exceeded
        assert web.max_in_flight["127.0.0.21"] == 3
    finally:
        web.close()


def test_global_limit_never_exceeded():
    hosts = ["127.0.0.22", "127.0.0.23", "127.0.0.24"]
    web = LocalWeb(hosts, delay=0.05)
    try:
        urls = [web.url(h, f"/slow100/{i}") for h in hosts for i in range(6)]
        run(urls, per_host=4, max_concurrency=2)
        assert web.max_total_in_flight == 2
    finally:
        web.close()


def test_each_url_fetched_once(local_web):
    base = local_web.url("127.0.0.11", "/article/once")
    variants = [
        base,
        base + "#section",
        base.replace("http://", "HTTP://"),
        local_web.url("127.0.0.11", "/article/twice"),
        base,
    ]
    result = run(variants)
    assert len(result.results) == 2
    assert local_web.count("127.0.0.11", "/article/once") == 1
    assert local_web.count("127.0.0.11", "/article/twice") == 1
    # at most one probe for soft-404 on the host, whatever the number of URLs
    probes = [p for (h, p) in local_web.requests if h == "127.0.0.11" and "probe" in p]
    assert len(probes) == 1


def _gap(web, host, path) -> float:
    first, second = web.times[(host, path)][:2]
    return second - first


def test_retry_after_seconds_waited_for(local_web):
    url = local_web.url("127.0.0.12", "/ra-seconds/a")
    result = run([url])
    assert result.results[url].status is S.ALIVE
    assert local_web.count("127.0.0.12", "/ra-seconds/a") == 2
    assert _gap(local_web, "127.0.0.12", "/ra-seconds/a") >= 0.95


def test_retry_after_date_waited_for(local_web):
    url = local_web.url("127.0.0.12", "/ra-date/a")
    result = run([url])
    assert result.results[url].status is S.ALIVE
    # the date is 2 s ahead with 1 s resolution: at least 1 s of waiting
    assert _gap(local_web, "127.0.0.12", "/ra-date/a") >= 0.95


def test_retry_after_holds_the_whole_host(local_web):
    first = local_web.url("127.0.0.12", "/ra-seconds/b")
    others = [local_web.url("127.0.0.12", f"/article/after-b-{i}") for i in range(3)]
    start = time.monotonic()
    run([first, *others], per_host=1)
    t429 = local_web.times[("127.0.0.12", "/ra-seconds/b")][0]
    later = [local_web.times[("127.0.0.12", f"/article/after-b-{i}")][0] for i in range(3)]
    assert all(t - t429 >= 0.95 for t in later)
    assert time.monotonic() - start < 5


def test_rate_limited_after_retries_is_denied_not_dead(local_web):
    url = local_web.url("127.0.0.10", "/ra-always")
    result = run([url], retries=1)
    assert result.results[url].status is S.DENIED
    assert result.results[url].rules == ("access-denied",)
    assert local_web.count("127.0.0.10", "/ra-always") == 2
    assert _gap(local_web, "127.0.0.10", "/ra-always") >= 0.95


def test_user_agent_is_honest(local_web):
    from citecheck import PROJECT_URL, __version__
    from citecheck.net.client import default_user_agent

    assert default_user_agent() == f"citecheck/{__version__} (+{PROJECT_URL})"


def test_retry_after_in_non_ascii_digits_is_ignored_not_fatal():
    from citecheck.net.hosts import parse_retry_after

    assert parse_retry_after("²") is None and parse_retry_after("12") == 12.0


def test_a_retry_waiting_does_not_hold_the_host(local_web):
    # One connection to the host: the retry of /err500 goes back in the queue, so the next
    # URL is fetched before it, not after its back-off.
    host = "127.0.0.12"
    url = local_web.url(host, "/err500")
    nxt = local_web.url(host, "/article/while-retrying")
    result = run([url, nxt], per_host=1, retries=2)
    assert result.results[url].status is S.UNREACHABLE
    assert result.results[nxt].status is S.ALIVE
    tries = local_web.times[(host, "/err500")]
    assert len(tries) == 3
    assert tries[0] < local_web.times[(host, "/article/while-retrying")][0] < tries[1]


def test_retry_waits_grow_and_are_capped():
    from citecheck.net.retry import RETRY_MAX, retry_wait

    for n in range(8):
        waits = [retry_wait(n) for _ in range(200)]
        assert all(0 <= w <= min(RETRY_MAX, 0.5 * 2**n) for w in waits)
    assert max(retry_wait(3) for _ in range(200)) > 0.5  # grows: not stuck at the first wait
