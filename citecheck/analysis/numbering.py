"""Numbering: markers without notes, duplicate notes, notes without markers, order."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections import defaultdict
from functools import partial

import orjson

from citecheck.analysis import Fact
from citecheck.analysis.memo import Memo
from citecheck.models import Document, Location, Marker, Note, Rule


def check(doc: Document, memo: Memo | None = None) -> list[Fact]:
    """The numbering facts, as `memo` recorded them for the same labels, places and styles
    of the notes and markers (an edit of a note's words changes none of them), or found."""
    memo = memo if memo is not None else Memo()
    key = hashlib.sha256(_shape(doc)).hexdigest()
    facts = memo.get("numbering", key, "facts", partial(_encoded, doc))
    return [
        Fact(Rule(r), m, Location(*at) if at else None, label, u, s)
        for r, m, at, label, u, s in facts
    ]


def _shape(doc: Document) -> bytes:
    """All the numbering depends on: the format, the labels, places and styles."""
    return orjson.dumps(
        (
            doc.format,
            [(n.label, n.location, n.style) for n in doc.notes],
            [(m.label, m.location, m.style) for m in doc.markers],
        )
    )


def _encoded(
    doc: Document,
) -> list[tuple[str, str, tuple | None, str | None, str | None, str | None]]:
    """`_check(doc)` as JSON."""
    return [
        (
            f.rule.value,
            f.message,
            (f.location.file, f.location.line, f.location.unit) if f.location else None,
            f.label,
            f.url,
            f.suggestion,
        )
        for f in _check(doc)
    ]


def _check(doc: Document) -> list[Fact]:
    """The numbering facts of the footnotes and endnotes, and the order of a numbered
    reference list's entries; its citations (markers with a `style`) and its entries are
    otherwise judged by analysis.references (an entry number used twice makes its
    citations ambiguous)."""
    footnotes = tuple(n for n in doc.notes if n.style is None)
    calls = tuple(m for m in doc.markers if m.style is None)
    if len(footnotes) != len(doc.notes) or len(calls) != len(doc.markers):
        return (
            _markers_without_notes(dataclasses.replace(doc, notes=footnotes, markers=calls))
            + _duplicates(dataclasses.replace(doc, notes=footnotes))
            + _notes_without_markers(dataclasses.replace(doc, notes=footnotes, markers=calls))
            + _out_of_sequence(dataclasses.replace(doc, markers=calls))
        )
    return (
        _markers_without_notes(doc)
        + _duplicates(doc)
        + _notes_without_markers(doc)
        + _out_of_sequence(doc)
    )


def _markers_without_notes(doc: Document) -> list[Fact]:
    defined = {n.label for n in doc.notes}
    hints = {hint: note for note, hint in _mislabel_hints(doc.notes, doc)}
    facts = []
    for marker in doc.markers:
        if marker.label in defined:
            continue
        note = hints.get(marker.label)
        extra = (
            f"; note {note.label} at line {note.location.line} sits where it belongs"
            if note
            else ""
        )
        facts.append(
            Fact(
                Rule.MARKER_WITHOUT_NOTE,
                f"marker {marker.label} has no note{extra}",
                marker.location,
                marker.label,
                suggestion=(
                    f"relabel note {note.label} at line {note.location.line} as {marker.label}"
                )
                if note
                else None,
            )
        )
    return facts


def _duplicates(doc: Document) -> list[Fact]:
    by_label: dict[tuple[int, str], list[Note]] = defaultdict(list)
    # Markdown labels are names the author wrote: the same one twice is always a mistake
    runs = _runs(doc.notes) if doc.format != "markdown" else [(0, n) for n in doc.notes]
    for run, note in runs:
        by_label[run, note.label].append(note)
    hints = {id(note): hint for note, hint in _mislabel_hints(doc.notes, doc)}
    facts = []
    for (_, label), notes in by_label.items():
        if len(notes) < 2:
            continue
        lines = " and ".join(str(n.location.line) for n in notes)
        culprit = next((n for n in notes if id(n) in hints), notes[-1])
        hint = hints.get(id(culprit))
        which = "first" if culprit is notes[0] else "last" if culprit is notes[-1] else "one"
        message = f"note {label} is defined {len(notes)} times (lines {lines})"
        if hint:
            message += (
                f"; the {which}, at line {culprit.location.line}, sits where {hint} "
                f"belongs and is probably mislabelled"
            )
        facts.append(
            Fact(
                Rule.DUPLICATE_NOTE,
                message,
                culprit.location,
                label,
                suggestion=f"relabel it {hint}" if hint else None,
            )
        )
    return facts


def _runs(notes: tuple[Note, ...]) -> list[tuple[int, Note]]:
    """Each note with the numbering run it belongs to. A "1" after a higher label, followed by
    2 or by another chapter's 1, starts a new run (books number notes per chapter), so its
    labels repeat; a lone "1" between 3 and 5 stays a duplicate."""
    run, highest, out = 0, 0, []
    for i, note in enumerate(notes):
        following = notes[i + 1].label if i + 1 < len(notes) else None
        if note.label == "1" and highest >= 1 and following in ("1", "2", None):
            run, highest = run + 1, 0
        if note.label.isdecimal():
            highest = max(highest, int(note.label))
        out.append((run, note))
    return out


def _mislabel_hints(notes: tuple[Note, ...], doc: Document) -> list[tuple[Note, str]]:
    """(note, label it probably should have) for numeric notes whose neighbours disagree with
    their label: the previous note's label + 1 is missing and the note's own label is taken."""
    defined = {n.label for n in notes}
    counts: dict[str, int] = defaultdict(int)
    for n in notes:
        counts[n.label] += 1
    marked = {m.label for m in doc.markers}
    out = []
    for prev, note in itertools.pairwise(notes):
        if not (prev.label.isdecimal() and note.label.isdecimal()):
            continue
        expected = str(int(prev.label) + 1)
        if (
            expected != note.label
            and expected not in defined
            and counts[note.label] > 1
            and (expected in marked or not marked)
        ):
            out.append((note, expected))
    return out


def _notes_without_markers(doc: Document) -> list[Fact]:
    marked = {m.label for m in doc.markers}
    seen: set[str] = set()
    facts = []
    for note in doc.notes:
        if note.label in marked or note.label in seen:
            continue
        seen.add(note.label)
        facts.append(
            Fact(
                Rule.NOTE_WITHOUT_MARKER,
                f"note {note.label} is never called out in the text",
                note.location,
                note.label,
            )
        )
    return facts


def _out_of_sequence(doc: Document) -> list[Fact]:
    """Each break of the numeric order, once: the first occurrences of numeric labels that
    fall outside the longest run of increasing labels, consecutive ones reported together,
    with where the numbering resumes. One stray `⁹⁹` is one finding, not one per later marker.
    (Repeats are duplicate-note's job, gaps are marker-without-note's.)"""
    facts = []
    for what, items in (("note", doc.notes), ("marker", doc.markers)):
        firsts = _first_numeric(items)
        kept = _longest_increasing([n for n, _ in firsts])
        index = 0
        while index < len(firsts):
            if index in kept:
                index += 1
                continue
            end = index
            while end + 1 < len(firsts) and end + 1 not in kept:
                end += 1
            facts.append(_break_fact(what, firsts, index, end))
            index = end + 1
    return facts


def _first_numeric(items: tuple[Note, ...] | tuple[Marker, ...]) -> list[tuple[int, Note | Marker]]:
    seen: set[str] = set()
    out: list[tuple[int, Note | Marker]] = []
    for item in items:
        if item.label.isdecimal() and item.label.isascii() and item.label not in seen:
            seen.add(item.label)
            out.append((int(item.label), item))
    return out


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of a longest strictly increasing subsequence of `values`, the one with the
    earliest positions (so that of 1, 3, 2 the later 2 is the one out of place)."""
    from bisect import bisect_left

    length_from = [0] * len(values)
    tails: list[int] = []  # over the reversed, negated values
    for i in range(len(values) - 1, -1, -1):
        pos = bisect_left(tails, -values[i])
        if pos == len(tails):
            tails.append(-values[i])
        else:
            tails[pos] = -values[i]
        length_from[i] = pos + 1
    need, last, kept = len(tails), None, set()
    for i, value in enumerate(values):
        if need and length_from[i] == need and (last is None or value > last):
            kept.add(i)
            last, need = value, need - 1
    return kept


def _break_fact(what: str, firsts: list[tuple[int, Note | Marker]], start: int, end: int) -> Fact:
    stray = [item for _, item in firsts[start : end + 1]]
    labels = ", ".join(item.label for item in stray)
    lines = ", ".join(str(item.location.line) for item in stray)
    plural = "s" if len(stray) > 1 else ""
    message = f"{what}{plural} {labels} (line{plural} {lines}) out of sequence"
    if start > 0:
        message += f": after {what} {firsts[start - 1][1].label}"
    if end + 1 < len(firsts):
        after = firsts[end + 1][1]
        message += (
            f"{';' if start > 0 else ':'} the numbering resumes with {what} {after.label} "
            f"at line {after.location.line}"
        )
    return Fact(Rule.OUT_OF_SEQUENCE, message, stray[0].location, stray[0].label)
