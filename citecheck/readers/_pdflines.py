"""Lines of a PDF page from its text spans: spans on one baseline and close together form a
line; raised small digits in a line are kept apart as possible markers or note labels."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from citecheck.readers._pdfium import Rule, Span

_RAISED_RUN = re.compile(r"^\s*(\d{1,4}(?:\s?,\s?\d{1,4})*)[\s,]*$")
_RAISED_ANY = re.compile(r"^[\d,]+ ?$")


@dataclass
class Line:
    """Spans on one baseline, left to right; `text` joins them, `raised` holds the
    (digits, start, end) of raised small digit runs in `text`."""

    spans: list[Span]
    text: str = ""
    size: float = 0.0
    raised: list[tuple[str, int, int]] = field(default_factory=list)
    column: int = 0
    lone: bool = False  # only small numbers: markers set apart from their words
    math: set[int] = field(default_factory=set)  # starts of raised runs set as exponents

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.spans)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.spans)

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.main)

    @property
    def y1(self) -> float:
        return max(s.y1 for s in self.main)

    @property
    def main(self) -> list[Span]:
        return [s for s in self.spans if s.size >= 0.85 * self.size] or self.spans


def lines(spans: tuple[Span, ...], width: float, rules: tuple[Rule, ...] = ()) -> list[Line]:
    """The page's lines, top to bottom, left to right within a band; on a two-column page
    each line has its column (0 for the left one and for lines across both, 1 for the
    right one)."""
    short = tuple(r for r in rules if r.x1 - r.x0 < 12)  # underscores drawn as rules
    spans = _distinct(spans)
    gutter = _gutter(spans, width)
    if gutter is None:
        return _lines(spans, short)
    right = tuple(s for s in spans if s.x0 >= gutter or _labels_right(s, spans, gutter))
    left = tuple(s for s in spans if s not in right)
    out = _lines(left, short)
    for line in _lines(right, short):
        line.column = 1
        out.append(line)
    return out


def _distinct(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """The spans without copies drawn over themselves (fake bold, shadows)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for s in spans:
        key = (s.text, round(s.x0), round(s.y0))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return tuple(out)


def _labels_right(span: Span, spans: tuple[Span, ...], gutter: float) -> bool:
    """Whether `span` is a lone note number left of the gutter whose text is right of it."""
    if not span.text.strip().rstrip(".").isdecimal():
        return False
    return any(
        s.x0 >= gutter and 0 <= s.x0 - span.x1 < 4 * s.size and _same_band(span, [s]) for s in spans
    )


