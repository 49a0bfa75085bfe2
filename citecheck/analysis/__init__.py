"""Offline checks on a Document: numbering, note kinds and ibid, hedges, cross-references,
malformed URLs.

`analyze` returns the notes with their kind (and ibid resolution) set, and the facts the
document shows. Facts carry no severity: `citecheck.rules` decides which findings they make.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from citecheck.models import Document, Location, Note, Rule

if TYPE_CHECKING:
    from citecheck.analysis.memo import Memo


@dataclass(frozen=True)
class Fact:
    """Something the document shows that a rule may turn into a finding."""

    rule: Rule
    message: str
    location: Location | None
    label: str | None = None
    url: str | None = None
    suggestion: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rule", Rule(self.rule))  # a misspelt name fails here


@dataclass(frozen=True)
class Analysis:
    document: Document
    notes: tuple[Note, ...]  # with kind, ibid_of and inherited urls set
    facts: tuple[Fact, ...]


def analyze(document: Document, hedges: tuple[str, ...]) -> Analysis:
    """Run every offline check on `document`."""
    notes = classified(document)
    return Analysis(document, notes, document_facts(document, notes, hedges))


def classified(document: Document, memo: Memo | None = None) -> tuple[Note, ...]:
    """The notes with kind, ibid_of and inherited urls set (what the link checks need); the
    per-note results `memo` holds are taken from it, the others recorded in it."""
    from citecheck.analysis import identifiers, kinds
    from citecheck.analysis.memo import Memo

    memo = memo if memo is not None else Memo()
    return kinds.classify(identifiers.attach(document.notes, memo), memo)


def document_facts(
    document: Document,
    notes: tuple[Note, ...],
    hedges: tuple[str, ...],
    memo: Memo | None = None,
) -> tuple[Fact, ...]:
    """The facts of every offline check, given the `classified` notes (and the `memo` of
    per-text results, for these `hedges`)."""
    from citecheck.analysis import (
        crossrefs,
        hedging,
        identifiers,
        kinds,
        numbering,
        references,
        urlsyntax,
    )
    from citecheck.analysis.memo import Memo

    memo = memo if memo is not None else Memo()
    facts = (
        numbering.check(document, memo)
        + references.check(document)
        + kinds.check(notes, memo)
        + hedging.check(document, hedges, memo)
        + crossrefs.check(document, memo)
        + urlsyntax.check(document)
        + identifiers.check(notes)
    )
    return tuple(facts)
