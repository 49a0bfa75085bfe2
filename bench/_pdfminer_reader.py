"""The PDF reader citecheck had before 0.2 (pdfminer.six), kept only so that bench_pdf.py can
compare the PDFium reader with it in the same run. Not part of the package.

PDF reader (pdfminer.six): the block under the footnote separator holds the notes (a raised
number starts each; a note may go on under the next page's separator), raised small digits in
the body are markers when the page's notes say so, link annotations give the full URLs, and a
page number in the footer is neither."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from citecheck.errors import InputError
from citecheck.models import Document, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._join import join_lines
from citecheck.readers._links import merge_urls
from citecheck.readers._markers import MarkerSequence
from citecheck.readers.common import is_page_number
from citecheck.urls import find_urls

BINARY = True


def sniff(content: bytes) -> bool:
    """The PDF header (allowed anywhere in the first 1024 bytes) and end-of-file marker."""
    return b"%PDF-" in content[:1024] and b"%%EOF" in content[-2048:]


def read(content: bytes, source: str) -> Document:
    """Notes, markers, paragraphs and note URLs of a PDF; locations are page numbers."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
    except ImportError:
        raise InputError(
            "reading PDF needs pdfminer.six: pip install 'citecheck[pdf]'", source
        ) from None
    rm = PDFResourceManager()
    device = PDFPageAggregator(rm, laparams=LAParams())
    interp = PDFPageInterpreter(rm, device)
    state = _State(source)
    pages = PDFPage.get_pages(BytesIO(content))
    number = 0
    while True:
        try:
            page = next(pages, None)
            if page is None:
                break
            interp.process_page(page)
            layout, links = device.get_result(), _links(page)
        except Exception as exc:  # pdfminer raises many kinds on a damaged file
            raise InputError(
                f"cannot read this PDF ({type(exc).__name__}); is it damaged?", source
            ) from None
        number += 1
        state.page(layout, links, number)
    return state.document()


def _links(page) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, URI) of the page's link annotations, top to bottom."""
    from pdfminer.pdftypes import resolve1

    out = []
    for annot in resolve1(page.annots) or []:
        a = resolve1(annot)
        action = resolve1(a.get("A")) if isinstance(a, dict) else None
        uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
        if uri:
            x0, y0, x1, y1 = (float(resolve1(v)) for v in resolve1(a.get("Rect")))
            uri = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
            out.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), uri))
    return sorted(out, key=lambda link: (-link[3], link[0]))  # reading order


@dataclass
class _Note:
    label: str
    location: Location
    lines: list[str]
    links: list[str] = field(default_factory=list)