def _gutter(spans: tuple[Span, ...], width: float) -> float | None:
    """The x of the gap between two columns: a position in the middle of the page that
    almost no text crosses, with much text on either side."""
    total = sum(len(s.text) for s in spans)
    if total < 200:
        return None
    found: list[tuple[int, int]] = []
    for x in range(int(width * 0.4), int(width * 0.6), 2):
        crossing = sum(len(s.text) for s in spans if s.x0 < x < s.x1)
        left = sum(len(s.text) for s in spans if s.x1 <= x)
        if crossing < 0.08 * total and min(left, total - left - crossing) > 0.2 * total:
            found.append((crossing, x))
    if not found:
        return None
    least = min(c for c, _ in found)
    runs: list[list[int]] = []
    for c, x in found:
        if c != least:
            continue
        if runs and x - runs[-1][-1] == 2:
            runs[-1].append(x)
        else:
            runs.append([x])
    widest = max(runs, key=len)
    return float(widest[len(widest) // 2])  # the middle of the widest gap, not its edge


def _lines(spans: tuple[Span, ...], rules: tuple[Rule, ...]) -> list[Line]:
    bands: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: -(s.y0 + s.y1) / 2):
        for band in reversed(bands[-3:]):
            if _same_band(span, band):
                band.append(span)
                break
        else:
            bands.append([span])
    out = []
    for band in bands:
        band.sort(key=lambda s: s.x0)
        out += [_line(part, rules) for part in _split_gaps(band)]
    return out


def _same_band(span: Span, band: list[Span]) -> bool:
    size = max(s.size for s in band)
    main = [s for s in band if s.size >= 0.85 * size]
    y0, y1 = min(s.y0 for s in main), max(s.y1 for s in main)
    overlap = min(y1, span.y1) - max(y0, span.y0)
    return overlap >= 0.5 * min(y1 - y0, span.y1 - span.y0) and overlap > 0


def _split_gaps(band: list[Span]) -> list[list[Span]]:
    """A band cut where a wide gap opens (two columns, table cells)."""
    parts: list[list[Span]] = [[band[0]]]
    for span in band[1:]:
        prev = parts[-1]
        right = max(s.x1 for s in prev)
        size = max(s.size for s in [*prev, span])
        lone_number = all(s.text.strip().rstrip(".").isdecimal() for s in prev)
        if span.x0 - right > max(1.2 * size, 8.0) and not (
            lone_number and span.x0 - right < 4 * size  # "1    Juniper Research ..."
        ):
            parts.append([span])
        else:
            prev.append(span)
    return parts


def _underscore(prev: Span, span: Span, base: float, rules: tuple[Rule, ...]) -> bool:
    """Whether the gap between two spans holds a short rule on the baseline: an underscore
    that the PDF draws as a line (XeTeX URLs), not a space."""
    return any(
        r.x0 >= prev.x1 - 1 and r.x1 <= span.x0 + 1 and abs(r.y - base) < 0.3 * span.size
        for r in rules
    )


def _one_number(prev: Span, span: Span, size: float, base: float) -> bool:
    """Whether two raised digit pieces close together are one number ("1" "0": 10, the
    glyph boxes of a "1" leave a gap around it)."""
    digits = prev.text.strip().isdecimal() and span.text.strip().isdecimal()
    return (
        digits
        and span.x0 - prev.x1 < 0.5 * span.size
        and abs(span.size - prev.size) < 0.1 * span.size
        and _raised(prev, size, base)
        and _raised(span, size, base)
    )


def _raised(span: Span, size: float, base: float) -> bool:
    """Whether `span` is set smaller and above the line's baseline: a superscript. A little
    smaller needs a clear rise (a 6 pt note number over 7 pt note text)."""
    rise = span.y0 - base
    return (span.size < 0.85 * size and rise > 0.1 * size) or (
        span.size < 0.92 * size and rise > 0.3 * size
    )


def _line(spans: list[Span], rules: tuple[Rule, ...] = ()) -> Line:
    weights: Counter[float] = Counter()
    for s in spans:
        weights[round(s.size, 1)] += len(s.text.strip())
    # the size of most characters; on a tie the larger ("²⁸⁶286": a label and its note)
    size = max(weights, key=lambda k: (weights[k], k))
    line = Line(spans, size=size)
    base = min(s.y0 for s in line.main)
    text, prev = "", None
    for s in spans:
        piece = s.text
        if prev is not None and text.strip() and _underscore(prev, s, base, rules):
            # the space the PDF's text holds there is the drawn underscore ("Eng_About/")
            text, piece = text.rstrip(" ") + "_", piece.lstrip(" ")
        elif (
            prev is not None
            and text
            and not text.endswith(" ")
            and not piece.startswith(" ")
            and s.x0 - prev.x1 > 0.2 * max(s.size, prev.size)
            and not _one_number(prev, s, size, base)
        ):
            text += " "
        raised = _raised(s, size, base)
        m = _RAISED_RUN.match(piece) if raised else None
        if raised and line.raised and line.raised[-1][2] == len(text) and _RAISED_ANY.match(piece):
            run, start, _ = line.raised[-1]  # "2" "," "3": one raised run
            text += piece.strip()
            line.raised[-1] = (run + piece.strip(), start, len(text))
            text += " " if piece.endswith(" ") else ""
        elif m:
            start = len(text)
            if _exponent(s, prev, spans, (size, base), text):
                line.math.add(start)
            text += m.group(1)
            line.raised.append((m.group(1), start, len(text)))
            text += " " if piece.endswith(" ") else ""
        else:
            text += piece.lstrip(" ") if text.endswith(" ") else piece
        prev = s
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    line.text = stripped.rstrip()
    line.raised = [
        (r.rstrip(","), a - lead, b - lead - (len(r) - len(r.rstrip(","))))
        for r, a, b in line.raised
        if a >= lead and r.strip(",")
    ]
    line.math = {a - lead for a in line.math if a >= lead}
    return line


def _exponent(
    span: Span, prev: Span | None, spans: list[Span], line: tuple[float, float], before: str
) -> bool:
    """Whether raised `span` reads as math: stacked over a subscript (v with 2 over r), or
    right after a letter set on its own, its own span (a variable in its math font: "by x²",
    not "word²"). `line` is the line's size and baseline, `before` its text so far."""
    size, base = line
    stacked = any(
        t is not span
        and t.size < 0.85 * size
        and t.y1 <= span.y0 + 0.2 * span.size
        and t.y0 < base + 0.1 * size
        and min(t.x1, span.x1) - max(t.x0, span.x0) > 0.3 * (span.x1 - span.x0)
        for t in spans
    )
    if stacked or prev is None:
        return stacked
    letter, before = prev.text.strip(), before.rstrip()
    alone = len(before) < 2 or not before[-2].isalnum()  # "by x", "(x", not "tests" split
    return len(letter) == 1 and letter.isalpha() and alone and span.x0 - prev.x1 < 0.15 * size
