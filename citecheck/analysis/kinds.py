"""Note kinds (citation, explanatory, unpublished, ibid), ibid resolution, locators."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import partial

from citecheck.analysis import Fact
from citecheck.analysis.cues import Cued
from citecheck.analysis.legal import LegalCitations, legal_citations
from citecheck.analysis.memo import Memo, note_key
from citecheck.models import Identifier, Note, NoteKind, Rule
from citecheck.urls import is_homepage

_IBID = re.compile(r"^\s*(?:ibid\b\.?|ibidem\b\.?|id\.(?=\s|,|$))", re.IGNORECASE)
_OP_CIT = Cued(r"\b(?:op\.?\s*cit|loc\.?\s*cit)\b\.?", ("cit",))
_UNPUBLISHED = Cued(
    r"\b(?:contribution (?:from|to|by)|(?:'s|s'|\w+) contribution\b|"
    r"responses? (?:provided|to|from)|"
    r"questionnaire responses?|document circulated|circulated (?:in|among|to)|"
    r"personal (?:communication|correspondence|contribution)|private correspondence|"
    r"interview (?:with|by)|internal (?:document|report|memo)|unpublished|"
    r"on file with)\b",
    # a word of each alternative
    (
        *("contribution", "respons", "questionnaire", "circulated", "personal"),
        *("correspondence", "interview", "internal", "unpublished", "on file"),
    ),
)
# Signs that a note cites a published work, when it has no URL.
_BIBLIOGRAPHIC = re.compile(
    r"\((?:19|20)\d\d[a-z]?\)|\*[^*]{4,}\*|\b(?:pp?\.|P\.)\s?\d|\bet al\.|"
    r"\b(?:Report|Review|Journal|Proceedings|Press Release|Bulletin|Vol\.|Act \d{4}|"
    r"Gazette|Official Journal)\b|^\s*(?:Directive|Regulation|Decision)\b|"
    r"^\s*(?:[A-Z][\w'’-]+,\s+[A-Z][\w.'’-]*(?:\s+(?:and|&)\s+)?)+",
    re.MULTILINE,
)
# Locators other than a URL: DOI, ISBN, ISSN, ECLI, CELEX, Official Journal reference, arXiv.
_LOCATOR = re.compile(
    r"\b(?:doi:\s*|10\.\d{4,9}/)\S+|\bISBN[\s:-]*[\dXx-]{10,17}|\bISSN[\s:-]*\d{4}-?\d{3}[\dXx]|"
    r"\bECLI:\S+|\bCELEX[:\s]*\S+|\bOJ\s+(?:[CL]\s+)?\d{4}|\bOJ\s+[CL]\s+\d+|\barXiv:\S+",
    re.IGNORECASE,
)


def classify(notes: tuple[Note, ...], memo: Memo | None = None) -> tuple[Note, ...]:
    """The notes with `kind` set and ibid notes resolved (inheriting the cited URLs); each
    note's own kind as `memo` recorded it for the same text and URLs, or judged."""
    memo = memo if memo is not None else Memo()
    out: list[Note] = []
    for note in notes:
        kind = _memo_kind(memo, note, True)
        target = _ibid_target(note, out) if kind is NoteKind.IBID else None
        if kind is NoteKind.IBID and target is None and _legal_short_form(note):
            kind = _memo_kind(memo, note, False)  # unresolved: judged as written, no ibid
        if kind is NoteKind.IBID:
            ibid_of = target.label if target else None
            urls = note.urls or (target.urls if target else ())
            note = classified_note(note, kind, ibid_of, urls, note.identifiers)
        else:
            note = classified_note(note, kind, note.ibid_of, note.urls, note.identifiers)
        out.append(note)
    return tuple(out)


_NOTE = ("label", "text", "location", "urls", "kind", "ibid_of", "identifiers", "style")
_PLAIN = tuple(f.name for f in dataclasses.fields(Note)) == _NOTE  # else: replace(), slower


def classified_note(
    note: Note,
    kind: NoteKind | None,
    ibid_of: str | None,
    urls: tuple[str, ...],
    identifiers: tuple[Identifier, ...],
) -> Note:
    """`note` with what the analysis sets (built directly: twice as fast as replace(), which
    is what it falls back to should Note have other fields)."""
    if not _PLAIN:
        return dataclasses.replace(
            note, kind=kind, ibid_of=ibid_of, urls=urls, identifiers=identifiers
        )
    return Note(note.label, note.text, note.location, urls, kind, ibid_of, identifiers, note.style)


def _memo_kind(memo: Memo, note: Note, short_forms: bool) -> NoteKind:
    """`_kind(note, short_forms)`, which depends on the text, URLs and whether the note has
    identifiers (they are found in the text and URLs, unless given otherwise: in the field
    name)."""
    field = f"kind{'' if short_forms else '0'}{'i' if note.identifiers else ''}"
    key = note_key(note.text, note.urls)
    return _KINDS[memo.get("note", key, field, partial(_kind_value, note, short_forms))]


_KINDS = {kind.value: kind for kind in NoteKind}  # NoteKind(value), a third of the time


def _kind_value(note: Note, short_forms: bool) -> str:
    return _kind(note, short_forms).value


def _legal_short_form(note: Note) -> bool:
    """The note repeats a legal citation in short form ("Brown, supra note 3", "Brown, 347
    U.S. at 495") and cites nothing else."""
    return legal_citations(note.text).only_short_forms and not (note.urls or note.identifiers)


