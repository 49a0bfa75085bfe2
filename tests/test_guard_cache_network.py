"""Address guard, cache reuse and network-unavailable detection."""

from __future__ import annotations

import time

import pytest

from citecheck.cache.store import Cache
from citecheck.checkers import check_links
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.net.guard import AddressPolicy, url_refusal
from citecheck.settings import Settings
from tests.conftest import hermetic_resolver
from tests.webserver import free_port

LOOPBACK = ("127.0.0.0/8",)


def run(urls, cache=None, **kw):
    base = {"timeout": 1.0, "retries": 0, "canaries": ()}
    base.update(kw)
    s = Settings(**base)
    return check_links(
        urls, s, transport=make_transport(s, resolver=hermetic_resolver()), cache=cache
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_private_literals_refused(url):
    assert url_refusal(url, AddressPolicy()).startswith("refused:")


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/",
        "http://[2606:4700::1111]/",
        "http://example.org/",
        "http://1.1.1.1/",
    ],
)
def test_public_and_names_pass_the_text_check(url):
    assert url_refusal(url, AddressPolicy()) is None


def test_allow_networks_and_allow_private():
    nets = AddressPolicy.from_settings(False, ("10.0.0.0/8",))
    assert url_refusal("http://10.9.9.9/", nets) is None
    assert url_refusal("http://192.168.1.1/", nets) is not None
    assert url_refusal("http://[::1]/", AddressPolicy(allow_private=True)) is None


def test_private_target_refused_without_any_request(local_web):
    url = local_web.url("127.0.0.2", "/article/private")
    result = run([url]).results[url]
    assert result.status is S.SKIPPED and "loopback" in result.detail
    assert local_web.count("127.0.0.2", "/article/private") == 0


def test_redirect_into_refused_space(local_web):
    url = local_web.url("127.0.0.2", "/to-other/127.0.0.3")
    before = local_web.count("127.0.0.3")  # other tests of the session use that host too
    result = run([url], allow_networks=("127.0.0.2/32",)).results[url]
    assert result.status is S.SKIPPED and result.redirects[0][0] == 302
    assert local_web.count("127.0.0.2", "/to-other/127.0.0.3") == 1
    assert local_web.count("127.0.0.3") == before


def test_localhost_refused_by_name_and_allowed_with_loopback(local_web):
    # RFC 6761: refused by name before any DNS query (tests/hostile/test_guard.py has the
    # other spellings); allowing loopback allows the name too.
    port = local_web.ports["127.0.0.1"]
    url = f"http://localhost:{port}/article/dns"
    refused = run([url]).results[url]
    assert refused.status is S.SKIPPED and "local host" in refused.detail
    assert local_web.count("127.0.0.1", "/article/dns") == 0
    allowed = run([url], allow_networks=LOOPBACK).results[url]
    assert allowed.status is S.ALIVE
    assert local_web.count("127.0.0.1", "/article/dns") == 1


def test_cache_reuses_successes_and_rechecks_failures(local_web, tmp_path):
    ok = local_web.url("127.0.0.2", "/article/cached")
    gone = local_web.url("127.0.0.2", "/missing/cache")
    before = local_web.count("127.0.0.2", "/missing/cache")
    first = run([ok, gone], cache=Cache(tmp_path), allow_networks=LOOPBACK)
    assert not first.results[ok].from_cache
    cache = Cache(tmp_path)
    second = run([ok, gone], cache=cache, allow_networks=LOOPBACK)
    assert second.results[ok].from_cache and second.results[ok].status is S.ALIVE
    assert second.results[ok].extra["fingerprint"] == first.results[ok].extra["fingerprint"]
    assert not second.results[gone].from_cache and second.results[gone].status is S.DEAD
    assert local_web.count("127.0.0.2", "/article/cached") == 1
    assert local_web.count("127.0.0.2", "/missing/cache") == before + 2
    assert cache.problem is None


def test_corrupt_cache_is_bypassed(local_web, tmp_path):
    (tmp_path / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    url = local_web.url("127.0.0.2", "/article/corrupt")
    cache = Cache(tmp_path)
    result = run([url], cache=cache, allow_networks=LOOPBACK)
    assert result.results[url].status is S.ALIVE
    assert "cache" in cache.problem


def test_network_unavailable_fast():
    refused = f"http://127.0.0.8:{free_port('127.0.0.8')}/"
    urls = ["https://www.iana.org/domains", "http://www.dailydot.com", "https://example.org/x"]
    start = time.monotonic()
    result = run(
        urls,
        timeout=20.0,
        retries=2,
        allow_private=True,
        canaries=("https://canary.invalid/", refused),
    )
    assert time.monotonic() - start < 3
    assert result.network_unavailable
    assert {r.status for r in result.results.values()} == {S.UNCHECKED}


def test_any_answer_means_network_is_up(local_web):
    url = local_web.url("127.0.0.2", "/missing/any")
    result = run(
        [url, "http://no-such-host.invalid/"],
        allow_networks=LOOPBACK,
        canaries=("https://canary.invalid/",),
    )
    assert not result.network_unavailable
    assert result.results[url].status is S.DEAD
    assert result.results["http://no-such-host.invalid/"].status is S.DEAD
