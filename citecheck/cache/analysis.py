"""The offline analysis of a report kept in the cache, so a warm run on an unchanged report
skips it.

After reading, the analysis (note kinds, Ibid resolution, identifiers, and the facts of the
numbering, hedging, cross-reference and reference-list checks) is the largest part of a warm
run: about 0.4 s of CPU at 10,000 notes, every night the same. The key covers everything the
result depends on: the Document itself, the hedges asked for, and the code (the version and
every source file of the package by path, size and modification time, as Python's own
bytecode cache tells a changed module, so a new or edited citecheck never serves an old
analysis). Entries are JSON, as the cached documents are.

A report edited since misses that entry; its per-text results (citecheck.analysis.memo) are
kept too, one entry per report (its name, the hedges and the code: each run replaces it with
the records of the version it analysed, so a report edited a hundred times leaves one), and
the new version takes the records of every note, paragraph and sentence it did not change.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from citecheck.cache.documents import _loc, _Locations
from citecheck.models import Identifier, Note, NoteKind, Rule, Scheme

if TYPE_CHECKING:
    from citecheck.analysis import Fact
    from citecheck.analysis.memo import Memo
    from citecheck.cache.store import Cache
    from citecheck.models import Document

KIND = "analysis"
PARTS = "analysis-parts"  # the per-text results of a report's last version
TTL = 7 * 24 * 3600.0  # seconds, as the documents'
_FORMAT = 1  # of the encoded value; bump when `_encode` changes


def key(document: Document, hedges: tuple[str, ...]) -> str | None:
    """The cache key of the analysis of `document` with these `hedges` (every field of the
    Document counts); None when the Document does not serialise (nothing is cached)."""
    from orjson import dumps

    try:
        digest = hashlib.sha256(dumps(document))  # dataclasses natively: 15 ms at 10,000 notes
    except TypeError:
        return None
    digest.update("\0".join(("", *hedges, _code_hash(), str(_FORMAT))).encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A stamp of the package's code: the analysis reaches into many modules."""
    return code_stamp(Path(__file__).resolve().parent.parent)


def code_stamp(root: Path) -> str:
    """A hash of the version and of the path, size and modification time of every source
    file under `root` (reading them all cost up to 15 ms a run): an edited,
    added or removed file, or another release, changes it."""
    from citecheck import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        name = path.relative_to(root).as_posix()
        digest.update(f"\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def load(
    cache: Cache | None, entry: str | None, document: Document
) -> tuple[tuple[Note, ...], tuple[Fact, ...]] | None:
    """(classified notes, facts) stored under `entry` for `document`, or None."""
    if cache is None or not cache.enabled or entry is None:
        return None
    value = cache.get(KIND, entry)
    return _decode(value, document) if value is not None else None


def store(
    cache: Cache | None, entry: str | None, notes: tuple[Note, ...], facts: tuple[Fact, ...]
) -> None:
    """Keep (classified notes, facts) under `entry`."""
    if cache is not None and cache.enabled and entry is not None:
        cache.put(KIND, entry, _encode(notes, facts), TTL)


def _parts_key(document: Document, hedges: tuple[str, ...]) -> str:
    """The entry of the per-text results of the report `document` is a version of."""
    names = (document.source, document.format, *hedges, _code_hash(), str(_FORMAT))
    return hashlib.sha256("\0".join(names).encode()).hexdigest()


def memo(cache: Cache | None, document: Document, hedges: tuple[str, ...]) -> Memo:
    """A memo with the per-text results of the last version of this report analysed with
    these `hedges` by this code (empty if none, or damaged)."""
    from citecheck.analysis.memo import Memo

    if cache is None or not cache.enabled:
        return Memo()
    value = cache.get(PARTS, _parts_key(document, hedges))
    tables = value.get("tables") if isinstance(value, dict) else None
    if value is None or value.get("format") != _FORMAT or not _well_formed(tables):
        return Memo()
    return Memo(tables)


def _well_formed(tables: object) -> bool:
    return isinstance(tables, dict) and all(
        isinstance(table, dict) and all(isinstance(r, dict) for r in table.values())
        for table in tables.values()
    )


def store_memo(
    cache: Cache | None, document: Document, hedges: tuple[str, ...], memo: Memo
) -> None:
    """Keep the per-text results of this version of the report (replacing the last's)."""
    if cache is not None and cache.enabled:
        value = {"format": _FORMAT, "tables": memo.tables}
        cache.put(PARTS, _parts_key(document, hedges), value, TTL)


def _encode(notes: tuple[Note, ...], facts: tuple[Fact, ...]) -> dict:
    """What the analysis adds to the document's notes, and the facts (lists, not objects)."""
    return {
        "format": _FORMAT,
        "notes": [
            [
                n.kind.value if n.kind else None,
                n.ibid_of,
                list(n.urls),
                [[i.scheme.value, i.value, i.raw, i.problem] for i in n.identifiers],
            ]
            for n in notes
        ],
        "facts": [
            [f.rule.value, f.message, _loc(f.location) if f.location else None, *_rest(f)]
            for f in facts
        ],
    }


def _rest(fact: Fact) -> list[str | None]:
    return [fact.label, fact.url, fact.suggestion]


def _decode(value: object, document: Document) -> tuple[tuple[Note, ...], tuple[Fact, ...]] | None:
    from citecheck.analysis import Fact
    from citecheck.analysis.kinds import classified_note

    if not isinstance(value, dict) or value.get("format") != _FORMAT:
        return None
    at = _Locations()
    for note in document.notes:  # the facts point at the notes' own places
        at.setdefault((note.location.file, note.location.line, note.location.unit), note.location)
    try:
        if len(value["notes"]) != len(document.notes):
            return None
        notes = tuple(
            classified_note(
                note,
                NoteKind(kind) if kind else None,
                ibid_of,
                tuple(urls),
                tuple(Identifier(Scheme(s), v, r, p) for s, v, r, p in idents),
            )
            for note, (kind, ibid_of, urls, idents) in zip(
                document.notes, value["notes"], strict=True
            )
        )
        facts = tuple(
            Fact(Rule(rule), message, at(loc) if loc else None, label, url, suggestion)
            for rule, message, loc, label, url, suggestion in value["facts"]
        )
    except (KeyError, TypeError, ValueError):
        return None  # damaged: analyse again
    return notes, facts
