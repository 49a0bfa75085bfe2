"""Finding reference lists and endnote sections among a Document's paragraphs, and cutting
them into entries (one paragraph each in most formats; in PDF text, lines to be joined)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from citecheck.models import Document, Paragraph
from citecheck.readers.common import is_page_number
from citecheck.styles import entries, headings, names
from citecheck.styles.headings import ListKind

# Formats whose paragraphs are lines or fragments of lines: an entry may run over several.
FRAGMENTED = frozenset({"pdf", "pdftext", "text"})
_STOP = re.compile(
    r"^(?:appendix|appendices|annex|annexes|annexe|anexo|anexos|anhang|appendice|bijlage|"
    r"glossary|index|acknowledge?ments?|about the authors?|figures?|tables?)\b",
    re.IGNORECASE,
)
ENTRY_SHARE = 0.6  # of a section's entries that must look like entries for it to be a list
# The next entry's number inside a line of PDF text: "... 1996. [4] P. Barford", "2016. 3. World"
_BRACKETED_INSIDE = re.compile(r"(?<=\s)\[(\d{1,4})\]\s")
_DOTTED_INSIDE = re.compile(rf"(?<=\s)(\d{{1,4}})\.\s+(?=[{names.UPPER}])")
_AUTHOR_INSIDE = re.compile(
    rf"(?<=[.”\"\w/)])\s+(?={names.PARTICLE}*{names.NAME_WORD}(?:[\s-]{names.NAME_WORD})?,\s+"
    rf"(?:[^.]|(?<=[{names.UPPER}])\.){{1,80}}?[.,]?\s+\(?{names.DATE}\)?[.,])"
)


@dataclass(frozen=True)
class Section:
    """A list: its kind, the heading's paragraph index, the entries' paragraph indices, and
    each entry as (text, index of the paragraph it starts in)."""

    kind: ListKind
    heading: int
    paragraphs: range
    items: tuple[tuple[str, int], ...]


def find(document: Document) -> list[Section]:
    """Every reference list and endnote section, in document order."""
    paras = document.paragraphs
    heads = {(h.location, h.title.strip()) for h in document.headings}
    out = []
    for i, para in enumerate(paras):
        kind = headings.kind(para.text)
        if kind is None:
            continue
        end = i + 1
        while end < len(paras) and not _ends(paras[end], heads):
            end += 1
        fragmented = document.format in FRAGMENTED
        if not fragmented:
            end = _numbered_end(paras, i + 1, end)
        items = _items(paras, range(i + 1, end), fragmented)
        # a list with no paragraphs may hold the reader's notes (a text report's "[1] ...")
        if (items and _looks_like_list(items)) or (not items and kind is ListKind.REFERENCES):
            out.append(Section(kind, i, range(i + 1, end), tuple(items)))
    return out


def _numbered_end(paras: tuple[Paragraph, ...], start: int, end: int) -> int:
    """Where a numbered list ends in a format whose entries are whole paragraphs: at the
    first paragraph without a number (the text goes on after the list)."""
    first = next((i for i in range(start, end) if paras[i].text.strip()), None)
    if first is None or entries.number(paras[first].text)[0] is None:
        return end
    for i in range(first, end):
        text = paras[i].text.strip()
        if text and entries.number(text)[0] is None and not is_page_number(text):
            return i
    return end


def _ends(para: Paragraph, heads: set) -> bool:
    text = para.text.strip()
    if headings.kind(text) is not None or (len(text) < 80 and _STOP.match(text)):
        return True
    return any(loc == para.location and title and text.endswith(title) for loc, title in heads)


def _items(paras: tuple[Paragraph, ...], span: range, fragmented: bool) -> list[tuple[str, int]]:
    items: list[list] = []
    for index in span:
        text = paras[index].text.strip()
        if not text or is_page_number(text):
            continue
        if not fragmented or not items or _starts_entry(text, items):
            items.append([text, index])
        else:
            items[-1][0] += " " + text
    out: list[tuple[str, int]] = []
    for text, index in items:
        out += [(part, index) for part in _split(text)]
    return out


def _starts_entry(text: str, items: list[list]) -> bool:
    label, _ = entries.number(text)
    if label is not None:
        previous, _ = entries.number(items[-1][0])
        if previous is None or int(label) == 1:
            return True
        if text.lstrip().startswith("["):  # "[15]" at a line's start: an entry, gaps or not
            return int(label) >= int(previous)
        return int(previous) <= int(label) <= int(previous) + 1
    return (entries.parse(text).authors > 0 and text[:1].isupper()) or entries.is_ditto(text)


def _split(text: str) -> list[str]:
    """Entries run together on one line of PDF text: "[3] ... 1996. [4] P. Barford ..."."""
    label, _ = entries.number(text)
    if label is not None:
        inside = _BRACKETED_INSIDE if text.lstrip().startswith("[") else _DOTTED_INSIDE
        cuts, expected = [], int(label) + 1
        for m in inside.finditer(text):
            if int(m.group(1)) == expected:
                cuts.append(m.start(1) - (1 if inside is _BRACKETED_INSIDE else 0))
                expected += 1
    else:
        cuts = []
        for m in _AUTHOR_INSIDE.finditer(text):
            # each piece must hold its date: "García | Márquez, G. (2015)" is one name
            since = cuts[-1] if cuts else 0
            if not _joins(text[: m.start()]) and names.find_date(text[since : m.start()]):
                cuts.append(m.end())
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def _joins(before: str) -> bool:
    """Whether text ends with a word that joins authors ("Smith, J. and | Jones, A. 2015")."""
    words = before.split()
    return bool(words) and words[-1].casefold() in _JOINERS


_JOINERS = frozenset({"and", "&", "und", "et", "y", "e", "en", "with", "in", "by", "eds.", "ed."})


def _looks_like_list(items: list[tuple[str, int]]) -> bool:
    shaped = 0
    for text, _ in items:
        entry = entries.parse(text)
        shaped += bool(
            entry.number
            or entry.authors
            or "http" in text
            or "www." in text
            or entries.is_ditto(text)
        )
    return shaped >= ENTRY_SHARE * len(items)
