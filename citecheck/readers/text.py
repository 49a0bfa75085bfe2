"""Plain text, as extracted from a PDF (the VGT report's shape).

Markers are Unicode superscripts glued to a word (`Dailydot³⁷`), `[12]` or `^12`. A note starts
a line with a superscript number, `[12]`, `^12`, or plain digits when those continue the note
sequence and a marker with that label exists (`26 Under the Guidelines...`). Notes sit between
body paragraphs at page breaks; a short paragraph sandwiched between two notes continues the
first of them ("For user concern on this, see also <...>" after note 44).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers.common import publication_date, section_heading
from citecheck.urls import find_urls

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUP = str.maketrans(SUPERSCRIPTS, "0123456789")

_SUP_NOTE = re.compile(rf"^\s*([{SUPERSCRIPTS}]+)\s*(\S.*)$")
_MARK_NOTE = re.compile(r"^\s*(?:\[(\d{1,3})\]|\^(\d{1,3}))\s+(\S.*)$")
_DIGIT_NOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
# A superscript run glued to the preceding character, or [12] / ^12 in running text. Three
# digits at most: "[2015]" is a year, not a note.
_MARKER = re.compile(rf"(?<=\S)([{SUPERSCRIPTS}]+)|\[(\d{{1,3}})\]|\^(\d{{1,3}})\b")
# A ² or ³ glued to a unit after a number is a power ("30 km²"), not a marker.
_UNIT_BEFORE = re.compile(r"\d\s?(?:[kcmµ]?m|ft|in|mi)$")
# How far plain-digit note labels may jump ahead of the previous note.
_MAX_GAP = 5


@dataclass
class _Block:
    kind: str  # "note" or "body"
    line: int
    lines: list[str] = field(default_factory=list)
    label: str = ""


def read(content: str, source: str) -> Document:
    """Read PDF-extracted text into a Document."""
    raw = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A form feed (page break) ends a block but is no line break: editors and grep -n count
    # the lines without it.
    page_starts = {number for number, line in enumerate(raw, start=1) if "\f" in line}
    lines = [line.replace("\f", "") for line in raw]
    marker_labels = {
        label for line in lines if not _note_start(line, None) for label, _ in _markers_in(line)
    }
    blocks = _absorb_sandwiched(_blocks(lines, marker_labels, page_starts))
    return _document(blocks, source, published=publication_date("\n".join(lines[:60])))


def _note_start(line: str, marker_labels: set[str] | None, last: int = 0) -> tuple[str, str] | None:
    """(label, text) if `line` starts a note. Plain-digit starts need `marker_labels`."""
    if m := _SUP_NOTE.match(line):
        return m.group(1).translate(_FROM_SUP), m.group(2)
    if m := _MARK_NOTE.match(line):
        return m.group(1) or m.group(2), m.group(3)
    if marker_labels is not None and (m := _DIGIT_NOTE.match(line)):
        n = int(m.group(1))
        if m.group(1) in marker_labels and last < n <= last + _MAX_GAP:
            return m.group(1), m.group(2)
    return None


def _markers_in(text: str) -> list[tuple[str, int]]:
    """(label, offset) of every marker in a body line."""
    return [(_label(m), m.start()) for m in _marker_matches(text)]


def _marker_matches(line: str) -> list[re.Match]:
    """The marker matches of a line, without powers of units ("km²")."""
    return [
        m
        for m in _MARKER.finditer(line)
        if not (m.group(1) in ("²", "³") and _UNIT_BEFORE.search(line, 0, m.start()))
    ]


def _label(m: re.Match) -> str:
    sup, bracket, caret = m.groups()
    return sup.translate(_FROM_SUP) if sup else bracket or caret


def _blocks(lines: list[str], marker_labels: set[str], page_starts: set[int]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    last_note = 0
    for number, line in enumerate(lines, start=1):
        if number in page_starts:
            current = None
        if not line.strip():
            current = None
            continue
        start = _note_start(line, marker_labels, last_note)
        if start:
            label, text = start
            current = _Block("note", number, [text], label)
            blocks.append(current)
            last_note = int(label) if label.isdecimal() else last_note
        elif current is not None:
            current.lines.append(line.strip())  # a wrapped line of the same note or paragraph
        else:
            current = _Block("body", number, [line.strip()])
            blocks.append(current)
    return blocks


def _absorb_sandwiched(blocks: list[_Block]) -> list[_Block]:
    """A body paragraph between two notes continues the first note (page-foot layout), unless
    it is a heading or calls out a note (then it is body text)."""
    out: list[_Block] = []
    for i, block in enumerate(blocks):
        prev_note = out and out[-1].kind == "note"
        next_note = i + 1 < len(blocks) and blocks[i + 1].kind == "note"
        if (
            block.kind == "body"
            and prev_note
            and next_note
            and not _headings_of(block)
            and not any(_markers_in(line) for line in block.lines)
        ):
            out[-1].lines.extend(block.lines)
        else:
            out.append(block)
    return out


def _headings_of(block: _Block) -> list[tuple[int, str, str]]:
    """(line, number, title) of a heading, or of each line of a table of contents: a block
    whose every line is a numbered heading ("1. Executive summary\t2")."""
    found = [section_heading(line) for line in block.lines]
    if not all(found):
        return []
    return [(block.line + i, number, title) for i, (number, title) in enumerate(found)]


def _document(blocks: list[_Block], source: str, published) -> Document:
    notes, markers, paragraphs, headings, body_urls = [], [], [], [], []
    cover_urls = []  # body URLs before the first heading
    for block in blocks:
        loc = Location(source, block.line)
        text = " ".join(block.lines)
        if block.kind == "note":
            urls = tuple(url for _, url in find_urls(text))  # every occurrence
            notes.append(Note(block.label, text, loc, urls))
            continue
        headings += [
            Heading(number, _strip_markers(title), Location(source, line))
            for line, number, title in _headings_of(block)
        ]
        plain, found = _unmark(block)
        index = len(paragraphs)
        paragraphs.append(Paragraph(plain, loc))
        markers += [
            Marker(label, Location(source, line), index, offset) for label, line, offset in found
        ]
        (body_urls if headings else cover_urls).extend(
            UrlRef(url, Location(source, block.line + _line_of(block, off)))
            for off, url in find_urls(text)
        )
    # What precedes the first heading is the cover page, whose own web address is not a
    # citation; a report without numbered headings has no such cover to tell apart.
    body_urls = body_urls if headings else cover_urls
    return Document(
        source,
        "text",
        tuple(notes),
        tuple(markers),
        tuple(paragraphs),
        tuple(headings),
        tuple(body_urls),
        published,
    )


def _unmark(block: _Block) -> tuple[str, list[tuple[str, int, int]]]:
    """The block's text without markers, and (label, line, offset in that text) per marker."""
    pieces: list[str] = []
    found = []
    length = 0
    for i, line in enumerate(block.lines):
        if i:
            pieces.append(" ")
            length += 1
        pos = 0
        for m in _marker_matches(line):
            pieces.append(line[pos : m.start()])
            length += m.start() - pos
            found.append((_label(m), block.line + i, length))
            pos = m.end()
        pieces.append(line[pos:])
        length += len(line) - pos
    return "".join(pieces), found


def _strip_markers(text: str) -> str:
    return _MARKER.sub("", text).strip()


def _line_of(block: _Block, offset: int) -> int:
    """Index of the block line that holds character `offset` of the space-joined text."""
    for i, line in enumerate(block.lines):
        if offset <= len(line):
            return i
        offset -= len(line) + 1
    return len(block.lines) - 1
