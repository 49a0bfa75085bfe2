"""Reader for the plain text `pdftotext -layout` writes: pages split by form feeds, note
markers as digits glued to the word before them, notes at the foot of each page."""

from __future__ import annotations

import re

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._join import join_lines
from citecheck.urls import find_urls

_NOTE_START = re.compile(r"^\s{0,8}(\d{1,4})(?:\s+(\S.*))?$")
_GLUED = re.compile(r"(?<!\d\.)(?<=[^\s\d,])(\d{1,3}(?:\s?,\s?\d{1,3})*)(?=[\s,;:)\]]|$)")
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
        lines = page.split("\n")
        state.page(lines, first_line)
        first_line += len(lines) - 1
    return state.document()


class _State:
    def __init__(self, source: str):
        self.source = source
        self.notes: list[tuple[str, list[str], Location]] = []
        self.markers: list[Marker] = []
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
            called = _calls(lines[:i], want) or any(mk.label == want for mk in self.markers)
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

    def _page_labels(self, note_lines: list[str]) -> set[str]:
        want, labels = self._next_note(), set()
        for line in note_lines:
            m = _NOTE_START.match(line)
            if m and int(m.group(1)) == want:
                labels.add(m.group(1))
                want += 1
        return labels

    def _body(self, lines: list[str], first: int, labels: set[str]) -> None:
        para: list[tuple[int, str]] = []
        for n, line in enumerate(lines + [""], start=first):
            h = _HEADING.match(line)
            if h:
                self.headings.append(Heading(h.group(1), h.group(2).strip(), self._loc(n)))
                line = ""
            if line.strip():
                para.append((n, line))
            elif para:
                self._paragraph(para, labels)
                para = []

    def _paragraph(self, para: list[tuple[int, str]], labels: set[str]) -> None:
        index = len(self.paragraphs)
        text = ""
        for n, line in para:
            clean, found = self._markers(line.strip(), labels)
            base = len(text) + (1 if text else 0)
            for label, offset in found:
                self.markers.append(Marker(label, self._loc(n), index, base + offset))
            text = f"{text} {clean}" if text else clean
        for offset, url in find_urls(text):
            self.urls.append(UrlRef(url, self._loc(para[0][0])))
        self.paragraphs.append(Paragraph(text, self._loc(para[0][0])))

    def _markers(self, line: str, labels: set[str]) -> tuple[str, list[tuple[str, int]]]:
        """The line without its markers, and (label, offset) of each marker."""
        out, found, pos = "", [], 0
        for m in _GLUED.finditer(line):
            got = self._labels(m.group(1), labels)
            if not got:
                continue
            out += line[pos:m.start()]
            found += [(label, len(out)) for label in got]
            pos = m.end()
        return out + line[pos:], found

    def _labels(self, run: str, labels: set[str]) -> list[str]:
        expected = int(self.markers[-1].label) + 1 if self.markers else 1
        got = []
        for part in (p.strip() for p in run.split(",")):
            split = _as_labels(part, labels, expected + len(got))
            if not split:
                return []
            got += split
        return got

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
            notes.append(Note(label, text, loc, tuple(dict.fromkeys(u for _, u in find_urls(text)))))
        return Document(self.source, "pdftext", tuple(notes), tuple(self.markers),
                        tuple(self.paragraphs), tuple(self.headings), tuple(self.urls))


def _calls(lines: list[str], label: str) -> bool:
    """Whether a glued digit run in `lines` could be the marker `label`."""
    for line in lines:
        for m in _GLUED.finditer(line):
            for part in (p.strip() for p in m.group(1).split(",")):
                if part == label or part.startswith(label) and _as_labels(part, set(), int(label)):
                    return True
    return False


def _as_labels(part: str, labels: set[str], expected: int) -> list[str]:
    """`part` as note labels: one known/expected label, or consecutive labels run together
    ("23" = 2, 3) starting at the expected one."""
    if part in labels or part == str(expected):
        return [part]
    got, rest, n = [], part, expected
    while rest and rest.startswith(str(n)):
        got.append(str(n))
        rest, n = rest[len(str(n)):], n + 1
    return got if not rest and len(got) > 1 else []
