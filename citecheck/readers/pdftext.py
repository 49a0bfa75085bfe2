"""Reader for the plain text `pdftotext -layout` writes: pages split by form feeds, note
markers as digits glued to the word before them, notes at the foot of each page."""

from __future__ import annotations

import re

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._join import join_lines
from citecheck.readers._markers import MarkerSequence, could_call
from citecheck.readers.common import is_page_number
from citecheck.urls import find_urls

_NOTE_START = re.compile(r"^\s{0,8}(\d{1,4})(?:\s+(\S.*))?$")
# digits glued to the word before ("SLSA12", "C++5", "this,2,3"), not inside a number
_GLUED = re.compile(
    r"(?<!\d\.)(?:(?<=[^\s\d,])|(?<=[^\s\d],))(\d{1,3}(?:\s?,\s?\d{1,3})*)"
    r"(?=[\s,;:)\]]|$)"
)
# Two places where a marker looks like part of the text, so only the next label whose note is
# on the page, and only before a new sentence, counts: digits spaced out after punctuation
# ("commitments. 5 The"; not "In 2015, 31 districts") and digits after a number's full stop
# ("in 2015.4 Registries"; not "3.3 percent")
_SPACED = re.compile(r"(?<=[.,;:!?)\]”’\"]) (\d{1,3})(?=\s+[A-Z(“\"]|\s*$)")
_AFTER_NUMBER = re.compile(r"(?<=\d\.)(\d{1,3})(?=\s+[A-Z(“\"]|\s*$)")
_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+([A-Z][^.]{0,80})$")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def sniff(content: str) -> bool:
    """Pages split by form feeds with numbered notes at their foot, and no Unicode
    superscript markers (those are the plain text reader's)."""
    if "\f" not in content or sum(content.count(c) for c in _SUPERSCRIPTS) > 3:
        return False
    doc = read(content, "<sniff>")
    return len(doc.notes) >= 2 and len(doc.markers) >= 2


def read(content: str, source: str) -> Document:
    """Notes, markers, paragraphs, headings and body URLs of pdftotext -layout output."""
    state = _State(source)
    first_line = 1
    for page in content.split("\f"):
        lines = _without_page_number(page.split("\n"))
        state.page(lines, first_line)
        first_line += len(lines) - 1
    return state.document()


class _State:
    def __init__(self, source: str):
        self.source = source
        self.notes: list[tuple[str, list[str], Location]] = []
        self.markers: list[Marker] = []
        self.sequence = MarkerSequence()
        self.paragraphs: list[Paragraph] = []
        self.headings: list[Heading] = []
        self.urls: list[UrlRef] = []

    def _loc(self, line: int) -> Location:
        return Location(self.source, line, "line")

    def page(self, lines: list[str], first: int) -> None:
        start = self._note_area(lines)
        labels = self._page_labels(lines[start:])
        self._body(lines[:start], first, labels)
        self._notes(lines[start:], first + start)

    def _next_note(self) -> int:
        return int(self.notes[-1][0]) + 1 if self.notes else 1

    def _note_area(self, lines: list[str]) -> int:
        """Index of the first note line: a line starting with the next note number after a
        body line that calls that note."""
        want = str(self._next_note())
        for i, line in enumerate(lines):
            m = _NOTE_START.match(line)
            called = any(could_call(run[0], want) for run in _runs("\n".join(lines[:i]))) or any(
                mk.label == want for mk in self.markers
            )
            if m and m.group(1) == want and called:
                return self._continuation_start(lines, i)
        return self._continuation_start(lines, len(lines))

    def _continuation_start(self, lines: list[str], i: int) -> int:
        """Lines just above the first note, after a gap of blank lines, that are not body
        text: the end of a note carried over from the previous page."""
        if not self.notes:
            return i
        j = i
        while j > 0 and lines[j - 1].strip():
            j -= 1
        block = [ln for ln in lines[j:i] if ln.strip()]
        gap = 0
        k = j
        while k > 0 and not lines[k - 1].strip():
            gap, k = gap + 1, k - 1
        if block and gap >= 3 and k > 0 and i < len(lines):
            return j
        return i

    def _page_labels(self, note_lines: list[str]) -> list[str]:
        want, labels = self._next_note(), []
        for line in note_lines:
            m = _NOTE_START.match(line)
            if m and int(m.group(1)) == want:
                labels.append(m.group(1))
                want += 1
        return labels

    def _body(self, lines: list[str], first: int, labels: list[str]) -> None:
        self.sequence.page(labels)
        para: list[tuple[int, str]] = []
        for n, line in enumerate([*lines, ""], start=first):
            h = _HEADING.match(line)
            if h:
                self.headings.append(Heading(h.group(1), h.group(2).strip(), self._loc(n)))
                line = ""
            if line.strip():
                para.append((n, line))
            elif para:
                self._paragraph(para)
                para = []

    def _paragraph(self, para: list[tuple[int, str]]) -> None:
        index = len(self.paragraphs)
        text = ""
        for n, line in para:
            clean, found = self._markers(line.strip())
            base = len(text) + (1 if text else 0)
            for label, offset in found:
                self.markers.append(Marker(label, self._loc(n), index, base + offset))
            text = f"{text} {clean}" if text else clean
        for _offset, url in find_urls(text):
            self.urls.append(UrlRef(url, self._loc(para[0][0])))
        self.paragraphs.append(Paragraph(text, self._loc(para[0][0])))

    def _markers(self, line: str) -> tuple[str, list[tuple[str, int]]]:
        """The line without its markers, and (label, offset) of each marker."""
        out, found, pos = "", [], 0
        for run, start, end, strict in _runs(line):
            got = self.sequence.labels(run, strict)
            if not got:
                continue
            out += line[pos:start].rstrip(" ")
            found += [(label, len(out)) for label in got]
            pos = end
        return out + line[pos:], found

    def _notes(self, lines: list[str], first: int) -> None:
        want = self._next_note()
        for n, line in enumerate(lines, start=first):
            m = _NOTE_START.match(line)
            if m and int(m.group(1)) == want:
                self.notes.append((m.group(1), [m.group(2) or ""], self._loc(n)))
                want += 1
            elif self.notes and line.strip():
                self.notes[-1][1].append(line)

    def document(self) -> Document:
        notes = []
        for label, lines, loc in self.notes:
            text = join_lines(lines)
            notes.append(
                Note(label, text, loc, tuple(dict.fromkeys(u for _, u in find_urls(text))))
            )
        return Document(
            self.source,
            "pdftext",
            tuple(notes),
            tuple(self.markers),
            tuple(self.paragraphs),
            tuple(self.headings),
            tuple(self.urls),
        )


def _without_page_number(lines: list[str]) -> list[str]:
    """The page's lines with its last one blanked when it is a page number set off from the
    margin (a footer): it ends neither the body nor the last note."""
    last = max((i for i, ln in enumerate(lines) if ln.strip()), default=None)
    if (
        last is not None
        and is_page_number(lines[last])
        and len(lines[last]) - len(lines[last].lstrip()) >= 10
    ):
        return [*lines[:last], "", *lines[last + 1 :]]
    return lines


def _runs(text: str) -> list[tuple[str, int, int, bool]]:
    """Digit runs that may be markers, in order: (run, start, end, strict), where `strict`
    runs need their note on the page (see _SPACED)."""
    found = [
        (m.group(1), m.start(1), m.end(1), strict)
        for pattern, strict in ((_GLUED, False), (_SPACED, True), (_AFTER_NUMBER, True))
        for m in pattern.finditer(text)
    ]
    return sorted(found, key=lambda r: r[1])
