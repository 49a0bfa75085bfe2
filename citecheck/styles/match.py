"""Which reference-list entries an in-text citation can mean."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.styles import names
from citecheck.styles.citations import Citation
from citecheck.styles.entries import Entry


@dataclass(frozen=True)
class Resolution:
    """The entries (indices) a citation matches, and, when it matches none, those by the
    same authors under another date (a year disagreement)."""

    matches: tuple[int, ...]
    near: tuple[int, ...] = ()


class Listed:
    """Entries with an index from each name word to the entries that hold it, so that
    matching a thousand citations against a thousand entries stays fast."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_word: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            for word in {*entry.words, *entry.first, entry.acronym.casefold()} - {""}:
                self.by_word.setdefault(word, []).append(i)

    def candidates(self, citation: Citation) -> list[int]:
        words = names.significant([w for part in citation.names[0] for w in part.split()])
        found = {i for w in words for i in self.by_word.get(w, ())}
        return sorted(found)


def resolve(citation: Citation, listed: Listed) -> Resolution:
    entries = listed.entries
    if citation.number:
        return Resolution(tuple(i for i, e in enumerate(entries) if e.number == citation.number))
    by_name = [
        i
        for i in listed.candidates(citation)
        if entries[i].authors and _names_match(citation, entries[i])
    ]
    dated = [i for i in by_name if _dates_match(citation.date, entries[i].date)]
    if not dated:
        return Resolution((), tuple(by_name))
    exact = [i for i in dated if entries[i].date == citation.date]
    chosen = exact if exact and names.suffix_of(citation.date) else dated
    if len(chosen) > 1:
        fitting = [i for i in chosen if _count_fits(citation, entries[i])]
        chosen = fitting or chosen
    return Resolution(tuple(chosen))


def _names_match(citation: Citation, entry: Entry) -> bool:
    if not _first_matches(citation.names[0], entry):
        return False
    others = (
        names.significant([w for part in n for w in part.split()]) for n in citation.names[1:]
    )
    return all(set(o[-1:]) <= entry.words for o in others)


def _first_matches(cited: tuple[str, ...], entry: Entry) -> bool:
    """The citation's first name against the entry's first author. A narrative citation may
    carry words before the name ("Following Smith"): its shorter tails are tried too."""
    words = names.significant([w for part in cited for w in part.split()])
    for start in range(len(words)):
        tail = tuple(words[start:])
        if entry.first[: len(tail)] == tail or (len(entry.first) > 1 and entry.first[-1:] == tail):
            return True  # "Smith, John" or "World Bank"; "John Smith" by the surname too
        if len(tail) == 1 and entry.acronym and tail[0] == entry.acronym.casefold():
            return True
        if len(tail) == 1 and _is_acronym(cited[-1]) and tail[0] in entry.words:
            return True  # "OECD 2019" for "Organisation for Economic ... (OECD). 2019."
    return False


def _is_acronym(word: str) -> bool:
    last = word.split()[-1]
    return len(last) >= 2 and last.isupper()


def _dates_match(cited: str, listed: str) -> bool:
    if cited == listed:
        return True
    if names.year_of(cited) != names.year_of(listed) or not cited[:1].isdigit():
        return False
    # "Smith 2015" may mean "Smith 2015a" (then it is ambiguous if there is a 2015b too), and
    # "Smith 2015a" the list's only "Smith 2015".
    return not names.suffix_of(cited) or not names.suffix_of(listed)


def _count_fits(citation: Citation, entry: Entry) -> bool:
    """Whether the entry has as many authors as the citation implies (one, two, or et al.)."""
    if citation.et_al:
        return entry.authors >= 3
    return entry.authors == len(citation.names)
