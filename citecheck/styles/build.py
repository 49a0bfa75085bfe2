"""Turning found reference lists into notes and their citations into markers."""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Iterable
from functools import cache

from citecheck.models import CiteStyle, Document, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._links import merge_urls
from citecheck.styles import citations, entries, match
from citecheck.styles.citations import Citation
from citecheck.styles.entries import Entry
from citecheck.styles.headings import ListKind
from citecheck.styles.sections import ENTRY_SHARE, Section
from citecheck.urls import find_urls

# Readers whose notes may be a reference list's lines ("[1] W. Dai, ..." under "References" in
# text from a PDF); elsewhere a note is a real footnote wherever it is defined.
LITERAL_NOTES = frozenset({"text", "pdftext"})
# An unmatched parenthetical "(Name 2015)" counts as a citation without reference only in a
# document that plainly cites author-date: this many of its citations match an entry.
MIN_MATCHED = 3


class Builder:
    """Collects the notes, markers and URLs the lists of one Document give."""

    def __init__(self, document: Document, found: list[Section]) -> None:
        self.doc = document
        self.sections = found
        self.notes: list[Note] = list(document.notes)
        self.markers: list[Marker] = list(document.markers)
        self.taken_urls: set[int] = set()  # indices of body_urls now in an entry
        self.listed: set[int] = set()  # paragraphs that are list entries
        self.author_date: list[tuple[Entry, Note]] = []
        self.pending: list[tuple[Section, list[Entry]]] = []  # author-date lists
        self.longest = max((len(s.items) for s in found), default=0)  # entries of a list
        self.url_lines = sorted(
            (r.location.unit, r.location.line, n) for n, r in enumerate(document.body_urls)
        )

    def document(self) -> Document:
        for k, section in enumerate(self.sections):
            self._section(k, section)
        if self.pending:
            self._author_date_lists()
        if self.notes == list(self.doc.notes) and self.markers == list(self.doc.markers):
            return self.doc
        return self._rebuilt()

    # ---- one list ---------------------------------------------------------------------------

    def _section(self, k: int, section: Section) -> None:
        if self._notes_in(section):
            self._restyle(k, section)
            return
        if not section.items:
            return
        texts = [text for text, _ in section.items]
        parsed = entries.with_ditto(texts, [entries.parse(text) for text in texts])
        if section.kind is ListKind.ENDNOTES:
            if not self.doc.notes:
                self._numbered(k, section, parsed, style=None)
            return
        labelled = sum(e.number is not None for e in parsed)
        cited = self._bracketed(self._scope(k))
        if labelled >= ENTRY_SHARE * len(parsed):
            # beside footnotes, only "[12]" can be told from a footnote's call-out
            supers = not self.doc.notes and not cited
            if cited or (supers and self._superscripted(self._scope(k))):
                self._numbered(k, section, parsed, CiteStyle.NUMBERED)
            return
        raised = [] if cited or self.doc.notes else self._raised(self._scope(k))
        if not labelled and not self.doc.notes and _calls_by_position(cited or raised, len(parsed)):
            self._numbered(k, section, parsed, CiteStyle.NUMBERED)  # an ordered list
            return
        if sum(e.authors > 0 for e in parsed) >= ENTRY_SHARE * len(parsed):
            self.pending.append((section, parsed))

    def _bracketed(self, scope: list[int]) -> list[Citation]:
        paras = self.doc.paragraphs
        return [c for i in scope for c in citations.numbered(paras[i].text, False, self.longest)]

    def _raised(self, scope: list[int]) -> list[Citation]:
        """The superscript citations of the text (a report without footnotes of its own)."""
        paras = self.doc.paragraphs
        return [c for i in scope for c in citations.numbered(paras[i].text, True, self.longest)]

    def _superscripted(self, scope: list[int]) -> bool:
        return any(citations.numbered(self.doc.paragraphs[i].text) for i in scope) or any(
            m.label.isdecimal() for m in self.doc.markers
        )

    def _author_date_list(self, section: Section, parsed: list[Entry]) -> None:
        for (text, index), entry in zip(section.items, parsed, strict=True):
            if entry.authors:
                note = self._note(entry.label, text, index, section, CiteStyle.AUTHOR_DATE)
                self.author_date.append((entry, note))

    def _numbered(
        self, k: int, section: Section, parsed: list[Entry], style: CiteStyle | None
    ) -> None:
        positional = all(e.number is None for e in parsed)
        for n, ((text, index), entry) in enumerate(zip(section.items, parsed, strict=True), 1):
            label = str(n) if positional else entry.number
            if label is None:
                continue
            body = text if positional else entries.number(text)[1]
            self._note(label, body, index, section, style)
        if not self.doc.notes:  # the reader's markers call these entries, not footnotes
            self._restyle_markers(style)
        self._numbered_citations(self._scope(k), style)

    def _numbered_citations(self, scope: list[int], style: CiteStyle | None) -> None:
        """The numbered citations of the text, besides the markers the reader found (it
        takes "[1]" or a superscript out of the text when it makes a marker of it)."""
        body = [(i, self.doc.paragraphs[i]) for i in scope]
        bracketed = any(citations.numbered(p.text, False) for _, p in body)
        known = {(m.paragraph, m.offset) for m in self.doc.markers}
        for i, para in body:
            supers = not bracketed and not self.doc.notes
            for cite in citations.numbered(para.text, supers, self.longest):
                if (i, cite.start) in known:
                    continue
                self.markers.append(
                    Marker(cite.number, para.location, i, cite.start, style, cite.shown)
                )

    def _notes_in(self, section: Section) -> list[Note]:
        """The reader's notes that sit in this list (a text report's "[1] ..." lines)."""
        if (
            section.kind is not ListKind.REFERENCES
            or self.doc.format not in LITERAL_NOTES
            or not self.doc.notes
            or section.items
        ):
            return []
        start = self.doc.paragraphs[section.heading].location
        stop = section.paragraphs.stop
        end = self.doc.paragraphs[stop].location if stop < len(self.doc.paragraphs) else None
        inside = [
            n
            for n in self.doc.notes
            if n.location.unit == start.unit
            and start.line <= n.location.line
            and (end is None or n.location.line < end.line)
        ]
        return inside if len(inside) == len(self.doc.notes) else []

    def _restyle(self, k: int, section: Section) -> None:
        style = CiteStyle.NUMBERED
        self.notes = [dataclasses.replace(n, style=style) for n in self.notes]
        self._restyle_markers(style)
        self.listed.update(section.paragraphs)
        self._numbered_citations(self._scope(k), style)  # "[2-5]", which readers leave

    def _restyle_markers(self, style: CiteStyle | None) -> None:
        if style is None:
            return
        self.markers = [
            dataclasses.replace(m, style=style, cited=m.label) if m.label.isdecimal() else m
            for m in self.markers
        ]

    def _scope(self, k: int) -> list[int]:
        """The paragraphs whose citations go to list `k`: those since the previous list, and
        for the last list those after it too (a chapter's list follows its chapter)."""
        start = self.sections[k - 1].paragraphs.stop if k else 0
        last = k == len(self.sections) - 1
        stop = len(self.doc.paragraphs) if last else self.sections[k].heading
        lists = {i for s in self.sections for i in s.paragraphs}
        return [i for i in range(start, stop) if i not in lists]

    def _note(
        self, label: str, text: str, index: int, section: Section, style: CiteStyle | None
    ) -> Note:
        location = self.doc.paragraphs[index].location
        linked = self._linked_urls(text, index, section)
        printed = [u for _, u in find_urls(text)]
        note = Note(label, text, location, merge_urls(printed, linked), style=style)
        self.notes.append(note)
        self.listed.update(section.paragraphs)
        return note

    def _linked_urls(self, text: str, index: int, section: Section) -> list[str]:
        """The body URLs the reader found in this entry's paragraphs (links behind words)."""
        paras = self.doc.paragraphs
        first = paras[index].location
        following = [i for _, i in section.items if i > index]
        stop = following[0] if following else section.paragraphs.stop
        end = paras[stop].location.line if stop < len(paras) else None
        paged = first.unit == "page"  # the next entry may start on the same page
        shared = paged or _starts(section)[index] > 1  # the place holds more than the entry
        squeezed = "".join(text.split()).lower()
        low = bisect.bisect_left(self.url_lines, (first.unit, first.line, -1))
        out = []
        for unit, line, n in self.url_lines[low:]:
            if unit != first.unit or (
                end is not None and (line > end or (line == end and not paged))
            ):
                break
            ref = self.doc.body_urls[n]
            bare = ref.url.split("://", 1)[-1].lower().rstrip("/")
            if n in self.taken_urls or (shared and bare not in squeezed):
                continue
            self.taken_urls.add(n)
            out.append(ref.url)
        return out

    # ---- author-date citations -------------------------------------------------------------

    def _author_date_lists(self) -> None:
        """The author-date lists with their citations, when the text cites any of their
        entries: a bibliography nothing cites by author and year is a reading list, or
        one that footnotes cite in full (notes and bibliography), and is left as text."""
        listed = [e for _, parsed in self.pending for e in parsed if e.authors]
        lists = {i for s, _ in self.pending for i in s.paragraphs}
        found = self._author_date_found(lists)
        listing = match.Listed(listed)
        resolved = [_best(f, listing) for f in found]
        matched = sum(bool(r.matches) for _, r in resolved)
        # beside footnotes, a chance match ("(Thesis 2013)") does not make a bibliography
        # that the footnotes cite in full an author-date list
        if matched < (MIN_MATCHED if self.doc.notes else 1):
            return
        for section, parsed in self.pending:
            self._author_date_list(section, parsed)
        for (cite, location, index, in_body), res in resolved:
            if not _kept(cite, res, in_body, matched):
                continue
            label = listed[res.matches[0]].label if len(res.matches) == 1 else cite.shown
            offset = cite.start if index is not None else None
            self.markers.append(
                Marker(label, location, index, offset, CiteStyle.AUTHOR_DATE, cite.shown)
            )

    def _author_date_found(self, lists: set[int]) -> list[Found]:
        found: list[Found] = []
        for i, para in enumerate(self.doc.paragraphs):
            if i in lists or i in self.listed:
                continue
            found += [(c, para.location, i, True) for c in citations.author_date(para.text)]
        for note in self.doc.notes:
            found += [(c, note.location, None, False) for c in citations.author_date(note.text)]
        return found

    # ---- the new Document --------------------------------------------------------------------

    def _rebuilt(self) -> Document:
        keep = [i for i in range(len(self.doc.paragraphs)) if i not in self.listed]
        new_index = {old: new for new, old in enumerate(keep)}
        paragraphs: tuple[Paragraph, ...] = tuple(self.doc.paragraphs[i] for i in keep)
        markers = [_moved(m, new_index) for m in self.markers]
        if len(markers) != len(self.doc.markers):
            markers.sort(key=_order)  # citations found here join the reader's markers
        body_urls: Iterable[UrlRef] = (
            r for n, r in enumerate(self.doc.body_urls) if n not in self.taken_urls
        )
        return dataclasses.replace(
            self.doc,
            notes=tuple(self.notes),
            markers=tuple(markers),
            paragraphs=paragraphs,
            body_urls=tuple(body_urls),
        )


