"""A small SQLite cache shared by the link checker and the archive lookups.

Values are JSON objects stored under (kind, key) with an expiry time. WAL mode lets two runs
share the file. A corrupt, locked or unwritable cache is reported once (`problem`) and then
bypassed: the cache can only make a run faster, never make it fail.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from itertools import chain
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from orjson import loads  # a warm run decodes one entry per URL: 4x faster than json

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  stored REAL NOT NULL, expires REAL NOT NULL,
  PRIMARY KEY (kind, key)
)
"""

DAY = 86400.0
PRUNE_EVERY = DAY  # expired entries are dropped at most this often
_PRUNED = ("meta", "pruned")  # (kind, key) of the entry that says when they last were

P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[Cache, P], R]) -> Callable[Concatenate[Cache, P], R]:
    """`method` run under the cache's lock: a warm run writes from the thread that fetches
    the failures while the main thread stores identifier lookups, and one connection used by
    two threads at once fails a transaction (then is closed under the other: a crash)."""

    @wraps(method)
    def run(self: Cache, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    return run


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("citecheck"))


def jittered(ttl: float, spread: float = 0.1) -> float:
    """`ttl` give or take `spread`, so that entries cached together do not expire together."""
    return ttl * (1 + random.uniform(-spread, spread))


class Cache:
    """get/put JSON values by (kind, key); every failure disables the cache, never raises."""

    def __init__(self, directory: Path | None, enabled: bool = True):
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        if enabled:
            self._open((directory or default_cache_dir()) / "cache.sqlite3")

    def _open(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(SCHEMA)
            self._db = db
        except (sqlite3.Error, OSError) as exc:
            self._fail(f"cache {path} unusable ({exc}); continuing without it")

    @_locked
    def _fail(self, message: str) -> None:
        self.problem = self.problem or message
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    @_locked
    def get(self, kind: str, key: str, now: float | None = None) -> dict | None:
        if self._db is None:
            return None
        now = time.time() if now is None else now
        try:
            row = self._db.execute(
                "SELECT value FROM entries WHERE kind=? AND key=? AND expires>?", (kind, key, now)
            ).fetchone()
            # One value, maybe a whole parsed report: orjson parses into a DOM first, about
            # twelve times the text (250 MB at 100,000 notes); json builds only the result.
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError) as exc:
            self._fail(f"cache read failed ({exc}); continuing without it")
            return None

    def _fresh(
        self, column: str, kind: str, keys: list[str], now: float | None, *, where: str = ""
    ) -> Iterator[tuple[Any, ...]]:
        """(key, `column`) of the fresh entries among `keys` (`column` may name several),
        one query per 500 keys (SQLite caps a statement's parameters); raises sqlite3.Error
        for the caller to judge."""
        assert self._db is not None
        now = time.time() if now is None else now
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(
                f"SELECT key, {column} FROM entries WHERE kind=? AND expires>? "
                f"AND key IN ({marks}){where}",
                (kind, now, *chunk),
            )

    @_locked
    def get_many(self, kind: str, keys: list[str], now: float | None = None) -> dict[str, dict]:
        """Values for those of `keys` that are cached and fresh, in one query per 500 keys."""
        if self._db is None or not keys:
            return {}
        try:
            return {k: loads(v) for k, v in self._fresh("value", kind, keys, now)}
        except (sqlite3.Error, ValueError) as exc:
            self._fail(f"cache read failed ({exc}); continuing without it")
            return {}

    @_locked
    def get_texts(self, kind: str, keys: list[str], now: float | None = None) -> dict[str, str]:
        """The stored JSON text of those of `keys` that are cached, fresh and well-formed,
        not decoded: 10,000 link entries are 4 MB of text but 13 MB of dicts, so a caller
        that turns each into something else decodes them one at a time."""
        if self._db is None or not keys:
            return {}
        try:
            return dict(self._fresh("value", kind, keys, now, where=" AND json_valid(value)"))
        except sqlite3.Error as exc:
            self._fail(f"cache read failed ({exc}); continuing without it")
            return {}

    @_locked
    def get_texts_stored(
        self, kind: str, keys: list[str], now: float | None = None
    ) -> dict[str, tuple[str, float]]:
        """`get_texts`, each with the time it was stored (seconds since the epoch)."""
        if self._db is None or not keys:
            return {}
        try:
            rows = self._fresh("value, stored", kind, keys, now, where=" AND json_valid(value)")
            return {k: (v, stored) for k, v, stored in rows}
        except sqlite3.Error as exc:
            self._fail(f"cache read failed ({exc}); continuing without it")
            return {}

    @_locked
    def get_field_many(
        self, kind: str, keys: list[str], name: str, now: float | None = None
    ) -> dict[str, object]:
        """The top-level field `name` of the values of those of `keys` that are cached, fresh
        and have it, read by SQLite (no value is decoded here: a warm run asks this of every
        URL)."""
        if self._db is None or not keys:
            return {}
        if not name.isidentifier():
            raise ValueError(f"not a field name: {name!r}")  # it is spliced into the SQL
        try:
            rows = self._fresh(f"json_extract(value, '$.\"{name}\"')", kind, keys, now)
            return {k: v for k, v in rows if v is not None}
        except sqlite3.Error as exc:
            self._fail(f"cache read failed ({exc}); continuing without it")
            return {}

    def put(self, kind: str, key: str, value: dict, ttl: float) -> None:
        self.put_many(kind, {key: value}, ttl)

    @_locked
    def put_many(
        self, kind: str, values: Mapping[str, dict] | Iterable[tuple[str, dict]], ttl: float
    ) -> None:
        """Store `values` (a mapping, or (key, value) pairs) in one transaction, each encoded
        as it is written: a run's 100,000 results are never all held as JSON at once."""
        if self._db is None:
            return
        pairs = iter(values.items() if isinstance(values, Mapping) else values)
        first = next(pairs, None)
        if first is None:
            return
        now = time.time()
        rows = (
            (kind, k, json.dumps(v, sort_keys=True), now, now + jittered(ttl))
            for k, v in chain((first,), pairs)
        )
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?)", rows)
            except BaseException:  # a value that is no JSON, an interrupt: nothing half-written
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._fail(f"cache write failed ({exc}); continuing without it")

    @_locked
    def close(self) -> None:
        """Drop expired entries, once a day (the file would only grow otherwise), and close."""
        if self._db is not None:
            try:
                self._prune(time.time())
            except sqlite3.Error:
                pass  # locked by another run: it or a later run prunes
            self._db.close()
            self._db = None

    def _prune(self, now: float) -> None:
        # The DELETE reads the whole table (15 ms at 20,000 entries), and a run opens the
        # cache up to four times: one marker entry says when it was last done.
        assert self._db is not None
        due = self._db.execute(
            "SELECT 1 FROM entries WHERE kind=? AND key=? AND expires>?", (*_PRUNED, now)
        ).fetchone()
        if due is None:
            self._db.execute("DELETE FROM entries WHERE expires<=?", (now,))
            self._db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?)",
                (*_PRUNED, "{}", now, now + PRUNE_EVERY),
            )
