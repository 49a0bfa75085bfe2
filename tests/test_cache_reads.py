"""Cached link results are read as text and decoded one at a time: the same reuse rules as
before (a page cached without its fingerprint or without a wanted extra is fetched again),
and a damaged entry is fetched again without costing the run its cache."""

from __future__ import annotations

import sqlite3

from citecheck.cache.store import Cache
from citecheck.checkers import check_links
from citecheck.checkers.extras import TITLES, PageWants
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.settings import Settings
from citecheck.urls import normalize
from tests.conftest import hermetic_resolver

H = "127.0.0.4"


def run(urls, cache, wants=None, **kw):
    s = Settings(timeout=2.0, retries=0, canaries=(), allow_networks=("127.0.0.0/8",), **kw)
    transport = make_transport(s, resolver=hermetic_resolver())
    return check_links(urls, s, transport=transport, cache=cache, wants=wants).results


def test_a_page_cached_without_fingerprint_is_fetched_again_to_compare(local_web, tmp_path):
    url = local_web.url(H, "/article/cache-fingerprint")
    assert not run([url], Cache(tmp_path), no_archive=True)[url].from_cache
    assert run([url], Cache(tmp_path), no_archive=True)[url].from_cache  # fine without one
    again = run([url], Cache(tmp_path))[url]  # captures will be compared: needs it
    assert not again.from_cache and again.extra["fingerprint"]["digest"]
    assert run([url], Cache(tmp_path))[url].from_cache
    assert local_web.count(H, "/article/cache-fingerprint") == 2


def test_a_result_cached_without_a_wanted_title_is_fetched_again(local_web, tmp_path):
    url = local_web.url(H, "/article/cache-title")
    other = local_web.url(H, "/article/cache-other")
    run([url, other], Cache(tmp_path), no_archive=True)
    wants = PageWants(titles=frozenset({normalize(url)}))
    second = run([url, other], Cache(tmp_path), wants, no_archive=True)
    assert not second[url].from_cache and second[url].extra[TITLES] == ["Annual report 2014"]
    assert second[other].from_cache  # not wanted: the cached result serves
    assert run([url], Cache(tmp_path), wants, no_archive=True)[url].from_cache


def test_a_damaged_entry_is_fetched_again_and_the_cache_stays(local_web, tmp_path):
    url = local_web.url(H, "/article/cache-damaged")
    kept = local_web.url(H, "/article/cache-kept")
    run([url, kept], Cache(tmp_path), no_archive=True)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        db.execute("UPDATE entries SET value='{\"status\": ' WHERE key=?", (normalize(url),))
    cache = Cache(tmp_path)
    got = run([url, kept], cache, no_archive=True)
    assert not got[url].from_cache and got[url].status is S.ALIVE
    assert got[kept].from_cache and cache.problem is None
