"""Cross-references to sections and notes that do not exist ("section 2.3.2", "see note 12",
"references 22 and 23"). Sections come from the report's headings and table of contents."""

from __future__ import annotations

import re

from citecheck.analysis import Fact
from citecheck.analysis.cues import Cued
from citecheck.models import Document, Location, Rule

_NUM_LIST = r"(\d+(?:\.\d+)*(?:\s*(?:,|and|&|or|to|-|–)\s*\d+(?:\.\d+)*)*)"
_SECTION_REF = Cued(r"\b(?:sections?|chapters?|§§?)\s*" + _NUM_LIST, ("section", "chapter", "§"))
_NOTE_REF = Cued(r"\b(?:(?:foot|end)?notes?|references?|refs?\.)\s+" + _NUM_LIST, ("note", "ref"))
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_RANGE = re.compile(r"(\d+)\s*(?:to|-|–)\s*(\d+)$")


def check(doc: Document) -> list[Fact]:
    sections = {h.number.rstrip(".") for h in doc.headings}
    notes = {n.label for n in doc.notes}
    texts: list[tuple[str, Location, str | None]] = [
        (n.text, n.location, n.label) for n in doc.notes
    ]
    texts += [(p.text, p.location, None) for p in doc.paragraphs]
    facts = []
    for text, location, label in texts:
        if sections:
            facts += _missing(text, location, label, _SECTION_REF, sections, "section")
        facts += _missing(text, location, label, _NOTE_REF, notes, "note")
    return facts


def _missing(
    text: str,
    location: Location,
    label: str | None,
    pattern: Cued,
    known: set[str],
    what: str,
) -> list[Fact]:
    facts = []
    for m in pattern.finditer(text):
        for target in _targets(m.group(1)):
            if target in known or len(target) > 6:
                continue
            where = f"note {label}" if label else "the text"
            facts.append(
                Fact(
                    Rule.BROKEN_CROSS_REFERENCE,
                    f"{where} refers to {what} {target}, which does not exist "
                    f"({m.group(0).strip()!r})",
                    location,
                    label,
                )
            )
    return facts


def _targets(numbers: str) -> list[str]:
    """ "22 and 23" -> ["22", "23"]; "26-30" -> ["26", ..., "30"]."""
    out = []
    for part in re.split(r"\s*(?:,|and|&|or)\s*", numbers):
        if (r := _RANGE.match(part)) and int(r.group(2)) - int(r.group(1)) < 50:
            out += [str(i) for i in range(int(r.group(1)), int(r.group(2)) + 1)]
        else:
            out += _NUMBER.findall(part)
    return out