def _kind(note: Note, short_forms: bool = True) -> NoteKind:
    if _IBID.match(note.text) or _OP_CIT.search(note.text):
        return NoteKind.IBID
    legal = legal_citations(note.text)
    if short_forms and _legal_short_form(note):
        return NoteKind.IBID
    if _UNPUBLISHED.search(note.text):
        return NoteKind.UNPUBLISHED
    if (
        note.urls
        or note.identifiers
        or legal.full
        or legal.short
        or _LOCATOR.search(note.text)
        or _BIBLIOGRAPHIC.search(note.text)
    ):
        return NoteKind.CITATION
    return NoteKind.EXPLANATORY


def _ibid_target(note: Note, earlier: list[Note]) -> Note | None:
    """ "Ibid"/"Id." point to the nearest earlier citation; "Author, op. cit." to the nearest
    earlier citation that names the author; a legal short form to the full citation it
    repeats (`_legal_target`)."""
    # Lazily, nearest first: building the whole list for every ibid made classify
    # quadratic in the number of notes (8 s at 10,000 notes, one in six an "Ibid.").
    cited = (
        n
        for n in reversed(earlier)
        if n.kind in (NoteKind.CITATION, NoteKind.UNPUBLISHED)
        or (n.kind is NoteKind.IBID and n.ibid_of)
        or n.urls
    )
    if _IBID.match(note.text):
        nearest = next(cited, None)
        return _resolve(nearest, earlier) if nearest is not None else None
    legal = legal_citations(note.text)
    if legal.only_short_forms:
        return _legal_target(legal, cited)
    author = _OP_CIT.pattern.split(note.text)[0].strip(" ,;:")
    if not author:
        return None
    first_word = re.split(r"[\s,]+", author)[0].lower()
    for n in cited:
        if first_word and first_word in n.text.lower() and n.kind is not NoteKind.IBID:
            return n
    return None


def _legal_target(legal: LegalCitations, cited: Iterator[Note]) -> Note | None:
    """The earlier note a legal short form repeats: for `347 U.S. at 495` the nearest full
    citation of volume 347 of U.S.; for `Brown, supra` the nearest citation naming Brown."""
    for n in cited:
        if n.kind is NoteKind.IBID:
            continue
        full = legal_citations(n.text)
        if any(full.cites(volume, reporter) for volume, reporter in legal.short):
            return n
        names = [name.lower() for name in legal.supra if name]
        if names and any(name in n.text.lower() for name in names):
            return n
    return None


def _resolve(note: Note, earlier: list[Note]) -> Note:
    """Follow an ibid chain to the citation it ends at (searching back from the end: the
    note cited is near, and a label used twice means its nearer occurrence). A chain that
    comes back to a note (an "Ibid." labelled as the note it follows) ends there."""
    seen: set[int] = set()
    while note.kind is NoteKind.IBID and note.ibid_of and id(note) not in seen:
        seen.add(id(note))
        note = next(n for n in reversed(earlier) if n.label == note.ibid_of)
    return note


def check(notes: tuple[Note, ...], memo: Memo | None = None) -> list[Fact]:
    memo = memo if memo is not None else Memo()
    facts: list[Fact] = []
    for note in notes:
        facts += _note_facts(note, memo)
    return facts


def _note_facts(note: Note, memo: Memo) -> list[Fact]:
    loc, label = note.location, note.label
    if note.kind is NoteKind.IBID and note.ibid_of is None:
        return [
            Fact(
                Rule.UNRESOLVED_IBID,
                f"note {label} says {_ibid_cue(note.text)!r} but no "
                "earlier citation can be identified",
                loc,
                label,
            )
        ]
    facts = []
    if note.kind is NoteKind.UNPUBLISHED:
        facts.append(
            Fact(
                Rule.UNPUBLISHED_SOURCE,
                f"note {label} cites an unpublished source: {_clip(note.text)}",
                loc,
                label,
            )
        )
    key = note_key(note.text, note.urls)
    if (
        note.kind is NoteKind.CITATION
        and not (note.urls or note.identifiers)
        and not memo.get("note", key, "locator", partial(_has_locator, note.text))
    ):
        facts.append(
            Fact(
                Rule.NO_LOCATOR,
                f"note {label} cites a published work without a URL, "
                f"DOI or other locator: {_clip(note.text)}",
                loc,
                label,
            )
        )
    home = bool(note.urls) and memo.get("note", key, "homepages", partial(_homepages, note.urls))
    if home:
        sites = ", ".join(dict.fromkeys(note.urls))
        facts.append(
            Fact(
                Rule.HOMEPAGE_ONLY,
                f"note {label} cites only a home page ({sites}), not the document itself",
                loc,
                label,
                url=note.urls[0],
            )
        )
    return facts


def _has_locator(text: str) -> bool:
    """A DOI, ISBN or other locator, or a legal citation, in `text`."""
    return _LOCATOR.search(text) is not None or _legal_locator(text)


def _homepages(urls: tuple[str, ...]) -> bool:
    return all(is_homepage(u) for u in urls)


def _legal_locator(text: str) -> bool:
    """A case or statute citation (a short one too: `347 U.S. at 495`) locates the work."""
    legal = legal_citations(text)
    return bool(legal.full or legal.short)


def _ibid_cue(text: str) -> str:
    """The words that make a note an ibid ("Ibid.", "Id.", "op. cit.")."""
    m = _IBID.match(text) or _OP_CIT.search(text)
    return m.group(0).strip() if m else text.split()[0]


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
