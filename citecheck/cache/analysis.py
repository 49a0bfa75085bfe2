"""The offline analysis of a report kept in the cache, so a warm run on an unchanged report
skips it.

After reading, the analysis (note kinds, Ibid resolution, identifiers, and the facts of the
numbering, hedging, cross-reference and reference-list checks) is the largest part of a warm
run: about 0.4 s of CPU at 10,000 notes, every night the same. The key covers everything the
result depends on: the Document itself, the hedges asked for, and the code (the version and
every source file of the package by path, size and modification time, as Python's own
bytecode cache tells a changed module, so a new or edited citecheck never serves an old
analysis). Entries are JSON, as the cached documents are.

A report has one entry (by its name and format), which each run replaces: a report edited a
hundred times leaves one. An edited version misses it; its per-text results
(citecheck.analysis.memo), kept in a second entry per report stamped with the hedges and the
code, give the new version the results of every note, paragraph and sentence it did not
change.
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
    Document counts); None when the Document does not serialise (nothing is cached). It
    names the report's one entry and the version it must hold: `slot/digest`."""
    from orjson import dumps

    try:
        digest = hashlib.sha256(dumps(document))  # dataclasses natively: 15 ms at 10,000 notes
    except TypeError:
        return None
    digest.update("\0".join(("", *hedges, _code_hash(), str(_FORMAT))).encode())
    return f"{_slot(document)}/{digest.hexdigest()}"


def _slot(document: Document) -> str:
    """The one entry of each kind a report has (its name and format): each run replaces it,
    so a report edited a hundred times leaves one."""
    return hashlib.sha256(f"{document.source}\0{document.format}".encode()).hexdigest()


def _split(entry: str) -> tuple[str, str]:
    """(slot, digest) of a `key`: an entry named otherwise is both."""
    slot, _, digest = entry.rpartition("/")
    return slot or digest, digest


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
    slot, digest = _split(entry)
    value = cache.get(KIND, slot)
    if value is None or value.get("digest") != digest:
        return None  # none, or another version's
    return _decode(value, document)


def store(
    cache: Cache | None, entry: str | None, notes: tuple[Note, ...], facts: tuple[Fact, ...]
) -> None:
    """Keep (classified notes, facts) under `entry` (replacing the report's last)."""
    if cache is not None and cache.enabled and entry is not None:
        slot, digest = _split(entry)
        cache.put(KIND, slot, {**_encode(notes, facts), "digest": digest}, TTL)


def _stamp(hedges: tuple[str, ...]) -> str:
    """What per-text results hold for: the hedges asked for, the code, the format."""
    return hashlib.sha256("\0".join((*hedges, _code_hash(), str(_FORMAT))).encode()).hexdigest()


# Reports with more notes are analysed whole when edited: loading and keeping the memo costs
# about 1 KB a note (100,000 notes: +100 MB, past the 500 MB a run may take).
MEMO_MAX_NOTES = 20_000


def memo(cache: Cache | None, document: Document, hedges: tuple[str, ...]) -> Memo:
    """A memo with the per-text results of the last version of this report, if analysed
    with these `hedges` by this code (else empty, as when damaged)."""
    from orjson import loads

    from citecheck.analysis.memo import Memo

    if cache is None or not cache.enabled or len(document.notes) > MEMO_MAX_NOTES:
        return Memo()
    value = cache.get(PARTS, _slot(document))
    if not isinstance(value, dict) or value.get("stamp") != _stamp(hedges):
        return Memo()
    try:
        tables = loads(value.get("tables") or "")
    except (TypeError, ValueError):
        return Memo()  # damaged
    return Memo(tables) if _well_formed(tables) else Memo()


def _well_formed(tables: object) -> bool:
    return isinstance(tables, dict) and all(
        isinstance(table, dict) and all(isinstance(r, dict) for r in table.values())
        for table in tables.values()
    )


def store_memo(
    cache: Cache | None, document: Document, hedges: tuple[str, ...], memo: Memo
) -> None:
    """Keep the per-text results of this version of the report (replacing the last's)."""
    from orjson import dumps

    if cache is not None and cache.enabled and len(document.notes) <= MEMO_MAX_NOTES:
        # The records as one JSON text, by orjson: the cache's own encoding of 20,000
        # records sorted by key took 40 ms at 10,000 notes, this takes 5.
        value = {"stamp": _stamp(hedges), "tables": dumps(memo.tables).decode()}
        cache.put(PARTS, _slot(document), value, TTL)


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
