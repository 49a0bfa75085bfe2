"""Sources the report itself calls unverified: a hedging sentence is attributed to the marker
in the same sentence, else to the nearest marker before it in the same paragraph."""

from __future__ import annotations

import re

from citecheck.analysis import Fact
from citecheck.models import Document, Marker, Rule

# A sentence ends at . ! ? followed by space and a capital, quote or bracket; not after
# common abbreviations ("P.17", "e.g. The", "Dr. Who").
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bDr)(?<!\bMr)(?<!\bMs)"
    r"(?<!\bvs)(?<!\bNo)(?<!\bSt)[.!?][)\"'’”]*\s+(?=[A-Z\"'‘“(])"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def check(doc: Document, hedges: tuple[str, ...]) -> list[Fact]:
    if not hedges:
        return []
    cue = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in hedges) + r")\b", re.IGNORECASE)
    by_paragraph: dict[int, list[tuple[int, Marker]]] = {}  # paragraph -> (offset, marker)
    for m in doc.markers:
        if m.paragraph is not None and m.offset is not None:
            by_paragraph.setdefault(m.paragraph, []).append((m.offset, m))
    facts: list[Fact] = []
    flagged: set[tuple[str, int]] = set()
    for index, markers in by_paragraph.items():
        text = doc.paragraphs[index].text
        for start, end in sentences(text):
            hit = cue.search(text, start, end)
            if not hit:
                continue
            marker = _attributed(markers, start, end)
            if marker is None or (marker.label, index) in flagged:
                continue
            flagged.add((marker.label, index))
            sentence = text[start:end].strip()
            facts.append(
                Fact(
                    Rule.UNVERIFIED_BY_REPORT,
                    f"the report says of source {marker.label}: "
                    f"\u201c{_clip(sentence)}\u201d ({hit.group(0)!r})",
                    marker.location,
                    marker.label,
                )
            )
    return facts


def _attributed(markers: list[tuple[int, Marker]], start: int, end: int) -> Marker | None:
    inside = [m for offset, m in markers if start <= offset <= end]
    if inside:
        return inside[0]
    before = [(offset, m) for offset, m in markers if offset < start]
    return max(before, key=lambda pair: pair[0])[1] if before else None


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
