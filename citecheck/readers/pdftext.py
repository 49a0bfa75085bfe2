"""Reader for text extracted from a PDF with its page breaks (`pdftotext -layout`, plain
`pdftotext`, and other extractors that end pages with form feeds): note markers are digits
glued to a word or spaced after it, notes sit at the foot of their page (or of their column).

Each page is read on its own, so a page whose notes or markers cannot be matched never stops
the reading of later ones. Notes whose label plain pdftotext printed after their text are put
back in shape first (`_labelafter`). Running headers and footers (lines repeated at the top or
foot of several pages, page numbers, a header printed mid-page with the page's number) are set
aside. Two-column layout pages are split at their gutter, footnotes set the full width under
them kept whole. A page's notes are chains of lines that start with consecutive numbers; a
chain counts when it continues the numbering (or restarts it at 1) and the body above calls
one of its numbers, or when it continues the numbering exactly. The body's digit runs are
markers when the page's notes say so (`MarkerSequence`); years, quantities and section
numbers stay text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers._join import continues_url, join_lines
from citecheck.readers._labelafter import labels_first
from citecheck.readers._markers import MarkerSequence, could_call
from citecheck.readers._shuffled import glued_last_label, reorder, shuffled_run
from citecheck.readers.common import is_page_number
from citecheck.urls import find_urls

# "12 Text", "12. Text", "12" alone (the text follows), "12https://..." (a glued URL),
# "12Note that", "7RANDAO is", "10which can", "1A Sitting" (glued to a word; not "2nd", "4th")
_NOTE_START = re.compile(
    r"^\s{0,12}(\d{1,4})(?:[.)]?\s+(\S.*)|(https?://\S.*)"
    r"|(?=[A-Z][A-Za-z]|[AI] [A-Za-z]|[a-z]{3})(?!st\b|nd\b|rd\b|th\b)(\S.*))?$"
)
# digits glued to the word before ("SLSA12", "C++5", "this,2,3", "systems1.", "weights)4."),
# not inside a number, nor a numbered citation opened after a space ("Bitcoin [71]"), an
# equation's number ("(2)"), or a name's or date's number after a hyphen ("SHA-3", "04-10")
_GLUED = re.compile(
    r"(?<!\d\.)(?<!\s\[)(?<!^\[)(?<![-–])(?:(?<=[^\s\d,])|(?<=[^\s\d],))"
    r"(?!(?<=\()\d{1,5}\))(\d{1,5}(?:\s?,\s?\d{1,3})*)(?=[\s,;:)\]”’\"]|\.(?:\s|$)|$)"
)
# Places where a marker looks like part of the text, so only a label whose note is on the
# page counts (strict): digits spaced out after punctuation ("commitments. 5 The"; not "In
# 2015, 31 districts"), digits after a number's full stop ("in 2015.4 Registries"; not "3.3
# percent"), digits spaced after a word before a stop ("vector 3."), a label glued to a number
# ("UL 46002": 4600 and note 2)
_SPACED = re.compile(r"(?<=[.,;:!?)\]”’\"])[ \n](\d{1,4})(?=\s+[A-Z(“\"]|\s*$)")
# a line opening with the marker of the sentence the line above ended (PDFium, pdfminer.six)
_OPENING = re.compile(r"^(\d{1,4}) (?=[A-Z(“\"])")
_STOP = '.,;:!?)]”’"'
_AFTER_NUMBER = re.compile(r"(?<=\d\.)(\d{1,4})(?=\s+[A-Z(“\"]|\s*$|[A-Z][a-z])")
# digits between a sentence's stop and the next sentence, no space kept ("2018.4In", "it.”3The")
_STOP_GLUED = re.compile(r"(?<=[a-z)][.!?]|[.!?][”’\"])(\d{1,4})(?=[A-Z][a-z])")
# digits after a comma that follows a gap or a year: the word before blacked out ("   ,415 a")
# or the marker after a year ("before 2017,706 and")
_AFTER_COMMA = re.compile(
    r"(?m:(?<=\s,)|(?<=^,)|(?<=(?<![\d,])\d{4},))(\d{1,4})(?=[\s;:)]|\.(?:\s|$)|$)"
)
# digits between two words with no space on either side, as PDFium prints a raised number
# ("the priority fee4that is paid", "RANDAO mix7of the")
_BETWEEN_WORDS = re.compile(r"(?<=[a-z]{2})(\d{1,3})(?=[a-z]{2,}\b)")
_SPACED_WORD = re.compile(r"(?<=[a-z]) (\d{1,4})(?=[.;:]?$|[.;:]\s)")
# numbers at a line's end after wide gaps: their sentences blacked out ("sentence.”1060     1061")
_GAPPED = re.compile(r"(?<=\S)((?:[ ]{3,}\d{1,4})+)[ \t]*$", re.MULTILINE)
# digits spaced between a noun and the clause it opens ("the priority fee 4 that is paid"),
# where prose puts no number
_SPACED_CLAUSE = re.compile(
    r"(?<=[a-z]{2}) (\d{1,3})(?= (?:that|which|who|whose|is|are|was|were)\b)"
)
# a raised number set apart on both sides, before the stop ("known as a polka 1 . A set"):
# the way pdftotext spaces a superscript, not how prose puts a number
# (not before a contents' dot leader, "number 1 . . . . 10")
_SPACED_MARK = re.compile(r"(?<=[a-z]) (\d{1,3})(?= [.,;:](?:\s|$))(?! \. \.)")
_NUMBER_GLUED = re.compile(r"(?<![\w.,])(\d{5,7})(?=[.,;:]?(?:\s|$))")
# words after which a spaced number is what it says, not a marker
_COUNTED = frozenset(
    [
        "figure",
        "fig",
        "table",
        "section",
        "sect",
        "chapter",
        "ch",
        "page",
        "pages",
        "p",
        "pp",
        "step",
        "part",
        "version",
        "v",
        "item",
        "no",
        "number",
        "appendix",
        "annex",
        "level",
        "phase",
        "stage",
        "tier",
        "vol",
        "volume",
        "art",
        "article",
        "rule",
        "type",
        "category",
        "class",
        "round",
        "day",
        "week",
        "month",
        "year",
        "line",
        "note",
        "box",
        "exhibit",
        "chart",
        "panel",
        "option",
        "case",
        "group",
        "layer",
        "grade",
        "size",
    ]
)
_ENDNOTES = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:end\s*notes|notes|footnotes|references|sources|citations)\s*:?$",
    re.IGNORECASE,
)
# numbers alone on their line: markers whose words are blacked out (or set apart)
# (several: set apart by the room of the words between them, not a table's "1 2 3 4")
# (or by one space, as text without layout prints them, when they count up by one: "11 12")
_LONE = re.compile(r"^[ \t]*\d{1,4}(?:[ \t]+\d{1,4})*[ \t]*$", re.MULTILINE)
# the dots that lead a table of contents' entry to its page number (five or more: ". . . ."
# ends a quoted sentence)
_LEADER = re.compile(r"(?:(?:\.\s?){5,}|…{3,})\s*(?:\d+|[ivxlc]+)\s*$", re.IGNORECASE)
_FIGURES = re.compile(r"^\d[\d\s.,%-]*\d%?$")  # a row of numbers ("0 0 0", "4.5 12")
_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+([A-Z][^.]{0,80})$")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_CID = re.compile(r"\(cid:\d+\)")


def sniff(content: str) -> bool:
    """Pages split by form feeds, and no Unicode superscript markers (those are the plain
    text reader's)."""
    # the plain text reader's superscripts aside, text with page breaks is this reader's
    # even where no note is found (the text reader would read digits at line starts as notes)
    return "\f" in content and sum(content.count(c) for c in _SUPERSCRIPTS) <= 3


def prepare(content: str) -> str:
    """The text before control characters are removed: PDFium joins a word broken at a
    line's end and marks its hyphen with U+0002; the hyphen is printed there (and may be a
    URL's own: "resource-center")."""
    return content.replace("\x02", "-")


def read(content: str, source: str) -> Document:
    """Notes, markers, paragraphs, headings and body URLs of text extracted from a PDF."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    # pdfminer.six writes a glyph it has no character for as "(cid:12)": not text (its
    # digits are no markers)
    content = _CID.sub("\ufffd", content)
    pages, first = [], 1
    for text in content.split("\f"):
        page_lines = text.split("\n")
        pages.append([(first + i, line) for i, line in enumerate(page_lines)])
        first += len(page_lines) - 1  # the form feed ends a line without starting one
    labels_first(pages)  # before the furniture: a label alone at a page's foot is no page number
    _drop_furniture(pages)
    state = _State(source)
    for page in pages:
        state.page(page)
    return state.document()


Numbered = list[tuple[int, str]]  # (line number in the file, text)


def _drop_furniture(pages: list[Numbered]) -> None:
    """Blanks running headers and footers: among the first and last three lines of a page,
    those repeated on several pages (the same text, or the same but for a number that
    counts the pages), then again among the new first and last lines (a footer may have
    several lines), and a page number left at the top or foot. Plain pdftotext may print
    a header mid-page, between the columns: see `_drop_numbered_headers`."""
    need = max(2, round(0.25 * len(pages))) if len(pages) >= 3 else 99
    _drop_numbered_headers(pages, need)
    for _ in range(3):
        if not _drop_repeated(pages, need):
            break
    found = [_page_numbers(page) for page in pages]
    # a number at the top and one at the foot: the page number is the one that goes up with
    # the pages as the others do (the top one may be a marker of a blacked-out line)
    offsets = Counter(
        _offset(page[i][1], p)
        for p, (page, idx) in enumerate(zip(pages, found, strict=True))
        for i in idx
    )
    offsets.pop(None, None)
    common = offsets.most_common(1)[0][0] if offsets else None
    for p, (page, idx) in enumerate(zip(pages, found, strict=True)):
        if len(idx) == 2 and common is not None:
            fits = [i for i in idx if _offset(page[i][1], p) == common]
            idx = fits if len(fits) == 1 else idx
        for i in idx:
            page[i] = (page[i][0], "")


def _offset(line: str, page: int) -> int | None:
    """The printed page number less the page's index ("12" on the 14th page: -1)."""
    digits = re.search(r"\d+", line)
    return int(digits.group()) - page if digits else None


def _page_numbers(page: Numbered) -> list[int]:
    """The indexes of the page's first and last lines that are page numbers."""
    nonblank = [i for i, (_, ln) in enumerate(page) if ln.strip()]
    edges = sorted({nonblank[0], nonblank[-1]}) if nonblank else []
    return [i for i in edges if is_page_number(page[i][1]) and _set_off(page[i][1])]


def _drop_numbered_headers(pages: list[Numbered], need: int) -> None:
    """Blanks, wherever on its page, a line repeated on several pages with the page's number
    alone on the next line ("SHANGHAI VERSION" / "5" amid the text of page 5), that number,
    and the same line on the other pages."""
    seen: dict[str, list[tuple[int, int, int, int]]] = {}
    for p, page in enumerate(pages):
        nonblank = [i for i, (_, ln) in enumerate(page) if ln.strip()]
        for a, b in pairwise(nonblank):
            text, number = " ".join(page[a][1].split()), page[b][1].strip()
            if number.isdecimal() and len(text) >= 3 and not text.isdecimal():
                seen.setdefault(text, []).append((p, a, b, int(number)))
    for text, hits in seen.items():
        if len(hits) >= need and _counts_pages([(p, [n]) for p, _, _, n in hits]):
            for p, _, b, _ in hits:
                pages[p][b] = (pages[p][b][0], "")
            for page in pages:  # the header also where its number went apart from it
                for i, (n, line) in enumerate(page):
                    if " ".join(line.split()) == text:
                        page[i] = (n, "")
            offset = Counter(n - p for p, _, _, n in hits).most_common(1)[0][0]
            _drop_page_numbers(pages, offset, {p for p, _, _, _ in hits})


def _drop_page_numbers(pages: list[Numbered], offset: int, done: set[int]) -> None:
    """On the pages whose header was not found with their number, that number alone on a
    line (printed apart from the header) once the numbering of the others is known."""
    for p, page in enumerate(pages):
        alone = [i for i, (_, ln) in enumerate(page) if ln.strip() == str(p + offset)]
        if p not in done and len(alone) == 1:
            page[alone[0]] = (page[alone[0]][0], "")


def _drop_repeated(pages: list[Numbered], need: int) -> bool:
    edges = [_edges(page) for page in pages]
    exact: Counter[str] = Counter()
    numbered: dict[str, list[tuple[int, list[int]]]] = {}
    # a chapter's running head: the same line of words at the top of three pages in a row
    run: dict[str, tuple[int, int]] = {}  # text -> (last page seen, pages in a row)
    for p, (page, idx) in enumerate(zip(pages, edges, strict=True)):
        texts = {" ".join(page[i][1].split()) for i in idx}
        tops = [i for i, (_, ln) in enumerate(page) if ln.strip()][:3]
        for text in {" ".join(page[i][1].split()) for i in tops}:
            if len(re.findall(r"[^\W\d_]{2,}", text)) < 2:
                continue  # a stop, a number, "Id.": not a title
            seen, length = run.get(text, (-2, 0))
            run[text] = (p, length + 1 if seen == p - 1 else 1)
            if run[text][1] >= min(need, 3):
                exact[text] = max(exact[text], need)
        exact.update(texts)
        for text in texts:
            numbers = [int(d) for d in re.findall(r"\d+", text)][:4]
            numbered.setdefault(_key(text), []).append((p, numbers))
    counting = {key for key, seen in numbered.items() if len(seen) >= need and _counts_pages(seen)}
    dropped = False
    for page, idx in zip(pages, edges, strict=True):
        for i in idx:
            text = " ".join(page[i][1].split())
            if (exact[text] >= need or _key(text) in counting) and _key(text) not in ("", "#"):
                page[i] = (page[i][0], "")
                dropped = True
    return dropped


def _counts_pages(seen: list[tuple[int, list[int]]]) -> bool:
    """Whether one of the numbers of a repeated line goes up with the page ("Page 3")."""
    width = min(len(numbers) for _, numbers in seen)
    for k in range(width):
        offsets = Counter(numbers[k] - p for p, numbers in seen)
        if offsets.most_common(1)[0][1] >= 0.8 * len(seen):
            return True
    return False


def _edges(page: Numbered) -> list[int]:
    nonblank = [i for i, (_, ln) in enumerate(page) if ln.strip()]
    return sorted(set(nonblank[:3] + nonblank[-3:]))


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _set_off(line: str) -> bool:
    """A page number alone on its line: set off from the margin, or the whole line."""
    return len(line) - len(line.lstrip()) >= 10 or line.strip() == line


def _columns(page: Numbered) -> list[Numbered]:
    """The page as one column, or as two when `pdftotext -layout` set two side by side: a
    gutter of spaces at the same place on most lines, with text on both sides of it."""
    lines = [ln for _, ln in page if ln.strip()]
    width = max((len(ln) for ln in lines), default=0)
    if len(lines) < 12 or width < 60:
        return [page]
    best, best_count = None, 0
    for x in range(int(width * 0.3), int(width * 0.7)):
        gap = sum(1 for ln in lines if ln[x - 2 : x + 1].strip() == "" or len(ln) <= x)
        both = sum(1 for ln in lines if ln[:x].strip() and ln[x:].strip())
        if gap > 0.9 * len(lines) and both > 0.4 * len(lines) and both > best_count:
            best, best_count = x, both
    if best is None:
        return [page]
    cut = _foot_start(page, best)
    body, foot = page[:cut], page[cut:]
    left = [(n, ln[:best].rstrip()) for n, ln in body]
    right = [(n, ln[best:]) for n, ln in body]
    indent = min((len(ln) - len(ln.lstrip()) for _, ln in right if ln.strip()), default=0)
    return [left, [(n, ln[indent:]) for n, ln in right]] + ([foot] if foot else [])


def _foot_start(page: Numbered, gutter: int) -> int:
    """Where the lines that run across the gutter at the page's foot begin (footnotes set
    the full width under two columns), with the short lines among them (a note's last line,
    a subscript's); the page's end when there are none."""
    start = len(page)
    for i in range(len(page) - 1, -1, -1):
        line = page[i][1]
        if line[gutter - 2 : gutter + 1].strip():
            start = i  # it crosses the gutter
        elif line[gutter:].strip() and not all(len(t) <= 2 for t in line.split()):
            break  # text in the right-hand column: the body
    return start


@dataclass
class _Note:
    label: str
    line: int
    lines: list[str] = field(default_factory=list)


@dataclass
class _Page:
    """A page after the first pass: its footnote labels and its body lines per column (the
    endnotes taken out), and those lines with the endnotes left in."""

    labels: list[str]
    bodies: list[Numbered]
    with_endnotes: list[Numbered]


class _State:
    """Two passes: every page's notes (footnotes at the foot, an endnotes section), then
    every page's body, whose digit runs are judged with the notes in view."""

    def __init__(self, source: str):
        self.source = source
        self.notes: list[_Note] = []
        self.pages: list[_Page] = []
        self.endnotes: int | None = None  # index of the first endnote, once its heading is read
        self.markers: list[Marker] = []
        self.sequence = MarkerSequence()
        self.paragraphs: list[Paragraph] = []
        self.headings: list[Heading] = []
        self.urls: list[UrlRef] = []
        self.before = ""  # the text of the page's columns before the one being read

    def _loc(self, line: int) -> Location:
        return Location(self.source, line, "line")

    @property
    def last(self) -> int:
        return int(self.notes[-1].label) if self.notes else 0

    def page(self, page: Numbered) -> None:
        """First pass: the page's notes."""
        first_new = len(self.notes)
        bodies, full = [], []
        self.before = ""
        for column in _columns(page):
            if self.endnotes is None:
                column = _unglue_last_label(column)
            taken = self._notes(column) if self.endnotes is None else set()
            # a note under two columns may be called from either
            self.before += "\n".join(ln for _, ln in column) + "\n"
            body = [(n, ln) for i, (n, ln) in enumerate(column) if i not in taken]
            full.append(body)
            bodies.append(self._endnotes(body))
        labels = [note.label for note in self.notes[first_new:]]
        if self.endnotes is not None:
            labels = [n.label for n in self.notes[first_new : max(first_new, self.endnotes)]]
        self.pages.append(_Page(labels, bodies, full))

    def _endnotes(self, body: Numbered) -> Numbered:
        """The body without the endnotes section that starts at an "Endnotes" ("Notes",
        "References") heading followed by a numbered line and runs to the document's end."""
        start = 0
        if self.endnotes is None:
            if self.notes:
                return body  # a document with footnotes: "Notes" is a heading like others
            start = next((i + 1 for i in range(len(body)) if self._heading_at(body, i)), 0)
            if not start:
                return body
            self.endnotes = len(self.notes)
        starts = [
            (i, m) for i, (_, ln) in enumerate(body) if i >= start and (m := _NOTE_START.match(ln))
        ]
        want, taken = self.last + 1, set(range(max(start - 1, 0), start))
        first = next((k for k, (_, m) in enumerate(starts) if int(m.group(1)) == want), None)
        if first is None:
            return [ln for i, ln in enumerate(body) if i not in taken]
        chain = self._chain(starts, first)
        carried = [j for j in range(start, chain[0][0]) if body[j][1].strip()]
        if carried and len(self.notes) > self.endnotes and not start:
            self.notes[-1].lines += [body[j][1] for j in carried]
            taken.update(carried)
        for k, (i, m) in enumerate(chain):
            end = chain[k + 1][0] if k + 1 < len(chain) else self._note_end(body, i)
            note = _Note(m.group(1), body[i][0], [m.group(2) or m.group(3) or m.group(4) or ""])
            note.lines += [body[j][1] for j in range(i + 1, end)]
            self.notes.append(note)
            taken.update(range(i, end))
        return [ln for i, ln in enumerate(body) if i not in taken]

    def _heading_at(self, body: Numbered, i: int) -> bool:
        if not _ENDNOTES.match(body[i][1].strip()):
            return False
        after = [ln for _, ln in body[i + 1 : i + 4] if ln.strip()][:1]
        return bool(after) and bool(_NOTE_START.match(after[0]))

    def _notes(self, column: Numbered) -> set[int]:
        """Reads the column's notes; the indexes of the lines they take."""
        starts = _starts(column, self.last)
        taken: set[int] = set()
        run = shuffled_run(starts, self.last)
        if run is not None and not self._shuffled_notes(run, column):
            run = None
        for chain in [run] if run else self._chains(starts, column):
            first_index = chain[0][0]
            carried = self._carried_over(column, first_index)
            text = "\n".join(column[i][1] for i in carried)
            labels = [m.group(1) for _, m in chain]
            calls = [r for r, _, _, k in _runs(text) if k == "glued"] + [
                r for r, _, _ in _lone(text)
            ]
            if any(could_call(r, lb) for r in calls for lb in labels):
                carried = []  # it calls the notes below it: the body, set close above them
            if carried and self.notes:
                self.notes[-1].lines += [column[i][1] for i in carried]
                taken.update(carried)
            notes = []
            for k, (i, m) in enumerate(chain):
                end = chain[k + 1][0] if k + 1 < len(chain) else self._note_end(column, i)
                text = m.group(2) or m.group(3) or m.group(4) or ""
                notes.append(
                    (m.group(1), column[i][0], [text, *(ln for _, ln in column[i + 1 : end])])
                )
                taken.update(range(i, end))
            if chain is run:
                notes = reorder(notes)
            self.notes += [_Note(label, line, lines) for label, line, lines in notes]
        return taken

    def _shuffled_notes(self, run: list, column: Numbered) -> bool:
        """Whether a shuffled run of labels (see `shuffled_run`) is the column's notes: plain
        numbers ("7", not the "7." of a list) at its foot, those with text in order, most of
        them called above."""
        if any(re.match(r"^\s*\d+[.)]", column[i][1]) for i, _ in run):
            return False
        if any(ln.strip() for _, ln in column[self._note_end(column, run[-1][0]) :]):
            return False
        # only a label alone on its line moves: one with its text on the line is in order
        # with every label that has text (not a note below a chart's axis of numbers)
        ends = [i for i, _ in run[1:]] + [self._note_end(column, run[-1][0])]
        texts = [
            (int(m.group(1)), not _lone_label(m))
            for (i, m), end in zip(run, ends, strict=True)
            if not _lone_label(m) or any(ln.strip() for _, ln in column[i + 1 : end])
        ]
        for k, (n, on_line) in enumerate(texts):
            before, after = [a for a, _ in texts[:k]], [a for a, _ in texts[k + 1 :]]
            if on_line and (any(a > n for a in before) or any(a < n for a in after)):
                return False
        above = "\n".join(ln for _, ln in column[: run[0][0]])
        runs = [r for r, _, _, _ in _runs(above)]
        hit = [any(could_call(r, m.group(1)) for r in runs) for _, m in run]
        return sum(hit) * 2 >= len(hit)

    def _chains(self, starts: list[tuple[int, re.Match[str]]], column: Numbered) -> list:
        """Runs of note starts with consecutive numbers that the page's notes can be, in
        the order of the page: each continues the numbering (or restarts it, or skips a
        few notes) and counts as notes (see `_counts`)."""
        chains: list[list[tuple[int, re.Match[str]]]] = []
        last, pos = self.last, 0
        while pos < len(starts):
            n = int(starts[pos][1].group(1))
            # numbering is evidence, not a precondition: notes may be missing, a page before
            # may have gone unread, the numbering may be taken over from another document
            # (see `_counts` for what a jump needs)
            if n > last or n == 1:
                chain = self._chain(starts, pos)
                if self._counts(chain, column, last):
                    chains.append(chain)
                    last = int(chain[-1][1].group(1))
                    pos = starts.index(chain[-1]) + 1
                    continue
            pos += 1
        return chains

    def _chain(self, starts: list[tuple[int, re.Match[str]]], at: int) -> list:
        """The starts from `at` on whose numbers go up by one. A line of a note that begins
        with a number ("2017) (Statement ...", "18 U.S.C. ...") does not break the chain when
        the next label follows it."""
        chain = [starts[at]]
        rest = starts[at + 1 :]
        for k, (j, mj) in enumerate(rest):
            want = int(chain[-1][1].group(1)) + 1
            if int(mj.group(1)) == want:
                chain.append((j, mj))
            elif (
                _lone_label(mj)
                or int(chain[0][1].group(1)) <= int(mj.group(1)) <= want + len(rest)
                or not any(int(m.group(1)) == want for _, m in rest[k + 1 :])
            ):
                break  # a label out of turn, not a note's line
        return chain

    def _counts(self, chain: list, column: Numbered, last: int) -> bool:
        """Whether a chain is the page's notes: the body above calls its first number (or
        half of its numbers) with digits glued to a word, or in a place where a note
        marker is the likely reading. Anywhere on the page when it continues the numbering
        with plain numbers ("7 Text", not the "7." of a list) called by glued digits (plain
        pdftotext puts a left column's notes mid-page); else only at the foot of its
        column, where a chain that continues the numbering exactly needs no call (its
        markers may be lost: they are reported, the notes are kept)."""
        if not self._note_like(chain, column):
            return self._set_close(chain, column, last)
        i = chain[0][0]
        labels = [m.group(1) for _, m in chain]
        above = self.before + "\n".join(ln for _, ln in column[:i])
        runs = [
            (run, kind)
            for run, start, _, kind in _runs(above)
            if kind != "spaced" or not _counted(above, start)
        ]

        def calls(kinds: tuple[str, ...]) -> bool:
            hit = [any(could_call(r, lb) for r, k in runs if k in kinds) for lb in labels]
            return hit[0] or sum(hit) * 2 >= len(hit)

        glued, called = calls(("glued",)), calls(("glued", "spaced", "number"))
        bare = [not (m.group(2) or m.group(3) or m.group(4)) for _, m in chain]
        if len(chain) >= 3 and sum(bare) > 0.7 * len(chain):
            # numbers and no text (blacked-out notes, or a code listing's line numbers):
            # notes only when the body calls most of them
            every = ("glued", "spaced", "number")
            hit = [any(could_call(r, lb) for r, k in runs if k in every) for lb in labels]
            if sum(hit) * 2 < len(hit):
                return False
        elif len(chain) == 2 and bare[0] and chain[1][0] == chain[0][0] + 1:
            # two numbers stacked with no text ("2" over "3 N then"): a fraction, or a
            # table's column, as text without layout prints it; notes when the body calls
            # each of them (numbers alone on their line do not: such a stack again)
            lone = {start for _, start, _ in _lone(above)}
            inline = [r for r, start, _, k in _runs(above) if k != "spaced" or start not in lone]
            if not all(any(could_call(r, lb) for r in inline) for lb in labels):
                return False
        first = int(labels[0])
        plain = not re.match(r"^\s*\d+[.)]", column[i][1])
        if glued and plain and first == last + 1 and all(_opens_note(column, st) for st in chain):
            return True
        end = self._note_end(column, chain[-1][0])
        if any(ln.strip() for _, ln in column[end:]):
            return False  # not at the foot
        if first == last + 1:
            # notes open as notes do, not as lines of code or math ("2 else if |v| > N
            # then" at the foot of an algorithm, called by its subscripts): all of them when
            # the body calls none
            opens = [_opens_note(column, st) for st in chain]
            return (called and any(opens)) or (last > 0 and plain and all(opens))
        # a restart at 1, notes skipped, or a numbering taken over from another document:
        # digits glued to a word's letters or closing punctuation ("systems1.", not "_1")
        words = [
            (r, k) for r, start, _, k in _runs(above) if k == "glued" and _after_word(above, start)
        ]
        hit = [any(could_call(r, lb) for r, _ in words) for lb in labels]
        return plain and (hit[0] or sum(hit) * 2 >= len(hit))

    def _set_close(self, chain: list, column: Numbered, last: int) -> bool:
        """A page's one note printed right under the body (no gap): its label alone on its
        line, the next number, called above (glued, or after a number: "at 469.1080"), and at
        the foot."""
        (i, m), label = chain[0], chain[0][1].group(1)
        if len(chain) > 1 or not _lone_label(m) or int(label) != last + 1:
            return False
        if any(ln.strip() for _, ln in column[self._note_end(column, i) :]):
            return False
        above = "\n".join(ln for _, ln in column[:i])
        return any(run == label for run, _, _, _ in _runs(above))

    def _note_like(self, chain: list, column: Numbered) -> bool:
        """A chain of one is a note only when it sits apart (a blank line above it) or at
        the foot of its column; a lone "3 Results" heading mid-page is body text. Rows of
        figures ("1 0 0 0", a table or program output) and a table of contents' entries are
        no notes."""
        rows = sum(1 for _, m in chain if _FIGURES.match(m.group(2) or ""))
        if rows * 2 >= len(chain) or _contents(chain, column):
            return False
        if len(chain) > 1:
            return not _numbered_code(chain)
        i = chain[0][0]
        above = column[i - 1][1].strip() if i > 0 else ""
        rest = [ln for _, ln in column[i + 1 :] if ln.strip()]
        over = next((ln.strip() for _, ln in reversed(column[:i]) if ln.strip()), "")
        label = column[i][1].strip()
        if label.isdecimal() and over.isdecimal() and int(over) > int(label):
            return False  # a number alone under a greater one: a table's cells ("2", "1")
        return not above or len(rest) <= 6

    def _note_end(self, column: Numbered, i: int) -> int:
        """Where the last note of a chain ends: the foot of the column, or a blank line
        followed by something that is no continuation (two blank lines, a new paragraph;
        the rest of a URL broken at the line's end is one)."""
        j = i + 1
        while j < len(column):
            if not column[j][1].strip():
                k = j
                while k < len(column) and not column[k][1].strip():
                    k += 1
                if k == len(column):
                    return k
                mended = k - j == 1 and continues_url(column[j - 1][1].strip(), column[k][1])
                if not mended and (k - j >= 2 or not column[i][1].strip().isdecimal() or j > i + 1):
                    return j
            j += 1
        return j

    def _carried_over(self, column: Numbered, first: int) -> list[int]:
        """Lines just above a page's first note, set apart from the body by a gap of blank
        lines, that are not body text: the end of a note carried over from the last page."""
        j = first
        while j > 0 and column[j - 1][1].strip():
            j -= 1
        gap, k = 0, j
        while k > 0 and not column[k - 1][1].strip():
            gap, k = gap + 1, k - 1
        block = list(range(j, first))
        return block if block and gap >= 3 and k > 0 else []

    def _body(self, lines: Numbered, late: dict[str, int]) -> None:
        """The paragraphs of a column's body; labels `late` (from the page before) may be
        called in the first only: then they are back to their count on this page."""
        para: Numbered = []
        for n, line in [*lines, (0, "")]:
            h = _HEADING.match(line)
            # a line that goes on with the sentence above ("again in spring" / "2016.375
            # According to ...") is no heading, nor one that opens with the next marker after
            # a sentence's end (PDFium puts a raised number at the next line's start)
            goes_on = bool(para) and bool(re.search(r"[^\W\d_]$|,$", para[-1][1].rstrip()))
            if h and not _is_quantity(line) and not goes_on and not self._opens_marked(h, para):
                self.headings.append(Heading(h.group(1), h.group(2).strip(), self._loc(n)))
                line = ""
            if line.strip():
                para.append((n, line))
            elif para:
                self._paragraph(para)
                for label, count in late.items():
                    self.sequence.available[label] = min(self.sequence.available[label], count)
                late = {}
                para = []

    def _opens_marked(self, heading: re.Match[str], para: Numbered) -> bool:
        """Whether a heading-like line opens with the next marker, its note on the page,
        after a line that ends a sentence."""
        expected = str(self.sequence.expected)
        after_stop = bool(para) and para[-1][1].rstrip()[-1:] in _STOP
        return after_stop and heading.group(1) == expected and self.sequence.available[expected] > 0

    def _paragraph(self, para: Numbered) -> None:
        index = len(self.paragraphs)
        text = ""
        lines = ["", *(line for _, line in para), ""]
        for k, (n, line) in enumerate(para):
            lone = not (_aligned(line, lines[k]) or _aligned(line, lines[k + 2]))
            after_stop = lines[k].rstrip()[-1:] in _STOP and bool(lines[k].strip())
            clean, found = self._markers(line.strip(), lone, after_stop)
            base = len(text) + (1 if text else 0)
            for label, offset in found:
                self.markers.append(Marker(label, self._loc(n), index, base + offset))
            text = f"{text} {clean}" if text else clean
        for _, url in find_urls(text):
            self.urls.append(UrlRef(url, self._loc(para[0][0])))
        self.paragraphs.append(Paragraph(text, self._loc(para[0][0])))

    def _markers(
        self, line: str, lone: bool = True, after_stop: bool = False
    ) -> tuple[str, list[tuple[str, int]]]:
        """The line without its markers, and (label, offset) of each marker (`lone`: numbers
        alone on the line may be markers; `after_stop`: the line above ended a sentence, so
        digits opening this one may be its marker)."""
        out, found, pos = "", [], 0
        runs = _runs(line, lone)
        opening = _OPENING.match(line) if after_stop else None
        if opening and not any(start == 0 for _, start, _, _ in runs):
            runs.insert(0, (opening.group(1), 0, opening.end(1), "spaced"))
        for run, start, end, kind in runs:
            if start < pos:
                continue
            got, start = self._call(line, run, start, kind)
            if not got:
                continue
            out += line[pos:start].rstrip(" ")
            found += [(label, len(out)) for label in got]
            pos = end
        return out + line[pos:], found

    def _call(self, line: str, run: str, start: int, kind: str) -> tuple[list[str], int]:
        """The labels `run` (at `start` in `line`) calls, and where the marker starts: the
        whole run, or its tail when that is the next label and its note is on this page
        ("Eth215": Eth2 and note 15, "UL 46002": UL 4600 and note 2)."""
        strict = kind != "glued"
        if strict and _counted(line, start):
            return [], start
        got = self.sequence.labels(run, strict)
        if got or "," in run or kind == "spaced":
            return got, start
        want = str(self.sequence.expected)
        head = len(run) - len(want)
        # a glued run keeps a short head ("Eth2"), a number glued to a label a long one
        if run.endswith(want) and (0 < head <= 2 if len(run) < 5 else head >= 3):
            tail = self.sequence.labels(want, strict=True)
            return tail, start + len(run) - len(want)
        return [], start

    def document(self) -> Document:
        """Second pass (the bodies), then the Document. The endnotes section counts when
        the body's markers call most of its labels; else it is a numbered list (references,
        say) and is read again as body text."""
        ends = self.notes[self.endnotes :] if self.endnotes is not None else []
        self._bodies(ends, [p.bodies for p in self.pages])
        if ends:
            called = {m.label for m in self.markers}
            if sum(n.label in called for n in ends) * 2 < len(ends):
                del self.notes[self.endnotes or 0 :]
                self._bodies([], [p.with_endnotes for p in self.pages])
        notes = []
        for note in self.notes:
            text = join_lines(note.lines)
            urls = tuple(dict.fromkeys(u for _, u in find_urls(text)))
            notes.append(Note(note.label, text, self._loc(note.line), urls))
        return Document(
            self.source,
            "pdftext",
            tuple(notes),
            tuple(self.markers),
            tuple(self.paragraphs),
            tuple(self.headings),
            tuple(self.urls),
        )

    def _bodies(self, endnotes: list[_Note], bodies: list[list[Numbered]]) -> None:
        """Paragraphs, headings, markers and URLs of every page. Footnotes sit on their
        marker's page; endnotes count as on every page, those a little ahead of the last."""
        self.markers, self.paragraphs, self.headings, self.urls = [], [], [], []
        self.sequence = MarkerSequence(on_page_only=not endnotes)
        labels = [n.label for n in endnotes]
        for k, (page, columns) in enumerate(zip(self.pages, bodies, strict=True)):
            ahead = [e for e in labels if 0 < int(e) - self.sequence.last <= 5]
            # a note may be pushed to the next page (it starts there, after its marker)
            pushed = self.pages[k + 1].labels[:2] if k + 1 < len(self.pages) else []
            # or its marker pushed to the next page's first paragraph ("sequence.8" there)
            expected = str(self.sequence.expected)
            here = page.labels + pushed + ahead
            late = (
                {expected: here.count(expected)}
                if k and expected in self.pages[k - 1].labels
                else {}
            )
            self.sequence.page([*late, *here])
            for c, body in enumerate(columns):
                self._body(body, late if c == 0 else {})


def _starts(column: Numbered, last: int) -> list[tuple[int, re.Match[str]]]:
    """The lines that may start a note. A label glued to a number that opens its note's
    text ("82048 = 2^11" under note 7, "512/3/18 Letter" for note 5 when no space was kept)
    is read as the label after the one just above (or, for the column's first, after the
    last note read), when no line below starts with that label."""
    plain = [(i, _NOTE_START.match(ln)) for i, (_, ln) in enumerate(column)]
    last_at = {n.group(1): i for i, n in plain if n}  # the last line starting with a label
    starts: list[tuple[int, re.Match[str]]] = []
    for i, m in plain:
        near = bool(starts) and i - starts[-1][0] <= 6
        if m is None:
            want = str(int(starts[-1][1].group(1)) + 1 if near else last + 1)
            line = column[i][1]
            text = line.lstrip()
            rest = text[len(want) :]
            indent = len(line) - len(text)
            glued = indent <= 12 and text.startswith(want) and rest[:1].isdecimal()
            # the first with no note above to follow: a date opens its text
            dated = near or bool(re.match(r"[1-9]\d?/\d", rest))
            free = all(st.group(1) != want for _, st in starts)
            if glued and dated and free and " " in rest and last_at.get(want, -1) < i:
                m = _NOTE_START.match(f"{line[:indent]}{want} {rest}")
        if m is not None:
            starts.append((i, m))
    return starts


def _unglue_last_label(column: Numbered) -> Numbered:
    """The column with a label glued to the end of its last line set on a line of its own
    (see `glued_last_label`)."""
    starts = [int(m.group(1)) for _, ln in column if (m := _NOTE_START.match(ln))]
    found = glued_last_label([ln for _, ln in column], starts)
    if found is None:
        return column
    k, at = found
    n, line = column[k]
    return [*column[:k], (n, line[:at]), (n, line[at:].strip()), *column[k + 1 :]]


def _contents(chain: list, column: Numbered) -> bool:
    """Whether a chain is entries of a table of contents: most of its entries reach a dot
    leader ("Obstructive Acts . . . . 162") on their line or the two after it, or the column
    is a contents page (a quarter of its lines have leaders)."""
    leader = [any(_LEADER.search(ln) for _, ln in column[i : i + 3]) for i, _ in chain]
    lines = [ln for _, ln in column if ln.strip()]
    leaders = sum(1 for ln in lines if _LEADER.search(ln))
    return sum(leader) * 2 > len(leader) or (leaders >= 3 and leaders * 4 >= len(lines))


def _lone_label(m: re.Match[str]) -> bool:
    """Whether a note start is a number alone on its line."""
    return not (m.group(2) or m.group(3) or m.group(4))


def _numbered_code(chain: list) -> bool:
    """Whether a chain is a code listing's line numbers: a number with nothing after it
    (an empty line of code) directly followed by the next number."""
    with_text = sum(1 for _, m in chain if m.group(2) or m.group(3) or m.group(4))
    empty_line = with_text >= 0.7 * len(chain) and any(
        not (m.group(2) or m.group(3) or m.group(4)) and chain[k + 1][0] == i + 1
        for k, (i, m) in enumerate(chain[:-1])
    )
    # right-aligned numbers with code after them: " 9 x = 1" and "10 y = 2" (footnote
    # labels are right-aligned too, but printed apart from their text or with prose)
    ends = {m.end(1) for _, m in chain}
    widths = {len(m.group(1)) for _, m in chain}
    right_aligned = len(widths) > 1 and len(ends) == 1 and with_text >= 0.7 * len(chain)
    return empty_line or right_aligned


def _after_word(text: str, start: int) -> bool:
    """Whether digits at `start` follow a word ("systems1", "polka 1 .") or its closing
    punctuation, not a variable's subscript ("x1", "δ1", "logP1")."""
    if start > 1 and text[start - 1] == " ":  # set apart from the word ("polka 1 .")
        return text[start - 2].isalpha()
    if start > 1 and text[start - 1].isalpha():
        return text[start - 1].islower() and text[start - 2].isalpha()
    return start > 0 and text[start - 1] in ').,;:’”"'


def _stacked(text: str, start: int, end: int) -> bool:
    """Whether the numbers alone on their line at `start` have another such line just above
    or below them (see `_aligned`)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    before = text[: max(line_start - 1, 0)].rsplit("\n", 1)[-1] if line_start else ""
    after = text[line_end + 1 :].split("\n", 1)[0] if line_end >= 0 else ""
    return _aligned(line, before) or _aligned(line, after)


def _aligned(line: str, other: str) -> bool:
    """Whether two lines of numbers alone have numbers in the same column (starting or
    ending there): a table's column or a code listing's line numbers, not markers. Markers
    of blacked-out text are left where each line's text ended, out of line."""
    if not (_numbers_only(line) and _numbers_only(other)):
        return False
    if line[:1].strip() and other[:1].strip():
        return False  # no layout kept (plain pdftotext): columns say nothing
    here = [(m.start(), m.end()) for m in re.finditer(r"\d+", line)]
    there = [(m.start(), m.end()) for m in re.finditer(r"\d+", other)]
    return any(a == c or b == d for a, b in here for c, d in there)


def _numbers_only(line: str) -> bool:
    return bool(line.strip()) and all(word.isdecimal() for word in line.split())


def _counted(line: str, start: int) -> bool:
    """Whether the number at `start` follows a word that counts it ("Figure 3", "step 2")."""
    words = line[:start].split()
    return bool(words) and words[-1].strip("(,").lower().rstrip(".") in _COUNTED


def _is_quantity(line: str) -> bool:
    """ "2 Million households ..." reads as a heading by its shape; a unit says otherwise."""
    return bool(re.match(r"^\s*\d+\s+(?:million|billion|thousand|percent|per cent)\b", line, re.I))


def _runs(text: str, lone: bool = True) -> list[tuple[str, int, int, str]]:
    """Digit runs that may be markers, in order: (run, start, end, kind), where "spaced"
    and "number" runs need their note on the page, and only "glued" and "number" ones may
    end in a label ("Eth215", "46002")."""
    found = [
        (m.group(1), m.start(1), m.end(1), kind)
        for pattern, kind in (
            (_GLUED, "glued"),
            (_SPACED, "spaced"),
            (_AFTER_NUMBER, "spaced"),
            (_STOP_GLUED, "spaced"),
            (_BETWEEN_WORDS, "spaced"),
            (_SPACED_MARK, "glued"),
            (_SPACED_WORD, "spaced"),
            (_AFTER_COMMA, "spaced"),
            (_SPACED_CLAUSE, "spaced"),
            (_NUMBER_GLUED, "number"),
        )
        for m in pattern.finditer(text)
        if pattern is not _AFTER_NUMBER or not _section_number(text, m.start(1))
    ]
    found += [
        (d.group(), m.start(1) + d.start(), m.start(1) + d.end(), "spaced")
        for m in _GAPPED.finditer(text)
        for d in re.finditer(r"\d+", m.group(1))
    ]
    found += [(*run, "spaced") for run in (_lone(text) if lone else [])]
    return sorted(found, key=lambda r: r[1])


def _section_number(text: str, start: int) -> bool:
    """Whether the digits at `start` end a section number alone on its line ("2.1")."""
    line_start = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return bool(
        re.fullmatch(r"\s*\d+(?:\.\d+)+\.?\s*", text[line_start : end if end >= 0 else None])
    )


def _opens_note(column: Numbered, start: tuple[int, re.Match[str]]) -> bool:
    """Whether a note start's text (on its line, or the next when the number stands alone)
    opens as a note does: glued to its label, or not in lower case (code, math)."""
    i, m = start
    if m.group(4):
        return True  # the label glued to a word ("10which can"), as a raised label prints
    text = m.group(2) or m.group(3)
    if text is None:
        text = next((ln.strip() for _, ln in column[i + 1 : i + 3] if ln.strip()), "")
    return not text[:1].islower()


def _lone(text: str) -> list[tuple[str, int, int]]:
    """Numbers alone on their line, going up ("11      12": two markers whose words are
    blacked out), unless the lines around hold numbers too (a code listing's line numbers, a
    table's column)."""
    found = []
    for line in _LONE.finditer(text):
        numbers = [
            (m.group(), line.start() + m.start(), line.start() + m.end())
            for m in re.finditer(r"\d+", line.group())
        ]
        values = [int(n) for n, _, _ in numbers]
        close = any(b - a < 3 for (_, _, a), (_, b, _) in pairwise(numbers))
        if close and any(y != x + 1 for x, y in pairwise(values)):
            continue  # "4 12": a row of figures
        if values != sorted(set(values)) or _stacked(text, line.start(), line.end()):
            continue
        if not _amid_fragments(text, line.start(), line.end()):
            found += numbers
    return found


def _amid_fragments(text: str, start: int, end: int) -> bool:
    """Whether the numbers alone on their line at `start` sit between short fragments (the
    nearest lines of words above and below both short): a formula's or a table's cells as
    text without layout prints them ("|) >" / "2" / "3" / "N then"), not blacked-out prose."""
    above = [ln.strip() for ln in text[:start].split("\n")]
    below = [ln.strip() for ln in text[end:].split("\n")]
    near = [
        next((ln for ln in reversed(above) if ln and not _numbers_only(ln)), None),
        next((ln for ln in below if ln and not _numbers_only(ln)), None),
    ]
    return all(ln is not None and len(ln) < 20 for ln in near)
