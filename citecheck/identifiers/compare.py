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


_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "their",
        "this",
        "that",
        "these",
        "those",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "not",
        "but",
        "its",
        "our",
        "your",
        "you",
        "they",
        "them",
        "his",
        "her",
        "who",
        "what",
        "when",
        "where",
        "which",
        "how",
        "why",
        "all",
        "any",
        "can",
        "may",
        "will",
        "une",
        "les",
        "des",
        "und",
        "der",
        "die",
        "das",
        "del",
        "los",
        "las",
        "por",
        "para",
        "con",
    ]
)


def content_words(text: str) -> list[str]:
    """The words of `text` that carry meaning: letters only, three or more, no stop words,
    lower case without accents."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in _WORD.findall(plain) if w not in _STOP]


def _same_word(a: str, b: str) -> bool:
    """Equal, or one a prefix of the other past four letters (market/markets, econom-y/ic)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.startswith(short[: max(5, len(short) - 2)])


def title_overlap(cited: str, page: str) -> float | None:
    """0..1: the share of the shorter title's content words the other one has (stop words,
    numbers and short words left out); None when either has no content words."""
    a, b = content_words(cited), content_words(page)
    if not a or not b:
        return None
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    hits = sum(1 for w in dict.fromkeys(shorter) if any(_same_word(w, v) for v in longer))
    return hits / len(dict.fromkeys(shorter))


def says_retracted(text: str) -> bool:
    """The note itself tells the reader the work was retracted or withdrawn."""
    prose = _LOCATORS.sub(" ", text)  # a DOI or URL may itself contain "retracted"
    return _RETRACTED.search(prose) is not None
