"""Notes whose label was printed after their text: plain `pdftotext` of a LibreOffice PDF puts
a note's raised label on a line of its own below the note (`...2019.` / `2` / blank), each
note set apart by a blank line, the page's first note glued to the body above it.

`labels_first` rewrites such a page foot into the usual shape (`2 James Coltrain ...`), so the
PDF-text reader judges those notes like any others. Where the first note starts inside the
block it shares with the body is read from the page break: a body that goes on on the next
page (which starts in lower case) ends with a line that does not end a sentence, the note
starts with a capital on the line after it; a body that ends on this page ends with a stop
or a short line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from citecheck.readers._markers import could_call

Numbered = list[tuple[int, str]]  # (line number in the file, text)

_LABEL = re.compile(r"^\s*([1-9]\d{0,3})\s*$")
# digits glued to the word before: a marker in the body ("frameworks.”1 However"), not a
# number in brackets or a range ("(2)", "9603-9611")
_GLUED = re.compile(r"(?<=[^\s\d(\[/–-])(\d{1,4})(?=[\s,;:)\]”’\"]|\.(?:\s|$)|$)")
_URL = re.compile(r"\S*(?:://|www\.)\S*")
# a sentence's end; not an initial ("see, Aaron A." goes on with "Reed, ...")
# a sentence's end, a marker after it or not ("visit.11", "court. 17")
_STOP = re.compile(r"[.?!]['\"”’)\]]*( ?\d{1,4})?$")
_INITIAL = re.compile(r"(?:^|[\s.])[A-Z]\.$")
# how a note opens: a capitalised word ("Krijn", "Óscar"; not "R" or "NRC" of a sentence
# running on), a number or an opening quote
_OPENS = re.compile(r"^\s*(?:[^\W\d_a-z][^\W\d_A-Z]|[0-9“‘\"])")


@dataclass(frozen=True)
class _Unit:
    """One note: its label's line, the first line of its text block, and whether the label
    came after the text (else it stands above the text, as the reader expects)."""

    label: int
    at: int
    start: int
    after: bool


def labels_first(pages: list[Numbered]) -> None:
    """Rewrites, in place, every page whose foot holds notes with their label after their
    text. A number at the foot of pages near each other that goes up with the page
    ("6", "7", "9" on the 11th, 12th and 14th) is their page number, not a label."""
    feet = [_foot(page) for page in pages]
    offsets = [
        int(page[f][1]) - p if f is not None else None
        for p, (page, f) in enumerate(zip(pages, feet, strict=True))
    ]
    found = []
    for p, page in enumerate(pages):
        near = offsets[max(p - 2, 0) : p] + offsets[p + 1 : p + 3]
        found.append(_units(page, offsets[p] is not None and offsets[p] in near))
    after = [any(u.after for u in units) for units in found]
    # a document that prints its labels after their notes (most pages with notes do)
    style = sum(after) * 2 >= sum(1 for units in found if units)
    for p, (page, units) in enumerate(zip(pages, found, strict=True)):
        if after[p]:
            pages[p] = _rewrite(page, units, _continues(pages, p))
        elif units and style:
            pages[p] = _carried_apart(page, units[0])


def _carried_apart(page: Numbered, top: _Unit) -> Numbered:
    """The page with the text right above its first note's label (a label printed above
    its text) set well apart, when that text goes on from the page before (it starts in
    lower case, under a blank line): the end of the last note there, not body text."""
    start = _block_start(page, top.at)
    text = page[start][1].lstrip()
    if start == top.at or not text[:1].islower() or start == 0 or page[start - 1][1].strip():
        return page
    blank = (page[start][0], "")
    return [*page[:start], blank, blank, *page[start:]]


def _foot(page: Numbered) -> int | None:
    """The page's last line when it holds only a number."""
    foot = _nonblank(page, len(page))
    return foot if foot is not None and _LABEL.match(page[foot][1]) else None


def _nonblank(page: Numbered, before: int) -> int | None:
    return next((i for i in range(before - 1, -1, -1) if page[i][1].strip()), None)


def _units(page: Numbered, numbered: bool) -> list[_Unit]:
    """The notes at the page's foot, top to bottom, whose labels go up by one: a label that
    follows its text (see `_follows`), or stands above it. Notes with the label above their
    text may sit among them (pdftotext prints a one-line note's label first). A lone number
    at the very foot is the page's number when no text is left for it (a blank line above
    it), when it does not continue the labels above it, or when it is `numbered`."""
    foot = _nonblank(page, len(page))
    if (
        foot is not None
        and _LABEL.match(page[foot][1])
        and (numbered or foot - 1 != _nonblank(page, foot))
    ):
        foot = _nonblank(page, foot)
    units, stop = _walk(page, foot)
    if len(units) == 1 and units[0].after and stop is not None and _LABEL.match(page[stop][1]):
        units, _ = _walk(page, _nonblank(page, units[0].at))
    return units


