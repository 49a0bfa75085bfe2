"""PDF reader (PDFium through pypdfium2).

Each page is read on its own. Running headers and footers (lines repeated across pages, page
numbers) are set aside first. The footnote area is found from the geometry: the lowest short
rule with smaller text (or a note number) under it, else a block of smaller text at the foot
that starts with a note number; a note starts with a raised number or, where the numbers are
not raised (LibreOffice), with the next number of the sequence. Raised small digits in the
body are markers when the page's notes say so. Link annotations give the full URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from citecheck.errors import InputError
from citecheck.models import Document, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._join import join_lines
from citecheck.readers._links import merge_urls
from citecheck.readers._markers import MarkerSequence, could_call
from citecheck.readers._pdflines import Line, lines
from citecheck.readers.common import is_page_number
from citecheck.urls import find_urls, is_web_target

BINARY = True

_PLAIN_LABEL = re.compile(r"^(\d{1,4})[.)]?(?:\s+|(?=[A-Z“\"(]))(?=\S)")
_ENDNOTES = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:end\s*notes|notes|footnotes|references|sources|citations)\s*:?$",
    re.IGNORECASE,
)
_MATH = set("−+×·^=∈∑∏√αβγδεθλμπσφωΔΣΠΩ")
_LONE = re.compile(r"^([.,;:)\]”’\"]*)\s*(\d{1,4}(?:[\s,]+\d{1,4})*)\s*[.,;:)\]”’\"]*$")
_GLUED_LABEL = re.compile(r"^(\d{1,4})(?=[a-z])")
# the way back to the marker that HTML-made notes end with (pandoc's "↩︎"): not note text
_BACKLINK = re.compile("\\s*\u21a9[\ufe0e\ufe0f]?")
_SPACED = re.compile(r"[.)]?(?:\s|$)")  # after a plain note number
_MAX_SKIP = 10  # how far a plain (not raised) note number may run ahead of the last one
_BAND = 0.09  # header and footer bands: this share of the page height at top and bottom

if TYPE_CHECKING:
    from citecheck.readers._pdfium import Link, Page, Rule


def sniff(content: bytes) -> bool:
    """The PDF header (allowed anywhere in the first 1024 bytes) and end-of-file marker."""
    return b"%PDF-" in content[:1024] and b"%%EOF" in content[-2048:]


def read(content: bytes, source: str) -> Document:
    """Notes, markers, paragraphs and URLs of a PDF; locations are page numbers."""
    try:
        import pypdfium2  # noqa: F401 - core, but may be lost
    except ImportError:
        raise InputError(
            "reading PDF needs pypdfium2 (part of citecheck's install): pip install pypdfium2",
            source,
        ) from None
    from citecheck.readers import _pdfium

    try:
        doc = _pdfium.open_pdf(content)
    except _pdfium.PdfError as exc:
        if str(exc) == "encrypted":
            raise InputError(
                "this PDF is encrypted with a password; save an unprotected copy "
                "(e.g. qpdf --decrypt) and check that",
                source,
            ) from None
        raise InputError(
            "cannot read this PDF (PDFium cannot open it); is it damaged?", source
        ) from None
    try:
        pages = _read_pages(doc, source)
        published = _pdfium.created(doc, content)
    finally:
        doc.close()
    state = _State(source, _body_size(pages))
    for number, (page, page_lines) in enumerate(pages, start=1):
        state.page(page, page_lines, number)
    return state.document(published)


def _read_pages(doc: object, source: str) -> list[tuple[Page, list[Line]]]:
    import pypdfium2 as pdfium

    from citecheck.readers import _pdfium

    out: list[tuple[Page, list[Line]]] = []
    try:
        for page in _pdfium.pages(doc):
            out.append((page, lines(page.spans, page.width, page.rules)))
    except pdfium.PdfiumError:
        raise InputError(
            f"cannot read page {len(out) + 1} of this PDF; is it damaged?", source
        ) from None
    furniture = _furniture(out)
    return [(p, [ln for ln in ls if id(ln) not in furniture]) for p, ls in out]


def _furniture(pages: list[tuple[Page, list[Line]]]) -> set[int]:
    """ids of running header/footer lines: in the top or bottom band and repeated (digits
    aside) on several pages, or a page number at the very top or foot."""
    seen: Counter[str] = Counter()
    for page, page_lines in pages:
        seen.update({_key(ln) for ln in page_lines if _in_band(ln, page)})
    need = max(2, round(0.25 * len(pages))) if len(pages) >= 2 else 99
    out: set[int] = set()
    for page, page_lines in pages:
        for ln in page_lines:
            if _in_band(ln, page) and seen[_key(ln)] >= need and _key(ln) != "#":
                out.add(id(ln))
        rest = [ln for ln in page_lines if id(ln) not in out]
        if rest:
            for extreme in (max(rest, key=lambda ln: ln.y1), min(rest, key=lambda ln: ln.y0)):
                if _page_number(extreme, page):
                    out.add(id(extreme))
    return out


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.split())).lower()


def _in_band(line: Line, page: Page) -> bool:
    return line.y0 > page.height * (1 - _BAND) or line.y1 < page.height * _BAND


def _page_number(line: Line, page: Page) -> bool:
    """A page number at the very top or foot: in the header or footer band, or a little
    further in when set off from the left margin (centred or flush right)."""
    if not is_page_number(line.text):
        return False
    if _in_band(line, page):
        return True
    wide = line.y0 > page.height * (1 - 1.4 * _BAND) or line.y1 < page.height * 1.4 * _BAND
    middle = (line.x0 + line.x1) / 2
    return wide and (abs(middle - page.width / 2) < 0.1 * page.width or line.x0 > 0.6 * page.width)


def _body_size(pages: list[tuple[Page, list[Line]]]) -> float:
    """The body text's font size: the size most characters have."""
    sizes: Counter[float] = Counter()
    for _, page_lines in pages:
        for ln in page_lines:
            sizes[round(ln.size)] += len(ln.text)
    return float(sizes.most_common(1)[0][0]) if sizes else 10.0


