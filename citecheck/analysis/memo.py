"""The per-text results of the analysis, kept so that an edited report is analysed again only
where it changed.

Most of the analysis looks at one text at a time and nothing else: the identifiers, kind and
locators of a note (its text and URLs), the cross-reference phrases of a note or paragraph,
whether a sentence hedges. Those results are recorded here by the text they depend on (the
key says exactly what that is) as JSON-ready values; a `Memo` built from the records of the
report's previous version answers for every text that did not change. What depends on
several notes (Ibid chains, which cross-reference targets exist, which marker a hedge is
attributed to) and every location are worked out again from the new document; the numbering
facts are recorded by all they depend on, every note's and marker's label, place and style.

A fresh `Memo()` computes everything: the from-scratch analysis is the same code with
nothing recorded yet. The hedges asked for and the code are not in the keys: the cache keeps
one memo per report, stamped with them (citecheck.cache.analysis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson

T = TypeVar("T")

Records = dict[str, dict[str, dict[str, Any]]]  # table -> key -> field -> JSON value


class Memo:
    """Records of per-text results, by table ("note", "text", "numbering") and
    key; `tables` holds those asked for in this run (so only the current version's are
    kept). It owns `previous` (whose records it takes over as they are asked for)."""

    def __init__(self, previous: Records | None = None):
        self._previous = previous or {}
        self._built: dict[str, Any] = {}
        self.tables: Records = {}

    def get(self, table: str, key: str, field: str, compute: Callable[[], T]) -> T:
        """The `field` of the record `key` of `table`: recorded, or `compute()`d (it must
        return a JSON value: a cached one has been through JSON) and recorded."""
        mine = self.tables.get(table)
        if mine is None:
            mine = self.tables[table] = {}
        record = mine.get(key)
        if record is None:
            record = mine[key] = self._previous.get(table, _NONE).get(key) or {}
        if field in record:
            value: T = record[field]
            return value
        value = record[field] = compute()
        return value

    def previous(self, table: str, field: str, name: str, build: Callable[[list[Any]], T]) -> T:
        """`build(values)` of the `field` of every record of the previous `table` that has
        it, built once (an index of what they hold: the sentences of every paragraph)."""
        made = self._built.get(name)
        if made is None:
            records = self._previous.get(table, _NONE).values()
            made = self._built[name] = build([r[field] for r in records if field in r])
        return made


_NONE: dict[str, dict[str, Any]] = {}


def note_key(text: str, urls: tuple[str, ...]) -> str:
    """What a note's own results depend on: its text and URLs (as a JSON array: no two
    notes share a key unless they share both)."""
    return orjson.dumps((text, *urls)).decode()


def sentence_key(text: str, start: int, end: int) -> str:
    """What a search of `text[start:end]` depends on: the sentence and the one character
    before it (a `\\b` or a one-character look-behind at its start sees it), or that there is
    none."""
    return ("1" + text[start - 1 : end]) if start else ("0" + text[:end])