def _walk(page: Numbered, at: int | None) -> tuple[list[_Unit], int | None]:
    """The notes from line `at` up, and the line where they stop."""
    units: list[_Unit] = []
    while at is not None:
        if not _LABEL.match(page[at][1]):
            at = _nonblank(page, _block_start(page, at))  # a note's text: its label is above
            if at is None or not _LABEL.match(page[at][1]):
                break
        label = int(page[at][1])
        if units and label != units[0].label - 1:
            break
        start = _block_start(page, at)
        after = _follows(page, at, start)
        below = next((i for i in range(at + 1, len(page)) if page[i][1].strip()), None)
        if not after and units and units[0].after and below == units[0].start:
            # this label stands above the text that the label below seemed to follow
            units[0] = replace(units[0], start=units[0].at, after=False)
        units.insert(0, _Unit(label, at, start if after else at, after))
        at = _nonblank(page, start if after else at)
    return units, at


def _follows(page: Numbered, at: int, start: int) -> bool:
    """Whether the label on line `at` belongs to the text right above it: that text is
    there, a blank line (or the page's end) follows the label, and what comes after is no
    text left without a label (the next label, or text that its own label follows, with a
    blank line after it: a label set above its text has none)."""
    if start == at or (at + 1 < len(page) and page[at + 1][1].strip()):
        return False
    over = page[start - 1][1] if start > 0 else ""
    if _LABEL.match(over) and int(over) != int(page[at][1]) - 1:
        return False  # the text hangs under another label ("420" / text / "411"): it is 420's
    before = str(int(page[at][1]) - 1)
    if any(page[i][1].split()[:1] in ([before], [before + "."]) for i in range(start, at)):
        return False  # the text is the note before, labelled in front: this is no label
    if _calls(page[at - 1][1], [str(n) for n in range(int(page[at][1]), int(page[at][1]) + 6)]):
        return False  # the line above calls this note: it is the body, the label is above
    below = next((i for i in range(at + 1, len(page)) if page[i][1].strip()), None)
    if below is None or _LABEL.match(page[below][1]):
        return True
    end = below
    while end + 1 < len(page) and page[end + 1][1].strip() and not _LABEL.match(page[end + 1][1]):
        end += 1
    label = end + 1
    if label >= len(page) or not _LABEL.match(page[label][1]):
        return False
    return label + 1 == len(page) or not page[label + 1][1].strip()  # that label follows too


def _block_start(page: Numbered, at: int) -> int:
    """The first of the text lines directly above line `at` (no blank line, no label)."""
    start = at
    while start > 0 and page[start - 1][1].strip() and not _LABEL.match(page[start - 1][1]):
        start -= 1
    return start


def _marked_stop(line: str) -> bool:
    """Whether the line ends a sentence with a marker ("court. 17", "visit.11")."""
    stop = _STOP.search(line.rstrip())
    return bool(stop and stop.group(1))


def _calls(line: str, labels: list[str]) -> bool:
    """Whether the line holds a marker (digits glued to a word) that may call one of `labels`."""
    runs = [m.group(1) for m in _GLUED.finditer(_URL.sub(" ", line))]
    return any(could_call(run, label) for run in runs for label in labels)


def _continues(pages: list[Numbered], p: int) -> bool:
    """Whether page `p`'s body goes on on the next page (that starts in lower case)."""
    for _, line in pages[p + 1] if p + 1 < len(pages) else []:
        if line.strip() and not _LABEL.match(line):  # a label or page number set apart
            return line.strip()[0].islower()
    return False


def _rewrite(page: Numbered, units: list[_Unit], continues: bool) -> Numbered:
    out = list(page)
    top = units[0]
    first = _first_note(page, units, continues) if top.after else top.start
    starts = [first] + [u.start for u in units[1:]]
    for unit, start in zip(units, starts, strict=True):
        if unit.after:
            out[unit.at] = (page[unit.at][0], "")
            out[start] = (page[start][0], f"{unit.label} {page[start][1].strip()}")
    # a blank line between the body and the first note, as pdftotext sets the others apart
    if first > top.start:
        out.insert(first, (page[first][0], ""))
    return out


def _first_note(page: Numbered, units: list[_Unit], continues: bool) -> int:
    """Where the page's first note starts in the block it shares with the body: after the
    body's last marker; after a line that does not end a sentence when the body goes on on
    the next page (the earliest such), else after a stop or a short line (the latest, and
    of those after a stop and a marker the latest if any)."""
    top = units[0]
    # the body may call notes pushed to the next page, a few after this page's last
    labels = [str(n) for n in range(top.label, units[-1].label + 6)]
    block = range(top.start, top.at)
    called = [i for i in block if _calls(page[i][1], labels)]
    low = called[-1] + 1 if called and called[-1] + 1 < top.at else top.start
    # a full line's length, not a long URL's
    width = max((len(ln.rstrip()) for _, ln in page if "://" not in ln), default=0)

    def ends(i: int | None) -> bool:
        if i is None:
            return True
        line = page[i][1].rstrip()
        stop = _STOP.search(line) and not _INITIAL.search(line)
        return bool(stop) or len(line) < 0.7 * width

    candidates = [
        b
        for b in range(low, top.at)
        if _OPENS.match(page[b][1])
        and not page[b][1].lstrip()[0].islower()
        and ends(b - 1 if b > top.start else _nonblank(page, b)) != continues
    ]
    if not candidates:
        return low
    if continues:
        return candidates[0]
    # a body that ends on the page ends its last sentence, often with a marker; a note's
    # sentences end without one
    marked = [b for b in candidates if b > top.start and _marked_stop(page[b - 1][1])]
    return (marked or candidates)[-1]