@dataclass(eq=False)
class _Note:
    label: str
    location: Location
    lines: list[str]
    links: list[str] = field(default_factory=list)


@dataclass
class _Section:
    """An endnotes section: its notes (indexes into the notes) and its lines."""

    first: int
    end: int = -1
    lines: set[int] = field(default_factory=set)  # ids of the lines it took from the body


@dataclass
class _Body:
    """A page's body lines per column (footnote areas aside), for the second pass."""

    location: Location
    columns: list[list[Line]]
    links: tuple[Link, ...]
    footnotes: list[str]


class _State:
    """Two passes: the notes of every page (footnote areas, endnotes sections), then the
    body of every page, whose raised digits are judged with the notes in view."""

    def __init__(self, source: str, body_size: float):
        self.source = source
        self.body_size = body_size
        self.notes: list[_Note] = []
        self.bodies: list[_Body] = []
        self.sections: list[_Section] = []
        self.open: _Section | None = None  # the endnotes section being read

    @property
    def last(self) -> int:
        label = self.notes[-1].label if self.notes else "0"
        return int(label) if label.isdecimal() else 0

    def page(self, page: Page, page_lines: list[Line], number: int) -> None:
        """First pass: the page's notes."""
        loc = Location(self.source, number, "page")
        first_new = len(self.notes)
        columns = []
        for column in _columns(page_lines):
            start = self._note_area(column, page.rules)
            columns.append(column[:start])
            self._notes(column[start:], loc, page.links)
        footnotes = [n.label for n in self.notes[first_new:]]
        for column in columns:
            for line in column:
                found = None if line.raised else self._lone_numbers(line)
                if found:  # markers set apart from their words, or whose words are blacked out
                    line.raised, line.lone = [found], True
            self._endnotes(column, loc, page.links)
        self.bodies.append(_Body(loc, columns, page.links, footnotes))

    def _endnotes(self, body: list[Line], loc: Location, links: tuple[Link, ...]) -> None:
        """Reads the numbered lines after an "Endnotes" (or "Notes", "References") heading,
        up to the next larger heading, into an endnotes section."""
        start = 0
        if self.open is None:
            if self.notes and not self.sections:
                return  # a document with footnotes: "Notes" is a heading like others
            start = self._endnotes_heading(body)
            if not start:
                return
            self.open = _Section(len(self.notes), lines={id(body[start - 1])})
        left = min((ln.x0 for ln in body[start:]), default=0.0)
        first = next((i for i in range(start, len(body)) if self._label(body[i], left)), None)
        if first is None:
            return
        end = first
        while end < len(body) and not (
            body[end].size > 1.15 * self.body_size and len(self.notes) > self.open.first
        ):
            end += 1
        self._notes(body[first:end], loc, links)
        self.open.lines.update(id(ln) for ln in body[first:end])
        if end < len(body):  # a larger heading ends the section; another may follow
            self._close()
            self._endnotes(body[end:], loc, links)

    def _endnotes_heading(self, body: list[Line]) -> int:
        """1 + the index of an endnotes heading followed by a numbered line, or 0."""
        for i, line in enumerate(body):
            if not _ENDNOTES.match(line.text) or line.size < 0.95 * self.body_size:
                continue
            after = body[i + 1 : i + 3]
            left = min((ln.x0 for ln in after), default=0.0)
            if any(self._label(ln, left) for ln in after):
                return i + 1
        return 0

    def _close(self) -> None:
        if self.open is not None:
            self.open.end = len(self.notes)
            self.sections.append(self.open)
            self.open = None

    def document(self, published: object) -> Document:
        """Second pass (the bodies), then the Document. An endnotes section counts when most
        of its labels are called by markers that no footnote answers; else it is a numbered
        list (references, say) and is read again as body text."""
        import datetime as dt

        self._close()
        body = _BodyPass(self.bodies, self.notes, self.sections)
        kept = [sec for sec in self.sections if body.calls(sec)]
        if len(kept) < len(self.sections):
            body = _BodyPass(self.bodies, self.notes, kept)
        dropped = {i for sec in self.sections if sec not in kept for i in range(sec.first, sec.end)}
        notes = []
        for i, note in enumerate(self.notes):
            if i in dropped:
                continue
            text = join_lines([_BACKLINK.sub("", line) for line in note.lines])
            urls = merge_urls([u for _, u in find_urls(text)], note.links)
            notes.append(Note(note.label, text, note.location, urls))
        return Document(
            self.source,
            "pdf",
            tuple(notes),
            tuple(body.markers),
            tuple(body.paragraphs),
            body_urls=tuple(body.body_urls),
            published=published if isinstance(published, dt.date) else None,
        )

    def _note_area(self, column: list[Line], rules: tuple[Rule, ...]) -> int:
        """Index of the column's first footnote line (len(column): none)."""
        if not column:
            return 0
        left = min(ln.x0 for ln in column)
        width = max(ln.x1 for ln in column) - left
        # the highest: rules under the separator are underlines or tables inside notes
        for rule in sorted(rules, key=lambda r: -r.y):
            if not 25 < rule.x1 - rule.x0 < 0.55 * width or abs(rule.x0 - left) > 20:
                continue
            if any(_underlines(rule, ln) for ln in column):
                continue  # a link's underline, not a separator
            start = next((i for i, ln in enumerate(column) if ln.y1 <= rule.y + 1), None)
            if start is None or rule.y - column[start].y1 > 3 * column[start].size:
                continue  # footnote text sits right under its separator
            if self._looks_like_notes(column[start:]):
                return start
        # no separator: the block of smaller text at the foot that starts with a note number
        start = len(column)
        while start > 0 and column[start - 1].size < 0.92 * self.body_size:
            start -= 1
        for i in range(start, len(column)):
            label = self._label(column[i], left)
            if label is None:
                continue
            # a plain number (code line numbers, a list) starts notes only when the page
            # calls it with a raised marker
            raised = column[i].raised and column[i].raised[0][1] == 0
            if raised or any(
                could_call(run, label[0]) for ln in column[:start] for run, _, _ in ln.raised
            ):
                return i
            break
        return len(column)

    def _looks_like_notes(self, area: list[Line]) -> bool:
        if any(ln.size > 1.05 * self.body_size for ln in area):
            return False
        small = sum(len(ln.text) for ln in area if ln.size < 0.95 * self.body_size)
        if small * 2 > sum(len(ln.text) for ln in area):
            return True
        # the same size as the body (LibreOffice): a note number right under the rule
        left = min(ln.x0 for ln in area)
        if self._label(area[0], left) is not None:
            return True
        # or the end of the last page's unfinished note, then note numbers
        unfinished = bool(self.notes) and not self.notes[-1].lines[-1].rstrip().endswith(
            (".", "!", "?", ")", "”", '"')
        )
        return unfinished and any(self._label(ln, left) for ln in area[1:])

    def _label(self, line: Line, left: float) -> tuple[str, str] | None:
        """(label, text) when `line` starts a note: a raised number first, or a plain number
        at the area's left edge that plausibly continues the notes' numbering."""
        if line.raised and line.raised[0][1] == 0 and "," not in line.raised[0][0]:
            run, _, end = line.raised[0]
            return run, line.text[end:].strip()
        if self._lone_number(line):  # a note whose text is blacked out (a redaction)
            n = int(line.text)
            if self.last < n <= self.last + _MAX_SKIP or n == 1:
                return line.text, ""
        m = _PLAIN_LABEL.match(line.text)
        glued = _GLUED_LABEL.match(line.text)
        if glued and not m and int(glued.group(1)) == self.last + 1:
            m = glued  # "6ommer is ...": the next number, glued to a word
        if not m or line.x0 > left + 3 * line.size:
            return None
        n = int(m.group(1))
        if not _SPACED.match(line.text, m.end(1)) and n != self.last + 1:
            return None  # "1D) against ...": glued to its word, only the next number
        if n == 1 or self.last < n <= self.last + _MAX_SKIP:
            return m.group(1), line.text[m.end() :].strip()
        return None

    def _lone_number(self, line: Line) -> bool:
        """A line that is only a number in the small type of note numbers."""
        return line.text.isdecimal() and len(line.text) <= 4 and line.size < 0.8 * self.body_size

    def _lone_numbers(self, line: Line) -> tuple[str, int, int] | None:
        """The numbers of a line made only of small numbers ("2 3", "4,5,6", ".193": the
        stop of a blacked-out sentence first, ".228)" its closing bracket after), as a run,
        and where they start and end."""
        m = _LONE.match(line.text)
        if not m or line.size >= 0.8 * self.body_size:
            return None
        return ",".join(re.split(r"[\s,]+", m.group(2).strip(" ,"))), m.start(2), m.end(2)

    def _notes(self, area: list[Line], loc: Location, links: tuple[Link, ...]) -> None:
        if not area:
            return
        left = min(ln.x0 for ln in area)
        boxes: dict[_Note, list[tuple[Line, float, float]]] = {}  # this page's parts of each
        for line in area:
            start = self._label(line, left)
            first = (start[0], start[1]) if start else (None, line.text)
            for label, text, x0, x1 in self._side_by_side(line, first):
                if label is not None:
                    self.notes.append(_Note(label, loc, [text]))
                elif self.notes:  # a wrapped line, or a note carried over from the last page
                    self.notes[-1].lines.append(text)
                else:
                    continue
                boxes.setdefault(self.notes[-1], []).append((line, x0, x1))
        for note, mine in boxes.items():
            for uri in _in_order(links, mine):
                if uri not in note.links:
                    note.links.append(uri)

    def _side_by_side(
        self, line: Line, first: tuple[str | None, str]
    ) -> list[tuple[str | None, str, float, float]]:
        """The line cut where the next note starts on it (short notes set side by side, or a
        note starting after the end of the last): a raised run that is the next label, after
        a space. Each part is (label or None, text, x0, x1)."""
        label, text = first
        current = int(label) if label and label.isdecimal() else self.last
        parts: list[tuple[str | None, str, float, float]] = []
        cut, x = 0, line.x0
        head = len(line.text) - len(text) if label is not None else 0
        for run, a, b in line.raised:
            if a <= head or run != str(current + 1) or line.text[a - 1] != " ":
                continue
            if line.text[:a].rstrip()[-1:].isdigit():
                continue  # "10 ⁶": a power, not a note
            at = _raised_x(line, run, x)
            if at is None:
                continue
            parts.append((label, line.text[max(cut, head) : a].strip(), x, at))
            label, cut, x, current = run, b, at, current + 1
        parts.append((label, line.text[max(cut, head) :].strip(), x, line.x1))
        return parts


