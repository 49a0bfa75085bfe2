"""Hand-built PDFs for the PDF reader's geometry tests: text drawn at exact positions and
sizes, thin rules, link annotations. Courier (a standard font: every glyph 0.6 em wide) so a
test knows where each word ends; a Type 3 font whose one glyph (a pilcrow) declares a box far
taller than its line, as some real fonts do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ADVANCE = 0.6  # Courier: every glyph's width, in ems


@dataclass(frozen=True)
class Text:
    """`text` with its baseline starting at (x, y), in `size` pt; font "F1" Courier, "F2"
    Courier-Oblique, "F3" a Type 3 font of two glyphs: a tall pilcrow "¶" and the "↩" that
    ends notes of HTML pages."""

    x: float
    y: float
    size: float
    text: str
    font: str = "F1"

    @property
    def x1(self) -> float:
        return self.x + ADVANCE * self.size * len(self.text)


@dataclass(frozen=True)
class Rule:
    """A stroked horizontal line from x0 to x1 at height y."""

    x0: float
    x1: float
    y: float
    width: float = 0.4


@dataclass(frozen=True)
class Link:
    """A URI link annotation over a rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float
    uri: str


Item = Text | Rule | Link

_TALL_GLYPH = b"600 0 0 -900 600 1500 d1\n50 0 500 700 re f"
_ARROW_GLYPH = b"600 0 0 0 600 700 d1\n50 300 500 100 re f"
_TYPE3_CODES = {"\u00b6": b"\xb6", "\u21a9": b"\xb7"}


def build(pages: Sequence[Sequence[Item]], per_glyph: bool = False) -> bytes:
    """A PDF of US Letter pages drawing `pages`' items; with `per_glyph` every character is
    its own text object (as Skia and Google Docs write them)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    glyph = add(_stream(_TALL_GLYPH))
    arrow = add(_stream(_ARROW_GLYPH))
    unicode = add(_stream(_TOUNICODE))
    fonts = (
        b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >> "
        b"/F2 << /Type /Font /Subtype /Type1 /BaseFont /Courier-Oblique "
        b"/Encoding /WinAnsiEncoding >> "
        b"/F3 << /Type /Font /Subtype /Type3 /FontBBox [0 -900 600 1500] "
        b"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /pilcrow %d 0 R /arrow %d 0 R >> "
        b"/Encoding << /Type /Encoding /Differences [182 /pilcrow /arrow] >> "
        b"/FirstChar 182 /LastChar 183 /Widths [600 600] /ToUnicode %d 0 R /Resources << >> >>"
    ) % (glyph, arrow, unicode)
    kids = []
    for items in pages:
        content = add(_stream(_content(items, per_glyph)))
        annots = [add(_annotation(k)) for k in items if isinstance(k, Link)]
        refs = b" ".join(b"%d 0 R" % a for a in annots)
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << %s >> >> /Contents %d 0 R /Annots [%s] >>"
                % (tree, fonts, content, refs)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return _file(objects)


def _content(items: Sequence[Item], per_glyph: bool) -> bytes:
    out = []
    for item in items:
        if isinstance(item, Rule):
            out.append(
                b"%.2f w %.2f %.2f m %.2f %.2f l S" % (item.width, item.x0, item.y, item.x1, item.y)
            )
        elif isinstance(item, Text):
            step = ADVANCE * item.size
            parts = (
                [(item.x + i * step, c) for i, c in enumerate(item.text)]
                if per_glyph
                else [(item.x, item.text)]
            )
            for x, text in parts:
                out.append(
                    b"BT /%s %.2f Tf %.2f %.2f Td (%s) Tj ET"
                    % (item.font.encode(), item.size, x, item.y, _literal(text, item.font))
                )
    return b"\n".join(out)


def _literal(text: str, font: str) -> bytes:
    if font == "F3":
        return b"".join(_TYPE3_CODES[c] for c in text)
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _annotation(link: Link) -> bytes:
    uri = link.uri.encode("ascii").replace(b"(", b"\\(").replace(b")", b"\\)")
    return (
        b"<< /Type /Annot /Subtype /Link /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] "
        b"/A << /S /URI /URI (%s) >> >>" % (link.x0, link.y0, link.x1, link.y1, uri)
    )


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


_TOUNICODE = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
    b"/CMapName /pilcrow def /CodeSpaceRange 1 begincodespacerange <00> <FF> endcodespacerange "
    b"2 beginbfchar <B6> <00B6> <B7> <21A9> endbfchar endcmap "
    b"CMapName currentdict /CMap defineresource pop end end"
)


def _file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
