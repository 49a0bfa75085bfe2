"""Identifiers in notes, checked offline: `identifier-invalid` for malformed ones and bad
check digits (the syntax and check-digit rules live in citecheck.identifiers)."""

from __future__ import annotations

import dataclasses
from functools import partial

from citecheck.analysis import Fact
from citecheck.analysis.memo import Memo, note_key
from citecheck.models import Identifier, Note, Rule, Scheme


def attach(notes: tuple[Note, ...], memo: Memo | None = None) -> tuple[Note, ...]:
    """The notes with `identifiers` set from their text and URLs (found, or as `memo`
    recorded them for the same text and URLs)."""
    memo = memo if memo is not None else Memo()
    out = []
    for note in notes:
        key = note_key(note.text, note.urls)
        found = memo.get("note", key, "ids", partial(_found, note))
        if found:
            idents = tuple(Identifier(Scheme(s), v, r, p) for s, v, r, p in found)
            note = dataclasses.replace(note, identifiers=idents)
        out.append(note)
    return tuple(out)


def _found(note: Note) -> list[tuple[str, str, str, str | None]]:
    from citecheck.identifiers import find

    return [
        (i.scheme.value, i.value, i.raw, i.problem) for i in find(" ".join((note.text, *note.urls)))
    ]


def check(notes: tuple[Note, ...]) -> list[Fact]:
    return [
        Fact(
            Rule.IDENTIFIER_INVALID,
            f"note {note.label} cites {ident.scheme.name} {ident.raw!r}: {ident.problem}",
            note.location,
            note.label,
        )
        for note in notes
        for ident in note.identifiers
        if ident.problem is not None
    ]