class _BodyPass:
    """Paragraphs, markers and body URLs of every page, with these notes in view."""

    def __init__(self, bodies: list[_Body], notes: list[_Note], sections: list[_Section]):
        self.markers: list[Marker] = []
        self.paragraphs: list[Paragraph] = []
        self.body_urls: list[UrlRef] = []
        self.here: set[str] = set()
        self.notes = notes
        self.footnotes = {label for body in bodies for label in body.footnotes}
        taken = set().union(*(sec.lines for sec in sections))
        endnotes = [notes[i].label for sec in sections for i in range(sec.first, sec.end)]
        # a footnote sits at the foot of its marker's page or next to it (the next page when
        # it did not fit, the last when the marker is in a float): the next number of the
        # sequence is no marker when its note is further away ("Isager¹", an affiliation on
        # page 1, note 1 on page 11)
        self.sequence = MarkerSequence(on_page_only=bool(self.footnotes) and not endnotes)
        for i, body in enumerate(bodies):
            # endnotes are "on every page": those a little ahead of the sequence
            ahead = [e for e in endnotes if e.isdecimal() and 0 < int(e) - self.sequence.last <= 5]
            near = [n for b in bodies[max(0, i - 1) : i + 2] if b is not body for n in b.footnotes]
            self.sequence.page(body.footnotes + ahead, near)
            self.here = set(body.footnotes)
            for column in body.columns:
                for para in _paragraphs([ln for ln in column if id(ln) not in taken]):
                    self._paragraph(para, body.location, body.links)

    def calls(self, section: _Section) -> bool:
        """Whether markers that no footnote answers call most of the section's labels."""
        labels = [self.notes[i].label for i in range(section.first, section.end)]
        called = {m.label for m in self.markers} - self.footnotes
        return bool(labels) and sum(label in called for label in labels) * 2 >= len(labels)

    def _calls(self, run: str, before: str, lone: bool = False, math: bool = False) -> list[str]:
        """The labels a raised run calls: none after a math symbol or variable (an exponent,
        an index), only a note on the page after a digit or set as an exponent ("10⁶",
        "v²ᵣ" are powers unless note 6 or 2 is here)."""
        prev = before[-1:]
        if prev and (prev in _MATH or "\U0001d400" <= prev <= "\U0001d7ff"):
            return []
        if lone and not set(run.split(",")) <= self.here:
            return []  # numbers on their own line call only notes at this page's foot
        return self.sequence.labels(run, strict=prev.isdigit() or lone or math)

    def _paragraph(self, para: list[Line], loc: Location, links: tuple[Link, ...]) -> None:
        index, text = len(self.paragraphs), ""
        for line in para:
            base = len(text) + (1 if text else 0)
            calls = [
                (start, end, self._calls(run, line.text[:start], line.lone, start in line.math))
                for run, start, end in line.raised
            ]
            calls = [c for c in calls if c[2]]  # raised digits that call no note stay text
            line_text, cuts = _cut(line.text, [(start, end) for start, end, _ in calls])
            for (_, _, labels), at in zip(calls, cuts, strict=True):
                self.markers += [Marker(label, loc, index, base + at) for label in labels]
            text = f"{text} {line_text}" if text else line_text
        if text.strip():
            self.paragraphs.append(Paragraph(text, loc))
            linked = _in_order(links, [(ln, ln.x0, ln.x1) for ln in para])
            for url in merge_urls([u for _, u in find_urls(text)], linked):
                self.body_urls.append(UrlRef(url, loc))


