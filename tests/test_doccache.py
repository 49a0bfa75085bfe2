"""Parsed reports in the cache: exact round trip, keys that change with what matters."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from citecheck.cache import documents as doccache
from citecheck.readers import load_document

VGT = Path(__file__).resolve().parents[1] / "reports" / "vgt-environmental-scan-2015.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("path", [VGT, DATA / "footnotes.md"])
def test_round_trip_through_json_is_exact(path):
    doc = load_document(path)
    assert doc.notes and doc.markers
    again = doccache.decode(orjson.loads(orjson.dumps(doccache.encode(doc))))
    assert again == doc


def test_key_changes_with_bytes_name_and_format_only():
    base = doccache.key(b"text", "r.txt", None)
    assert base == doccache.key(b"text", "r.txt", None)
    assert (
        len(
            {
                base,
                doccache.key(b"text!", "r.txt", None),
                doccache.key(b"text", "s.txt", None),
                doccache.key(b"text", "r.txt", "markdown"),
            }
        )
        == 4
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: v.update(format=0),
        lambda v: v.pop("notes"),
        lambda v: v["notes"][0].pop(),
        lambda v: v["markers"].append("not a marker"),
        lambda v: v.update(published="2015-13-45"),
    ],
)
def test_a_damaged_entry_is_ignored(damage):
    value = doccache.encode(load_document(VGT))
    damage(value)
    assert doccache.decode(value) is None


def test_load_document_reads_once_then_takes_the_cache(tmp_path, monkeypatch):
    from citecheck.cache.store import Cache
    from citecheck.readers import text

    report = tmp_path / "r.txt"
    report.write_bytes(VGT.read_bytes())
    cache = Cache(tmp_path / "cache")
    first = load_document(report, "r.txt", cache=cache)

    def no_reading(*args):
        raise AssertionError("the reader ran although the cache holds this report")

    monkeypatch.setattr(text, "read", no_reading)
    assert load_document(report, "r.txt", cache=cache) == first
    report.write_bytes(VGT.read_bytes() + b"\nOne more line.\n")  # changed bytes: read again
    with pytest.raises(AssertionError, match="the reader ran"):
        load_document(report, "r.txt", cache=cache)
    cache.close()


def test_closing_the_cache_drops_expired_entries(tmp_path):
    import sqlite3

    from citecheck.cache.store import Cache

    cache = Cache(tmp_path)
    cache.put("link", "old", {"x": 1}, ttl=-10)  # already expired
    cache.put("link", "fresh", {"x": 2}, ttl=3600)
    cache.close()
    with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
        assert [k for (k,) in db.execute("SELECT key FROM entries WHERE kind='link'")] == ["fresh"]


def test_expired_entries_are_dropped_once_a_day(tmp_path, monkeypatch):
    import sqlite3

    from citecheck.cache import store

    def links() -> list[str]:
        with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
            return sorted(k for (k,) in db.execute("SELECT key FROM entries WHERE kind='link'"))

    cache = store.Cache(tmp_path)
    cache.put("link", "old", {"x": 1}, ttl=-10)
    cache.close()  # the first close of the day drops it
    cache = store.Cache(tmp_path)
    cache.put("link", "older", {"x": 1}, ttl=-10)
    cache.close()
    assert links() == ["older"]  # kept until the next day's close
    later = store.time.time() + store.PRUNE_EVERY + 1
    monkeypatch.setattr(store.time, "time", lambda: later)
    store.Cache(tmp_path).close()
    assert links() == []


def test_the_memo_key_is_one_per_report_and_changes_with_the_code(monkeypatch):
    base = doccache.memo_key("r.md", None)
    assert base == doccache.memo_key("r.md", None)  # every version of r.md: one entry
    assert len({base, doccache.memo_key("s.md", None), doccache.memo_key("r.md", "text")}) == 3
    monkeypatch.setattr(doccache, "_code_hash", lambda: "another reader")
    assert doccache.memo_key("r.md", None) != base
