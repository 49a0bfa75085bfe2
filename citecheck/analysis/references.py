"""Citations against the reference list: citation-without-reference (with the year the list
has, when only the year disagrees), ambiguous-citation and reference-never-cited.

Markers and notes with a `style` are what citecheck.styles read from a reference list and
the text; footnotes and their call-outs are numbering's business.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from citecheck.analysis import Fact
from citecheck.models import CiteStyle, Document, Marker, Note, Rule

if TYPE_CHECKING:
    from citecheck.styles.match import Listed, Resolution


def check(doc: Document) -> list[Fact]:
    listed = tuple(n for n in doc.notes if n.style is not None)  # hashable: indexes cache on it
    cites = [m for m in doc.markers if m.style is not None]
    if not listed and not cites:
        return []
    runs = _runs(listed)
    missing: list[Fact] = []
    facts: list[Fact] = []
    cited: set[int] = set()  # id() of the entries some citation means
    for marker in cites:
        meant = _meant(marker, listed, runs)
        cited.update(id(n) for n in meant)
        if len(meant) > 1:
            facts.append(_ambiguous(marker, meant))
        elif not meant:
            missing.append(_missing(marker, listed))
    if _few({f.label for f in missing}, {m.label for m in cites}):
        facts += missing
    uncited = _never_cited(doc, listed, cited)
    if _few({id(f) for f in uncited}, {id(n) for n in listed}):
        facts += uncited
    return facts


# When more than this share of a list's entries is never cited, or of the numbers cited has
# no entry, the list or the text was not read whole (a PDF column lost, a reading list):
# one finding per entry would be noise, so none is reported.
MAX_SHARE = 1 / 3


def _few(flagged: set, among: set) -> bool:
    return len(flagged) <= MAX_SHARE * len(among)


def _runs(listed: tuple[Note, ...]) -> list[list[Note]]:
    """The numbered lists, each its own run: per-chapter lists number from 1 again."""
    runs: list[list[Note]] = []
    for note in (n for n in listed if n.style is CiteStyle.NUMBERED):
        restart = note.label == "1" and runs and any(n.label != "1" for n in runs[-1])
        if not runs or restart:
            runs.append([])
        runs[-1].append(note)
    return runs


def _run_of(marker: Marker, runs: list[list[Note]]) -> list[Note]:
    """The list a numbered citation calls: the first that follows it (a chapter's list comes
    after the chapter), else the last."""
    where = (marker.location.unit, marker.location.line)
    for run in runs:
        if (run[0].location.unit, run[0].location.line) >= where:
            return run
    return runs[-1] if runs else []


def _meant(marker: Marker, listed: tuple[Note, ...], runs: list[list[Note]]) -> list[Note]:
    """The entries a citation can mean."""
    if marker.style is CiteStyle.NUMBERED:
        return [n for n in _run_of(marker, runs) if n.label == marker.label]
    same = _by_label(listed).get(marker.label, [])
    if same:
        return same
    resolution = _resolve(marker, listed)
    return [_author_date(listed)[i] for i in resolution.matches]


def _missing(marker: Marker, listed: tuple[Note, ...]) -> Fact:
    what = f"[{marker.cited}]" if marker.style is CiteStyle.NUMBERED else marker.cited
    message = f"citation {what} has no entry in the reference list"
    suggestion = None
    if marker.style is CiteStyle.AUTHOR_DATE:
        near = [_author_date(listed)[i] for i in _resolve(marker, listed).near]
        if near:
            has = " and ".join(n.label for n in near)
            message = f"{marker.cited} is cited; the list has {has}"
            suggestion = f"correct the year of the citation or of the entry ({has})"
    return Fact(
        Rule.CITATION_WITHOUT_REFERENCE, message, marker.location, marker.label, None, suggestion
    )


def _ambiguous(marker: Marker, meant: list[Note]) -> Fact:
    which = " and ".join(
        f"{n.label} (line {n.location.line})" if n.location.unit == "line" else n.label
        for n in meant
    )
    what = f"[{marker.cited}]" if marker.style is CiteStyle.NUMBERED else marker.cited
    return Fact(
        Rule.AMBIGUOUS_CITATION,
        f"citation {what} matches {len(meant)} entries: {which}",
        marker.location,
        marker.label,
        suggestion="renumber the list"
        if marker.style is CiteStyle.NUMBERED
        else "add year suffixes (2015a, 2015b) to the entries and the citations",
    )


def _never_cited(doc: Document, listed: tuple[Note, ...], cited: set[int]) -> list[Fact]:
    from citecheck.styles import entries

    footnotes = " ".join(n.text for n in doc.notes if n.style is None).casefold()
    facts = []
    for note in listed:
        if id(note) in cited:
            continue
        if note.style is CiteStyle.AUTHOR_DATE and footnotes:
            # notes-and-bibliography: a footnote that names the author cites the entry
            first = entries.parse(note.text).first
            if first and first[0] in _folded(footnotes):
                continue
        facts.append(
            Fact(
                Rule.REFERENCE_NEVER_CITED,
                f"reference {note.label} is never cited in the text",
                note.location,
                note.label,
            )
        )
    return facts


def _folded(text: str) -> str:
    from citecheck.styles.names import fold

    return fold(text)


@lru_cache(maxsize=4)
def _author_date(listed: tuple[Note, ...]) -> tuple[Note, ...]:
    return tuple(n for n in listed if n.style is CiteStyle.AUTHOR_DATE)


def _resolve(marker: Marker, listed: tuple[Note, ...]) -> Resolution:
    from citecheck.styles import citations, match

    found = citations.author_date(f"({marker.cited})")
    if not found:
        return match.Resolution(())
    return match.resolve(found[0], _index(_author_date(listed)))


@lru_cache(maxsize=4)
def _index(notes: tuple[Note, ...]) -> Listed:
    """The author-date entries as matching sees them (repeated authors "———" resolved)."""
    from citecheck.styles import entries, match

    texts = [n.text for n in notes]
    return match.Listed(entries.with_ditto(texts, [entries.parse(t) for t in texts]))


@lru_cache(maxsize=4)
def _by_label(listed: tuple[Note, ...]) -> dict[str, list[Note]]:
    out: dict[str, list[Note]] = {}
    for note in listed:
        if note.style is CiteStyle.AUTHOR_DATE:
            out.setdefault(note.label, []).append(note)
    return out
