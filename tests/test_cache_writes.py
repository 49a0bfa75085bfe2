"""Cache writes from a stream of entries (a run's results, made one at a time as they are
written): all or nothing, and nothing made when the cache is off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citecheck.cache.store import Cache


def test_pairs_are_written_like_a_mapping(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("link", ((f"u{i}", {"n": i}) for i in range(1200)), 3600)
    cache.put_many("link", {"m": {"n": -1}}, 3600)
    got = cache.get_many("link", [f"u{i}" for i in range(1200)] + ["m"])
    assert len(got) == 1201 and got["u1199"] == {"n": 1199} and got["m"] == {"n": -1}


def test_a_value_that_fails_mid_stream_leaves_nothing_half_written(tmp_path):
    cache = Cache(tmp_path)

    def entries() -> Iterator[tuple[str, dict]]:
        yield "good", {"n": 1}
        yield "bad", {"n": object()}  # no JSON

    with pytest.raises(TypeError):
        cache.put_many("link", entries(), 3600)
    assert cache.get_many("link", ["good", "bad"]) == {}
    cache.put("link", "later", {"n": 2}, 3600)  # the cache still works
    assert cache.get("link", "later") == {"n": 2} and cache.problem is None


def test_a_disabled_cache_makes_no_entries():
    made = []

    def entries() -> Iterator[tuple[str, dict]]:
        made.append(1)
        yield "u", {}

    Cache(None, enabled=False).put_many("link", entries(), 3600)
    assert made == []