class _State:
    def __init__(self, source: str):
        self.source = source
        self.notes: list[_Note] = []
        self.markers: list[Marker] = []
        self.paragraphs: list[Paragraph] = []
        self.body_urls: list[UrlRef] = []
        self.sequence = MarkerSequence()

    def page(self, layout, links, number: int) -> None:
        """Notes first (under the footnote separator), so that the body's raised digits are
        judged with the page's notes in view."""
        from pdfminer.layout import LTTextContainer, LTTextLine

        loc = Location(self.source, number, "page")
        sep = _separator(layout)
        boxes = [
            [ln for ln in box if isinstance(ln, LTTextLine)]
            for box in layout
            if isinstance(box, LTTextContainer)
        ]
        footer = _page_number_line(layout, boxes)
        boxes = [[ln for ln in box if ln is not footer] for box in boxes]
        below = sorted((ln for box in boxes for ln in box if ln.y1 <= sep), key=lambda ln: -ln.y1)
        first_new = len(self.notes)
        owners = [(line, self._note_line(line, loc)) for line in below]
        self.sequence.page(note.label for note in self.notes[first_new:])
        for box in boxes:
            self._paragraph([ln for ln in box if ln.y1 > sep], loc, links)
        for *rect, uri in links:
            for line, note in owners:
                if note and _overlaps(line, rect) and uri not in note.links:
                    note.links.append(uri)

    def _note_line(self, line, loc: Location) -> _Note | None:
        """Adds a line of the notes area to a new note (it starts with a raised number) or
        to the last one (a note carried over from the previous page starts the area)."""
        text, runs = _split_raised(line)
        if runs and runs[0][1] == 0:
            label, _, end = runs[0]
            self.notes.append(_Note(label, loc, [text[end:].strip()]))
        elif self.notes:
            self.notes[-1].lines.append(text)
        else:
            return None
        return self.notes[-1]

    def _paragraph(self, lines, loc: Location, links) -> None:
        index, text = len(self.paragraphs), ""
        for line in lines:
            line_text, runs = _split_raised(line)
            base = len(text) + (1 if text else 0)
            calls = [(run, start, end, self.sequence.labels(run)) for run, start, end in runs]
            calls = [c for c in calls if c[3]]  # raised digits that call no note stay text
            line_text, cuts = _cut(line_text, [(start, end) for _, start, end, _ in calls])
            for (*_, labels), at in zip(calls, cuts, strict=True):
                self.markers += [Marker(label, loc, index, base + at) for label in labels]
            text = f"{text} {line_text}" if text else line_text
        if text:
            self.paragraphs.append(Paragraph(text, loc))
            linked = [uri for *rect, uri in links if any(_overlaps(ln, rect) for ln in lines)]
            for url in merge_urls([u for _, u in find_urls(text)], linked):
                self.body_urls.append(UrlRef(url, loc))

    def document(self) -> Document:
        notes = []
        for note in self.notes:
            text = join_lines(note.lines)
            urls = merge_urls([u for _, u in find_urls(text)], note.links)
            notes.append(Note(note.label, text, note.location, urls))
        return Document(
            self.source,
            "pdf",
            tuple(notes),
            tuple(self.markers),
            tuple(self.paragraphs),
            body_urls=tuple(self.body_urls),
        )


def _separator(layout) -> float:
    """Height of the footnote separator: the highest short thin rule on the page (-1: none)."""
    from pdfminer.layout import LTCurve

    rules = [
        o.y1
        for o in layout
        if isinstance(o, LTCurve) and o.height < 2 and 0 < o.width < layout.width / 2
    ]
    return max(rules, default=-1)


def _page_number_line(layout, boxes):
    """The page's lowest line when it is a page number printed off the left margin (a
    footer), so that it is neither body text nor the end of the last note."""
    lines = [ln for box in boxes for ln in box]
    if not lines:
        return None
    lowest = min(lines, key=lambda ln: ln.y0)
    off_margin = lowest.x0 > min(ln.x0 for ln in lines) + layout.width * 0.2
    return lowest if off_margin and is_page_number(lowest.get_text()) else None


def _overlaps(line, rect) -> bool:
    """Whether a link rectangle (x0, y0, x1, y1) covers part of `line`."""
    x0, y0, x1, y1 = rect
    mid = (line.y0 + line.y1) / 2
    return y0 - 2 <= mid <= y1 + 2 and x0 < line.x1 and x1 > line.x0


def _split_raised(line) -> tuple[str, list[tuple[str, int, int]]]:
    """The text of `line`, and its runs of raised small digits/commas as (run, start, end)."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    text = line.get_text()
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not chars:
        return text, []
    size = Counter(round(c.size) for c in chars).most_common(1)[0][0]
    base = min(c.y0 for c in chars if round(c.size) == size)
    runs: list[list] = []
    pos, open_run = -lead, False
    for obj in line:
        t = obj.get_text()
        raised = (
            isinstance(obj, LTChar)
            and obj.size < 0.8 * size
            and obj.y0 > base + 1
            and (t.isdecimal() or (t == "," and open_run))
        )
        if raised and open_run:
            runs[-1][0] += t
            runs[-1][2] = pos + len(t)
        elif raised:
            runs.append([t, pos, pos + len(t)])
        open_run = raised
        pos += len(t)
    return text, [
        (r.rstrip(","), s, e - (len(r) - len(r.rstrip(","))))
        for r, s, e in runs
        if s >= 0 and e <= len(text)
    ]


def _cut(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """`text` without the `spans`, and where each span was in the result."""
    out, pos, at = "", 0, []
    for start, end in spans:
        out += text[pos:start]
        at.append(len(out))
        pos = end
    return out + text[pos:], at
