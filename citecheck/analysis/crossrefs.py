"""Cross-references to sections and notes that do not exist ("section 2.3.2", "see note 12",
"references 22 and 23"). Sections come from the report's headings and table of contents."""

from __future__ import annotations

import re
from functools import partial

from citecheck.analysis import Fact
from citecheck.analysis.cues import Cued
from citecheck.analysis.memo import Memo, note_key
from citecheck.models import Document, Location, Rule

_NUM_LIST = r"(\d+(?:\.\d+)*(?:\s*(?:,|and|&|or|to|-|–)\s*\d+(?:\.\d+)*)*)"
_SECTION_REF = Cued(r"\b(?:sections?|chapters?|§§?)\s*" + _NUM_LIST, ("section", "chapter", "§"))
_NOTE_REF = Cued(r"\b(?:(?:foot|end)?notes?|references?|refs?\.)\s+" + _NUM_LIST, ("note", "ref"))
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_RANGE = re.compile(r"(\d+)\s*(?:to|-|–)\s*(\d+)$")


def check(doc: Document, memo: Memo | None = None) -> list[Fact]:
    """A fact for each section or note a text refers to that the document does not have
    (the references each text makes as `memo` recorded them for the same text, or found)."""
    memo = memo if memo is not None else Memo()
    sections = {h.number.rstrip(".") for h in doc.headings}
    notes = {n.label for n in doc.notes}
    texts: list[tuple[str, str, Location, str | None, tuple[str, ...] | None]] = [
        ("note", n.text, n.location, n.label, n.urls) for n in doc.notes
    ]
    texts += [("text", p.text, p.location, None, None) for p in doc.paragraphs]
    patterns = [("section", _SECTION_REF, sections)] if sections else []
    patterns.append(("note", _NOTE_REF, notes))
    facts = []
    for table, text, location, label, urls in texts:
        for what, pattern, known in patterns:
            if pattern.absent(text):
                continue  # most texts, found sooner than their record
            key = note_key(text, urls) if urls is not None else text
            refs = memo.get(table, key, f"{what}-refs", partial(_references, text, pattern))
            facts += _missing(refs, location, label, known, what)
    return facts


def _references(text: str, pattern: Cued) -> list[tuple[str, list[str]]]:
    """(the phrase, the numbers it refers to) for each reference `pattern` finds."""
    return [(m.group(0).strip(), _targets(m.group(1))) for m in pattern.finditer(text)]


def _missing(
    refs: list[tuple[str, list[str]]],
    location: Location,
    label: str | None,
    known: set[str],
    what: str,
) -> list[Fact]:
    facts = []
    for phrase, targets in refs:
        for target in targets:
            if target in known or len(target) > 6:
                continue
            where = f"note {label}" if label else "the text"
            facts.append(
                Fact(
                    Rule.BROKEN_CROSS_REFERENCE,
                    f"{where} refers to {what} {target}, which does not exist ({phrase!r})",
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