def _columns(page_lines: list[Line]) -> list[list[Line]]:
    """The page's lines in reading order, one list per column."""
    ordered = sorted(page_lines, key=lambda ln: (-ln.y1, ln.x0))
    columns = [[ln for ln in ordered if ln.column == c] for c in (0, 1)]
    return [c for c in columns if c]


def _paragraphs(body: list[Line]) -> list[list[Line]]:
    """Consecutive lines with no wider gap than a line's height and no change of size."""
    paras: list[list[Line]] = []
    for line in body:
        prev = paras[-1][-1] if paras else None
        height = line.y1 - line.y0
        if (
            prev is not None
            and 0 <= prev.y0 - line.y1 < 0.9 * height
            and abs(prev.size - line.size) < 0.15 * line.size
        ):
            paras[-1].append(line)
        else:
            paras.append([line])
    return paras


def _underlines(rule: Rule, line: Line) -> bool:
    """Whether `rule` runs just under (or through) the text of `line`."""
    return -0.5 * line.size < line.y0 - rule.y < 0.3 * line.size and (
        rule.x0 < line.x1 and rule.x1 > line.x0
    )


def _overlaps(line: Line, link: Link, x0: float | None = None, x1: float | None = None) -> bool:
    """Whether a link rectangle covers part of `line` (between x0 and x1 if given)."""
    mid = (line.y0 + line.y1) / 2
    left = line.x0 if x0 is None else x0
    right = line.x1 if x1 is None else x1
    return link.y0 - 2 <= mid <= link.y1 + 2 and link.x0 < right and link.x1 > left


def _in_order(links: tuple[Link, ...], parts: list[tuple[Line, float, float]]) -> list[str]:
    """The web URIs of the links over these parts of lines, in reading order (annotations
    are stored in any order); relative and mailto: targets are no web citations."""
    hits = []
    for link in links:
        if not is_web_target(link.uri):
            continue
        at = next((i for i, (ln, x0, x1) in enumerate(parts) if _overlaps(ln, link, x0, x1)), None)
        if at is not None:
            hits.append((at, link.x0, link.uri))
    return [uri for _, _, uri in sorted(hits)]


def _raised_x(line: Line, run: str, after: float) -> float | None:
    """The left edge of the small raised span holding `run` right of `after`."""
    return next(
        (
            s.x0
            for s in line.spans
            if s.x0 > after and s.size < 0.92 * line.size and s.text.strip() == run
        ),
        None,
    )


def _cut(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """`text` without the `spans`, and where each span was in the result."""
    out, pos, at = "", 0, []
    for start, end in spans:
        out += text[pos:start].rstrip(" ")  # "registry. ¹" calls from "registry."
        at.append(len(out))
        pos = end
    return out + text[pos:], at
