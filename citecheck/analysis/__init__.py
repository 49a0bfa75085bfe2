"""Offline checks on a Document: numbering, note kinds and ibid, hedges, cross-references,
malformed URLs.

`analyze` returns the notes with their kind (and ibid resolution) set, and the facts the
document shows. Facts carry no severity: `citecheck.rules` decides which findings they make.
"""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.models import Document, Location, Note, Rule


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


def classified(document: Document) -> tuple[Note, ...]:
    """The notes with kind, ibid_of and inherited urls set (what the link checks need)."""
    from citecheck.analysis import identifiers, kinds

    return kinds.classify(identifiers.attach(document.notes))


def document_facts(
    document: Document, notes: tuple[Note, ...], hedges: tuple[str, ...]
) -> tuple[Fact, ...]:
    """The facts of every offline check, given the `classified` notes."""
    from citecheck.analysis import crossrefs, hedging, identifiers, kinds, numbering, urlsyntax

    facts = (
        numbering.check(document)
        + kinds.check(notes)
        + hedging.check(document, hedges)
        + crossrefs.check(document)
        + urlsyntax.check(document)
        + identifiers.check(notes)
    )
    return tuple(facts)
