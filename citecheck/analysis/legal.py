"""Legal citations in notes (case law, statutes and their short forms), found by eyecite.

eyecite takes about 0.3 s to import and builds its tokenizer on first use: it is imported
only for a note that looks legal (a "v." between names, a section sign, a reporter
abbreviation after a volume number, "supra"); every other note costs one regex search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Cheap signs of a legal citation: `Brown v. Board`, `§ 1983`, `347 U.S. 483`, `123 F.3d 456`,
# `12 Cal. App. 4th 34`, `U.S.C.`, `supra`.
_LOOKS_LEGAL = re.compile(
    r"\b[A-Z][\w.'’-]*\s+v\.?\s+[A-Z]|§|\bU\.\s?S\.\s?C\b|\bsupra\b"
    r"|\b\d{1,4}\s+(?:[A-Z][A-Za-z]{0,9}\.\s?){1,4}(?:\d[a-z]{1,2}\.?\s?)?(?:\d{1,5}|at\s+\d)"
)


@dataclass(frozen=True)
class LegalCitations:
    """What eyecite found in one note: full citations (as `volume reporter page` or `title
    code section`), short case forms (volume, reporter), supra forms (the name they repeat),
    and how many `Id.`s."""

    full: tuple[str, ...] = ()
    short: tuple[tuple[str, str], ...] = ()
    supra: tuple[str, ...] = ()
    ids: int = 0

    @property
    def only_short_forms(self) -> bool:
        return not self.full and bool(self.short or self.supra)

    def cites(self, volume: str, reporter: str) -> bool:
        """True when a full case citation of this note is in `volume` of `reporter`."""
        return any(f.startswith(f"{volume} {reporter} ") for f in self.full)


NONE = LegalCitations()
# "Section IV.A.6, supra" points inside the report itself: a cross-reference, not a citation.
_SECTION = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d+)(?:\.[A-Za-z0-9]+)*\.?$")


def _names_a_work(antecedent: str | None) -> bool:
    return bool(antecedent) and not _SECTION.match(antecedent or "")


def looks_legal(text: str) -> bool:
    return _LOOKS_LEGAL.search(text) is not None


@lru_cache(maxsize=4096)
def legal_citations(text: str) -> LegalCitations:
    """The legal citations of a note's text (NONE for a note that does not look legal)."""
    if not looks_legal(text):
        return NONE
    from eyecite import get_citations
    from eyecite.models import (
        FullCaseCitation,
        FullLawCitation,
        IdCitation,
        ShortCaseCitation,
        SupraCitation,
    )

    full, short, supra, ids = [], [], [], 0
    for cite in get_citations(text):
        groups = cite.groups
        if isinstance(cite, FullCaseCitation):
            full.append(f"{groups.get('volume')} {groups.get('reporter')} {groups.get('page')}")
        elif isinstance(cite, FullLawCitation):
            full.append(f"{groups.get('title')} {groups.get('reporter')} {groups.get('section')}")
        elif isinstance(cite, ShortCaseCitation):
            short.append((str(groups.get("volume")), str(groups.get("reporter"))))
        elif isinstance(cite, SupraCitation) and _names_a_work(cite.metadata.antecedent_guess):
            supra.append(cite.metadata.antecedent_guess or "")
        elif isinstance(cite, IdCitation):
            ids += 1
    return LegalCitations(tuple(full), tuple(short), tuple(supra), ids)
