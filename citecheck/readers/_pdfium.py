"""What the PDF reader needs from PDFium (pypdfium2), as plain values: per page the text runs
(text objects) with their boxes and font sizes, the thin rules (footnote separators), the link
annotations, and the document's creation date."""

from __future__ import annotations

import ctypes
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Ligatures (ﬁ, ﬂ, ...) read as their letters, so that a printed URL matches its link target
_LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_CLEAN = {0: None, 0x02: "-", 0x0D: None, 0x0A: None, 0xFFFE: None, **_LIGATURES}
_PDF_DATE = re.compile(rb"(?:D:)?((?:19|20)\d\d)(\d\d)?(\d\d)?")
_TALL = 1.5  # a glyph box taller than this many times its font size is cut to its line
_XMP_DATE = re.compile(rb"xmp:CreateDate(?:>|=\")\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")


@dataclass(frozen=True)
class Span:
    """One text object: its text and box (PDF points, y upwards) and its font size."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float


@dataclass(frozen=True)
class Rule:
    """A thin horizontal line or filled rectangle (a footnote separator, a table rule)."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class Link:
    """A link annotation's rectangle and URI."""

    x0: float
    y0: float
    x1: float
    y1: float
    uri: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    spans: tuple[Span, ...]
    rules: tuple[Rule, ...]
    links: tuple[Link, ...]


class PdfError(Exception):
    """The PDF cannot be opened; the message says why in a few words."""


def open_pdf(content: bytes) -> Any:
    """A pypdfium2 document, or PdfError("encrypted ..." / "damaged ...")."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfError("encrypted") from None
        raise PdfError("damaged") from None


def pages(doc: Any) -> Iterator[Page]:
    """The document's pages in order."""
    for index in range(len(doc)):
        page = doc[index]
        try:
            yield _page(page, doc.raw)
        finally:
            page.close()


def created(doc: Any, content: bytes) -> dt.date | None:
    """The creation date from the document information (CreationDate) or the XMP packet."""
    try:
        raw = (doc.get_metadata_value("CreationDate") or "").encode("ascii", "ignore")
    except Exception:  # noqa: BLE001 - a broken information dictionary means no date
        raw = b""
    for m in (_PDF_DATE.match(raw.strip()), _XMP_DATE.search(content[:4_000_000])):
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
            except ValueError:
                continue
    return None


def _page(page: Any, doc: Any) -> Page:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    spans: list[Span] = []
    rules: list[Rule] = []
    try:
        count = pdfium_c.FPDFPage_CountObjects(page.raw)
        objects = (pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(count))
        chars = pdfium_c.FPDFText_CountChars(textpage.raw)
        # One object a glyph (Skia, Google Docs): characters are cheaper to read than objects
        by_char = count * 3 > chars > 0
        _collect(objects, _IDENTITY, textpage.raw, spans, rules, not by_char)
        if by_char:
            spans = _char_spans(textpage.raw, chars, rules)
        links = tuple(_links(page.raw, doc))
    finally:
        textpage.close()
    return Page(width, height, tuple(spans), tuple(rules), links)


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _collect(
    objects: Iterator[Any],
    outer: Matrix,
    textpage: Any,
    spans: list[Span],
    rules: list[Rule],
    text: bool = True,
) -> None:
    """Text spans and thin rules of `objects`, form XObjects followed (their objects' boxes
    are in the form's space: `outer` maps them to the page)."""
    import pypdfium2.raw as pdfium_c

    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _compose(_matrix(obj), outer)
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            sub = (pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(n))
            _collect(sub, inner, textpage, spans, rules, text)
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH and not (text and kind == pdfium_c.FPDF_PAGEOBJ_TEXT):
            continue
        box = _bounds(obj, outer)
        if box is None:
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            x0, y0, x1, y1 = box
            if y1 - y0 < 2.0 and x1 - x0 > 2:  # separators, underlines, drawn underscores
                rules.append(Rule(x0, x1, (y0 + y1) / 2))
            continue
        span = _span(obj, box, outer, textpage)
        if span is not None:
            spans.append(span)


def _span(
    obj: Any, box: tuple[float, float, float, float], outer: Matrix, textpage: Any
) -> Span | None:
    import pypdfium2.raw as pdfium_c

    a, b, c, d, _, baseline = _compose(_matrix(obj), outer)
    if abs(b) > 0.1 * abs(a) or abs(c) > 0.1 * abs(d) or a <= 0 or d <= 0:
        return None  # rotated or mirrored text: margin stamps, axis labels
    size = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
        return None
    n = pdfium_c.FPDFTextObj_GetText(obj, textpage, None, 0)
    if n <= 2:
        return None
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFTextObj_GetText(obj, textpage, _ushorts(buf), n)
    text = buf.raw[: n - 2].decode("utf-16-le", "replace").translate(_CLEAN)
    if not text.strip():
        return None
    size_pt = size.value * math.sqrt(abs(a * d - b * c))
    x0, y0, x1, y1 = box
    if y1 - y0 > _TALL * size_pt:
        y0, y1 = _clamp(y0, y1, baseline, size_pt)
    return Span(text, x0, y0, x1, y1, size_pt)


