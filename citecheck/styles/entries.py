"""Reference-list entries: their number, or the surnames and date they are cited by."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citecheck.styles import names

# "[12] ...", "12. ...", "12) ...", "(12) ..." at the start of an entry.
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)])\s*")
_INITIALS = re.compile(rf"^(?:[{names.UPPER}](?:\.|\b)[\s.-]*)+$|^[{names.UPPER}]{{1,3}}$")
_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b(?!\s+al)|\by\b|\be\b|\ben\b)\s*")
_WORD = re.compile(rf"{names.PARTICLE}*{names.NAME_WORD}")
MAX_AUTHORS_TEXT = 300  # characters before the date: more is a title, not a list of names


@dataclass(frozen=True)
class Entry:
    """What an entry is cited by. `first` holds the folded words of the first author's
    surname (or the organisation's name), `words` every folded name word before the date."""

    number: str | None
    first: tuple[str, ...]
    words: frozenset[str]
    authors: int  # how many authors the entry names (0: not an author-date entry)
    date: str  # names.date_key of its date, "" when it has none
    label: str  # how the entry is shown and called: "Smith and Jones 2015a"
    acronym: str = ""  # initials of an organisation's name ("OECD")


def number(text: str) -> tuple[str | None, str]:
    """(the entry's own number, its text after the number), or (None, text)."""
    m = _NUMBER.match(text)
    if not m:
        return None, text
    return next(g for g in m.groups() if g), text[m.end() :]


@lru_cache(maxsize=8192)
def parse(text: str) -> Entry:
    """The entry as cited: its number, and the authors and date it begins with."""
    label, rest = number(text)
    date = names.find_date(rest[: MAX_AUTHORS_TEXT + 40])
    head = rest[: date.start()] if date else ""
    if not date or not _only_names(head):
        return Entry(label, (), frozenset(), 0, "", label or "")
    authors = _authors(head)
    if not authors:
        return Entry(label, (), frozenset(), 0, "", label or "")
    key = names.date_key(date.group(0))
    first = tuple(names.significant(_WORD.findall(authors[0])))
    words = frozenset(names.significant(_WORD.findall(head)))
    shown = _shown(authors, date.group(0).strip())
    return Entry(label, first, words, len(authors), key, shown, _acronym(head))


def _only_names(head: str) -> bool:
    """Whether the text before the date is names only, as author-date styles put it: no
    title (quoted, or in running lower-case words), no URL, no publisher's "Place:"."""
    if len(head) > MAX_AUTHORS_TEXT or "http" in head or ":" in head or _QUOTES.search(head):
        return False
    lower = [w for w in re.findall(r"\b[^\W\d_A-Z][^\W\d_]*\b", head) if w not in _NAME_LINKS]
    return len(lower) <= 1 and not re.search(r"\d", head)


_QUOTES = re.compile(r"[‘“\"«»„*_]|(?<!\w)'")
# Lower-case words an author list or an organisation's name holds.
_NAME_LINKS = frozenset(
    """
    and und et y e en al of for the on de des du la le van von der den del della di da dos das
    ten ter zu eds ed hrsg dir coord org comp et al with
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _authors(head: str) -> list[str]:
    """The surnames (or organisation names) in the text before an entry's date."""
    head = re.sub(
        r"\((?:eds?|hrsg|dir|coord|org|comp)s?\.?\)|\beds?\.(?=\s|$)", " ", head, flags=re.I
    )
    head = re.sub(r"\bet\s+al\b\.?", ", et al", head)
    chunks = [c.strip(" .()[]") for c in _SPLIT.split(head.strip(" .,(["))]
    out: list[str] = []
    inverted = False  # "Smith, J." (surname first) rather than "John Smith"
    for i, chunk in enumerate(c for c in chunks if c):
        if chunk == "et al":
            out.append("et al")
            continue
        if out and _INITIALS.match(chunk):
            inverted = inverted or len(out) == 1
            continue
        words = _name_words(chunk)
        if not words:
            continue
        if not out:
            inverted = len(words) < len(_WORD.findall(chunk))  # "Smith JA": initials follow
            several = len(words) > 1  # an organisation or a compound surname, as written
            out.append(re.sub(r"\s*[(\[][^)\]]*[)\]]", "", chunk) if several else words[0])
        elif i == 1 and len(out) == 1 and not inverted and _given(chunk):
            continue  # "Smith, John, and Alan Jones": John is the first author's given name
        else:
            out.append(" ".join(words) if inverted else words[-1])
    return [a for a in out if a != "et al"] + (["et al"] * ("et al" in out))


def _name_words(chunk: str) -> list[str]:
    """The words of a chunk that can be a name: Vancouver initials ("Smith JA") left out."""
    words = _WORD.findall(chunk)
    return [
        w for i, w in enumerate(words) if len(w) > 1 and not (i and w.isupper() and len(w) <= 3)
    ]


def _given(chunk: str) -> bool:
    """Whether a chunk right after the first surname is that author's given name(s)."""
    return bool(re.fullmatch(rf"(?:{names.NAME_WORD}|[{names.UPPER}]\.)(?:\s+\S+){{0,2}}", chunk))


def _shown(authors: list[str], date: str) -> str:
    people = [a for a in authors if a != "et al"]
    if len(authors) > 2:
        who = f"{people[0]} et al."
    elif len(authors) == 2:
        who = f"{people[0]} and {people[1]}" if len(people) == 2 else f"{people[0]} et al."
    else:
        who = people[0]
    return f"{who} {date}"


def _acronym(head: str) -> str:
    """The initials of an organisation's name ("OECD"), its bracketed parts left out."""
    plain = re.sub(r"[(\[][^)\]]*[)\]]", " ", head)
    found = re.findall(rf"[{names.UPPER}][^\W\d_]+(?:-[^\W\d_]+)?", plain)
    capitals = [w[0] for w in found if not w.isupper()]
    return "".join(capitals) if len(capitals) >= 2 else ""


# "———. 1980." (Chicago's rule for the previous entry's authors; PDF text may keep only ". 1980.")
_DITTO = re.compile(rf"^\s*(?:[—–_-]{{2,}}|\.(?=\s+{names.DATE}))[.,]?\s*(?P<rest>.*)$", re.S)


def is_ditto(text: str) -> bool:
    """Whether the entry repeats the previous entry's authors with a rule ("———. 1980.")."""
    return bool(_DITTO.match(text))


def with_ditto(texts: list[str], parsed: list[Entry]) -> list[Entry]:
    """The entries with those that repeat the previous authors ("———. 1980.") given them."""
    out: list[Entry] = []
    for text, entry in zip(texts, parsed, strict=True):
        m = _DITTO.match(text)
        before = out[-1] if out else None
        if m and not entry.authors and before is not None and before.authors:
            date = names.find_date(m.group("rest")[:40])
            if date is not None:
                key = names.date_key(date.group(0))
                shown = before.label.rsplit(" ", 1)[0] + " " + date.group(0).strip()
                entry = Entry(
                    None, before.first, before.words, before.authors, key, shown, before.acronym
                )
        out.append(entry)
    return out
