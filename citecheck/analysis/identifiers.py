"""Identifiers in notes, checked offline: `identifier-invalid` for malformed ones and bad
check digits (the syntax and check-digit rules live in citecheck.identifiers)."""

from __future__ import annotations

import dataclasses

from citecheck.analysis import Fact
from citecheck.models import Note, Rule


def attach(notes: tuple[Note, ...]) -> tuple[Note, ...]:
    """The notes with `identifiers` set from their text and URLs."""
    from citecheck.identifiers import find

    out = []
    for note in notes:
        found = find(" ".join((note.text, *note.urls)))
        out.append(dataclasses.replace(note, identifiers=found) if found else note)
    return tuple(out)


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