def _clamp(y0: float, y1: float, baseline: float, size: float) -> tuple[float, float]:
    """A glyph box cut to one line around its baseline: some fonts (a pilcrow's) declare an
    ascent and descent that reach into the lines above and below."""
    return max(y0, baseline - 0.3 * size), min(y1, baseline + size)


def _origin_y(textpage: Any, index: int) -> float:
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
    return y.value


def _char_spans(textpage: Any, count: int, rules: list[Rule]) -> list[Span]:
    """Spans made of the text page's characters: a new span where the font size or the line
    changes or a gap opens, or after a space drawn as an underscore (a short rule)."""
    import pypdfium2.raw as pdfium_c

    buf = ctypes.create_string_buffer(2 * count + 2)
    pdfium_c.FPDFText_GetText(textpage, 0, count, _ushorts(buf))
    text = buf.raw[: 2 * count].decode("utf-16-le", "replace")
    if len(text) != count:  # characters outside the BMP: one code unit each, by index
        unicode = pdfium_c.FPDFText_GetUnicode
        text = "".join(_char(unicode(textpage, i)) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    get_box, get_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize
    short = [r for r in rules if r.x1 - r.x0 < 12]
    spans: list[Span] = []
    cur: list[Any] = []  # text, x0, y0, x1, y1, size
    for i, ch in enumerate(text):
        if ch in "\r\n":
            continue
        get_box(textpage, i, rect)
        x0, x1, y0, y1, size = rect.left, rect.right, rect.bottom, rect.top, get_size(textpage, i)
        if y1 - y0 > _TALL * size:
            y0, y1 = _clamp(y0, y1, _origin_y(textpage, i), size)
        if ch == " " and cur:
            cur[0] += " "
            continue
        if (
            cur
            and abs(size - cur[5]) < 0.3
            and abs(y0 - cur[2]) < 0.3 * size
            and -0.5 * size < x0 - cur[3] < size
            and not (cur[0].endswith(" ") and _rule_in_gap(short, cur[3], x0, cur[2], size))
        ):
            cur[0] += ch
            cur[3] = max(cur[3], x1)
            cur[4] = max(cur[4], y1)
            continue
        if cur:
            spans.append(_char_span(cur))
        cur = [ch, x0, y0, x1, y1, size]
    if cur:
        spans.append(_char_span(cur))
    return [s for s in spans if s.text.strip()]


def _rule_in_gap(rules: list[Rule], x0: float, x1: float, y: float, size: float) -> bool:
    """Whether a short rule lies in the gap from x0 to x1, near the bottom `y` of a line."""
    return any(r.x0 >= x0 - 1 and r.x1 <= x1 + 1 and abs(r.y - y) < 0.4 * size for r in rules)


def _char(code: int) -> str:
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


def _char_span(cur: list[Any]) -> Span:
    x0, y0, x1, y1 = (float(v) for v in cur[1:5])
    return Span(str(cur[0]).translate(_CLEAN), x0, y0, x1, y1, float(cur[5]))


def _ushorts(buf: Any) -> Any:
    return ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))


def _matrix(obj: Any) -> Matrix:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """inner then outer (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _bounds(obj: Any, outer: Matrix) -> tuple[float, float, float, float] | None:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
    if outer == _IDENTITY:
        return (x0, y0, x1, y1)
    A, B, C, D, E, F = outer
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
        xs.append(x * A + y * C + E)
        ys.append(x * B + y * D + F)
    return (min(xs), min(ys), max(xs), max(ys))


def _links(page: Any, doc: Any) -> Iterator[Link]:
    import pypdfium2.raw as pdfium_c

    pos = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page, ctypes.byref(pos), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        n = pdfium_c.FPDFAction_GetURIPath(doc, action, None, 0)
        if n <= 1:
            continue
        buf = ctypes.create_string_buffer(n)
        pdfium_c.FPDFAction_GetURIPath(doc, action, buf, n)
        uri = buf.raw[: n - 1].decode("latin-1").strip()
        rect = pdfium_c.FS_RECTF()
        if uri and pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            x0, x1 = sorted((rect.left, rect.right))
            y0, y1 = sorted((rect.bottom, rect.top))
            yield Link(x0, y0, x1, y1, uri)
