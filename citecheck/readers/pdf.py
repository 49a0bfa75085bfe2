"""PDF reader (pdfminer.six): raised small digits are markers, the block under the footnote
separator holds the notes, link annotations give the full URLs."""

from __future__ import annotations

from collections import Counter
from io import BytesIO

from citecheck.errors import InputError
from citecheck.models import Document, Location, Marker, Note, Paragraph
from citecheck.readers._join import join_lines
from citecheck.readers.pdftext import _as_labels
from citecheck.urls import find_urls, normalize

BINARY = True


def read(content: bytes, source: str) -> Document:
    """Notes, markers, paragraphs and note URLs of a PDF; locations are page numbers."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
    except ImportError:
        raise InputError("reading PDF needs pdfminer.six: pip install 'citecheck[pdf]'",
                         source) from None
    rm = PDFResourceManager()
    device = PDFPageAggregator(rm, laparams=LAParams())
    interp = PDFPageInterpreter(rm, device)
    state = _State(source)
    try:
        for number, page in enumerate(PDFPage.get_pages(BytesIO(content)), start=1):
            interp.process_page(page)
            state.page(device.get_result(), _links(page), number)
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(f"cannot read this PDF ({type(exc).__name__}); is it damaged?",
                         source) from None
    return state.document()


def _links(page) -> list[tuple[float, float, str]]:
    """(y bottom, y top, URI) of the page's link annotations."""
    from pdfminer.pdftypes import resolve1

    out = []
    for annot in resolve1(page.annots) or []:
        a = resolve1(annot)
        action = resolve1(a.get("A")) if isinstance(a, dict) else None
        uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
        if uri:
            rect = [float(resolve1(v)) for v in resolve1(a.get("Rect"))]
            uri = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
            out.append((min(rect[1], rect[3]), max(rect[1], rect[3]), uri))
    return out


class _State:
    def __init__(self, source: str):
        self.source = source
        self.notes: list[list] = []  # [label, lines, location, annotation urls]
        self.markers: list[Marker] = []
        self.paragraphs: list[Paragraph] = []

    def page(self, layout, links, number: int) -> None:
        from pdfminer.layout import LTRect, LTTextContainer, LTTextLine

        loc = Location(self.source, number, "page")
        seps = [o.y1 for o in layout if isinstance(o, LTRect) and o.height < 2
                and o.width < layout.width / 2]
        sep = max(seps) if seps else -1
        lines = sorted((ln for box in layout if isinstance(box, LTTextContainer)
                        for ln in box if isinstance(ln, LTTextLine)), key=lambda ln: -ln.y1)
        note_lines = []
        for box in layout:
            if isinstance(box, LTTextContainer) and box.y1 > sep:
                self._paragraph(box, loc)
        for line in lines:
            if line.y1 <= sep:
                note_lines.append(line)
                self._note_line(line, loc)
        for lo, hi, uri in links:
            for line, note in self._line_notes:
                if lo - 2 <= (line.y0 + line.y1) / 2 <= hi + 2 and uri not in note[3]:
                    note[3].append(uri)

    _line_notes: list = []

    def _note_line(self, line, loc: Location) -> None:
        raised, rest = _split_raised(line)
        if raised and raised[0][1] == 0 and raised[0][0].isdigit():
            self.notes.append([raised[0][0], [rest], loc, []])
        elif self.notes:
            self.notes[-1][1].append(_text(line))
        else:
            return
        self._line_notes = [*self._line_notes, (line, self.notes[-1])]

    def _paragraph(self, box, loc: Location) -> None:
        index, text = len(self.paragraphs), ""
        for line in box:
            raised, rest = _split_raised(line)
            base = len(text) + (1 if text else 0)
            for run, offset in raised:
                expected = int(self.markers[-1].label) + 1 if self.markers else 1
                for part in run.split(","):
                    for label in _as_labels(part.strip(), set(), expected) or [part.strip()]:
                        if label.isdigit():
                            self.markers.append(Marker(label, loc, index, base + offset))
                            expected = int(label) + 1
            text = f"{text} {rest}".strip() if text else rest
        if text:
            self.paragraphs.append(Paragraph(text, loc))

    def document(self) -> Document:
        notes = []
        for label, lines, loc, annots in self.notes:
            text = join_lines(lines)
            urls = [u for _, u in find_urls(text)]
            # a printed URL shortened to a prefix of its annotation's target yields to it
            urls = [u for u in urls if not any(a != u and normalize(a).startswith(normalize(u))
                                               for a in annots)]
            notes.append(Note(label, text, loc, tuple(dict.fromkeys(urls + annots))))
        return Document(self.source, "pdf", tuple(notes), tuple(self.markers),
                        tuple(self.paragraphs))


def _text(line) -> str:
    return line.get_text().strip()


def _split_raised(line) -> tuple[list[tuple[str, int]], str]:
    """Runs of raised small digits/commas in `line` with their offsets, and the rest."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return [], _text(line)
    size = Counter(round(c.size) for c in chars).most_common(1)[0][0]
    base = min(c.y0 for c in chars if round(c.size) == size)
    runs, out, current = [], "", None
    for obj in line:
        t = obj.get_text()
        raised = (isinstance(obj, LTChar) and obj.size < 0.8 * size and obj.y0 > base + 1
                  and (t.isdigit() or t == ","))
        if raised:
            if current is None:
                current = ["", len(out.strip()) if not out.strip() else len(out)]
                runs.append(current)
            current[0] += t
        else:
            current = None
            out += t
    lead = len(out) - len(out.lstrip())
    return [(r, max(0, o - lead)) for r, o in runs], out.strip()
