"""What a note says of the work it cites (quoted or italic title, publication years), and how
close that is to a DOI's registered metadata. Facts only: citecheck.rules decides."""

from __future__ import annotations

import re

_QUOTED = re.compile(r"“([^”]{8,300})”|\"([^\"]{8,300})\"|\*([^*]{8,300})\*|_([^_]{8,300})_")
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)[a-z]?(?![\d/-])")
# A year after these words is when the page was read, not when the work appeared.
_ACCESS = re.compile(
    r"(?:accessed|retrieved|viewed|consulted|visited|last checked|abgerufen|consulté)"
    r"(?:\s+(?:on|at|am|le))?\s*[:,]?\s*$",
    re.IGNORECASE,
)
_LOCATORS = re.compile(r"\S+://\S+|\b(?:doi:\s*)?10\.\d{4,9}/\S+", re.IGNORECASE)
_RETRACTED = re.compile(r"\b(?:retract(?:ed|ion)|withdrawn|rétract|zurückgezogen)", re.IGNORECASE)


def cited_titles(text: str) -> list[str]:
    """Titles the note quotes or sets in italics (at least 8 characters: no scare quotes)."""
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def cited_years(text: str) -> set[int]:
    """Years the note gives for the work: every year outside titles and access dates."""
    bare = _QUOTED.sub(" ", text)
    out = set()
    for m in _YEAR.finditer(bare):
        before = bare[max(0, m.start() - 40) : m.start()]
        before = re.sub(r"\d{1,2}(?:st|nd|rd|th)?\s*\w*\s*$|\w+\s+\d{1,2},?\s*$", "", before)
        if not _ACCESS.search(before.rstrip()):
            out.add(int(m.group(1)))
    return out


def title_similarity(note_title: str, registered: str) -> float:
    """0..100: how much of one title's words the other shares (rapidfuzz token-set ratio)."""
    from rapidfuzz import fuzz, utils

    return float(fuzz.token_set_ratio(note_title, registered, processor=utils.default_process))


def says_retracted(text: str) -> bool:
    """The note itself tells the reader the work was retracted or withdrawn."""
    prose = _LOCATORS.sub(" ", text)  # a DOI or URL may itself contain "retracted"
    return _RETRACTED.search(prose) is not None
