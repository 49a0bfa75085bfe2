"""The last result of every URL is kept with its day (failures too), while `check` still
re-checks failures every run."""

from __future__ import annotations

import datetime as dt

from citecheck.cache.store import Cache
from citecheck.checkers import check_links
from citecheck.checkers.lastresults import CHECKED, recall
from citecheck.models import LinkStatus
from citecheck.net.client import make_transport
from citecheck.rules import _link_message
from citecheck.settings import Settings

LOOPBACK = ("127.0.0.0/8",)


def _run(urls, cache):
    s = Settings(timeout=1.0, retries=0, canaries=(), allow_networks=LOOPBACK)
    return check_links(urls, s, transport=make_transport(s), cache=cache)


def test_failures_are_kept_as_last_results_and_still_rechecked(local_web, tmp_path):
    gone = local_web.url("127.0.0.2", "/missing/last")
    before = local_web.count("127.0.0.2", "/missing/last")
    _run([gone], Cache(tmp_path))
    second = _run([gone], Cache(tmp_path))
    assert not second.results[gone].from_cache  # re-checked
    assert local_web.count("127.0.0.2", "/missing/last") == before + 2
    last = recall(Cache(tmp_path), [gone])[gone]
    assert last.status is LinkStatus.DEAD and last.from_cache
    assert last.extra[CHECKED] == dt.date.today().isoformat()


def test_a_dead_link_says_so_once_in_plain_words(local_web, tmp_path):
    gone = local_web.url("127.0.0.2", "/missing/words")
    result = _run([gone], None).results[gone]
    message = _link_message("dead-link", "note 5", result)
    assert message == "note 5: dead (HTTP 404)"


def test_a_warm_run_fetches_failures_while_the_cached_results_are_read(local_web, tmp_path):
    """Live results come from the cache with the day they were checked; the failures are
    fetched again (in a thread of their own, while the cached ones are decoded)."""
    live = [local_web.url("127.0.0.3", f"/ok?warm={i}") for i in range(5)]
    gone = local_web.url("127.0.0.3", "/missing/warm")
    first = _run([*live, gone], Cache(tmp_path))
    second = _run([*live, gone], Cache(tmp_path))
    assert list(second.results) == list(first.results)
    assert all(second.results[u].from_cache for u in live)
    assert {second.results[u].extra[CHECKED] for u in live} == {dt.date.today().isoformat()}
    assert not second.results[gone].from_cache
    assert second.results[gone].status is LinkStatus.DEAD
    assert local_web.count("127.0.0.3", "/missing/warm") == 2
    assert local_web.count("127.0.0.3", "/ok") == 5  # each live page fetched once, then cached