Found = tuple[Citation, Location, int | None, bool]


@cache
def _starts(section: Section) -> Counter[int]:
    """How many entries start in each paragraph of the list."""
    return Counter(i for _, i in section.items)


def _best(found: Found, listed: match.Listed) -> tuple[Found, match.Resolution]:
    """The first reading of a citation that matches an entry, else the citation as found."""
    cite = found[0]
    first = match.resolve(cite, listed)
    if first.matches or first.near:
        return found, first
    for reading in list(citations.readings(cite))[1:]:
        res = match.resolve(reading, listed)
        if res.matches or res.near:
            return (reading, *found[1:]), res
    return found, first


def _calls_by_position(cited: list[Citation], entries: int) -> bool:
    """Whether "[n]" citations call an unnumbered list by position (an ordered list whose
    numbers the reader does not keep): most of its entries are cited, by numbers that fit."""
    numbers = {int(c.number) for c in cited}
    inside = {n for n in numbers if 1 <= n <= entries}
    return len(inside) >= max(2, entries // 2) and len(numbers - inside) <= max(1, len(inside) // 4)


def _kept(cite: Citation, res: match.Resolution, in_body: bool, matched: int) -> bool:
    """Whether a found author-date citation becomes a marker: when it matches an entry, or
    names an entry's authors under another year; an unmatched one only as a parenthetical in
    the body of a document that plainly cites author-date."""
    if res.matches or res.near:
        return True
    return in_body and not cite.narrative and matched >= MIN_MATCHED


def _moved(marker: Marker, new_index: dict[int, int]) -> Marker:
    if marker.paragraph is None:
        return marker
    index = new_index.get(marker.paragraph)
    if index is None:
        return dataclasses.replace(marker, paragraph=None, offset=None)
    return dataclasses.replace(marker, paragraph=index)


def _order(marker: Marker) -> tuple:
    return (
        marker.location.unit,
        marker.location.line,
        marker.paragraph if marker.paragraph is not None else -1,
        marker.offset or 0,
    )
