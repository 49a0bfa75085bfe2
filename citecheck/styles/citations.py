"""In-text citations: numbered (`[12]`, `[3, 5-7]`, superscripts) and author-date
("(Smith 2015)", "Smith et al. (2015a, p. 4)", "(World Bank 2019; Jones and Lee n.d.)").

Conservative by design: a citation is only what has the full shape of one. "(2015)" alone,
"(see section 3)", "[sic]", "Table 2", equation numbers and years in prose are not citations.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from citecheck.styles import names

MAX_RANGE = 60  # "[1-200]" is not a range of citations


@dataclass(frozen=True)
class Citation:
    """One cited work. `names` holds each named author's words as written ("van der Berg"),
    the first of which may carry words before the name in a narrative citation ("As
    Smith"); `date` is a names.date_key ("" for numbered); `number` for numbered ones."""

    start: int
    end: int
    shown: str  # as written, normalised: "Smith et al. 2015a", "12"
    number: str = ""
    names: tuple[tuple[str, ...], ...] = ()
    et_al: bool = False
    date: str = ""
    narrative: bool = False


# ---- numbered -------------------------------------------------------------------------------

_GROUP = r"\d{1,4}(?:\s*[-–—]\s*\d{1,4})?"
_BRACKET = re.compile(
    rf"(?<![\w\[])\[(?P<body>{_GROUP}(?:\s*[,;]\s*{_GROUP})*)"
    r"(?:\s*,\s*(?:pp?\.|S\.|ch\.|sec\.|§)\s*[\divxlc]+(?:\s*[-–]\s*\d+)?)?\](?!\()"
)
_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER = re.compile(rf"(?<=[^\W\d_]|[.,;:)”\"’'])[{_SUPER_DIGITS}]+(?:[,⁻˒‐-][{_SUPER_DIGITS}]+)*")
_TO_ASCII = str.maketrans(_SUPER_DIGITS + "⁻˒‐", "0123456789-,-")


def numbered(text: str, superscripts: bool = True, entries: int = 999) -> list[Citation]:
    """The numbered citations of a paragraph, ranges expanded: "[3, 5-7]" cites 3, 5, 6, 7.
    Numbers of four digits only in a list of `entries` that long ("[2015]" is a year)."""
    out: list[Citation] = []
    for m in _BRACKET.finditer(text):
        cited = _expand(m.group("body"))
        if any(len(n) > 3 and int(n) > entries for n in cited):
            continue
        out += [Citation(m.start(), m.end(), n, n) for n in cited]
    if superscripts:
        for m in _SUPER.finditer(text):
            body = m.group(0).translate(_TO_ASCII)
            out += [Citation(m.start(), m.end(), n, n) for n in _expand(body)]
    return sorted(out, key=lambda c: c.start)


def _expand(body: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"\s*[,;]\s*", body.strip()):
        ends = [p for p in re.split(r"\s*[-–—]\s*", part) if p]
        if not ends or any(e.startswith("0") for e in ends):
            return []
        first, last = int(ends[0]), int(ends[-1])
        if last < first or last - first > MAX_RANGE:
            return []
        out += [str(n) for n in range(first, last + 1)]
    return out


# ---- author-date ----------------------------------------------------------------------------

_LINK = r"(?:of|for|the|on|and|de|des|du|für|van|von)"
_NAME = rf"(?:{names.PARTICLE}*{names.NAME_WORD}(?:\s+(?:{_LINK}\s+)?{names.NAME_WORD}){{0,5}})"
_SEP = r"(?:\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|und|et|y|e|en)\s+|\s*&\s*)"
_AUTHORS = (
    rf"(?<![\w'’-])(?P<authors>{_NAME}(?:{_SEP}{_NAME}){{0,5}})"
    r"(?P<etal>\s+et\s+al\.?|\s+u\.\s?a\.)?"
)
_DATES = rf"(?P<dates>{names.DATE}(?:\s*,\s*(?:{names.DATE}|[a-h]\b))*)"
_LOCATOR = (
    r"(?:\s*[,:]\s*(?:(?:pp?|ch|chap|chapter|para|paras|sec|S|fn|n|note|at|vol)\.?\s*)?"
    r"[\divxlc]+(?:\s*[-–]\s*\d+)?(?:\s*(?:ff?|et seq)\.?)?)?"
)
_POSSESSIVE = r"(?:['’]s?)?"
_GROUP_RE = re.compile(rf"{_AUTHORS}{_POSSESSIVE},?\s+{_DATES}{_LOCATOR}\s*$")
_PAREN = re.compile(r"\(([^()]{4,400})\)|\[([^\[\]]{4,400})\]")
_NARRATIVE = re.compile(
    rf"{_AUTHORS}{_POSSESSIVE}\s+(?P<open>[(\[])\s*{_DATES}{_LOCATOR}"
    r"(?P<more>(?:\s*;\s*[^()\[\]]*)?)[)\]]"
)
_WORDS = re.compile(rf"{names.PARTICLE}*{names.NAME_WORD}")
_AUTHOR_SPLIT = re.compile(_SEP)
# Words that may stand before a name ("As Smith (2015)", "(See Smith 2015)"): left out.
_LEADING = frozenset(
    """
    see also in on at by for the a an and or of to as cf eg ie e.g i.e but while unlike like
    following according after before since both recently however thus hence although though
    compare contra pace vgl voir véase ver zie siehe
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Words no cited author's name holds: a parenthesis or narrative with one is something else
# ("June 2015", "Table 2015", "Paris Agreement 2015", "Cambridge University Press, 2015").
_NEVER = frozenset(
    """
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec janvier février avril juin juillet août
    septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto
    septiembre octubre noviembre diciembre januar februar märz juni juli oktober dezember
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre janeiro fevereiro
    março maio junho julho setembro outubro novembro dezembro januari februari maart mei
    augustus spring summer autumn fall winter monday tuesday wednesday thursday friday saturday
    sunday table tables figure figures fig figs section sections chapter chapters part parts
    appendix annex article articles art act acts law laws regulation directive decision
    resolution agreement convention treaty protocol accord declaration version versions release
    edition vol volume no number issue page pages until till circa ca about around year years
    census budget fy q ad bc ce bce updated revised accessed retrieved published est founded
    born died copyright press university publishing publishers verlag editions books inc ltd llc
    gmbh conference proceedings workshop symposium congress summit olympics cop wave round phase
    stage step election elections
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def author_date(text: str) -> list[Citation]:
    """The author-date citations of a paragraph or note, in order."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _NARRATIVE.finditer(text):
        cites = _cites(m, m.start(), m.end(), narrative=True)
        more = m.group("more")
        if more:
            base = m.start("more")
            cites += _groups(more, base)
        if cites:
            found += cites
            taken.append((m.start(), m.end()))
    for m in _PAREN.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        inner = 1 if m.group(1) is not None else 2
        found += _groups(m.group(inner), m.start(inner))
    return sorted(found, key=lambda c: c.start)


def _groups(body: str, base: int) -> list[Citation]:
    out: list[Citation] = []
    at = 0
    for part in body.split(";"):
        m = _GROUP_RE.search(part)
        if m is not None and _only_prefix(part[: m.start()]):
            out += _cites(m, base + at + m.start(), base + at + m.end(), narrative=False)
        at += len(part) + 1
    return out


def _only_prefix(text: str) -> bool:
    """Whether what stands before a citation in its parenthesis is a prefix ("see", "e.g.,",
    "cf.", "quoted in") rather than text that makes the whole something else."""
    return bool(re.fullmatch(r"\s*(?:[^\W\d_A-Z]+\.?,?\s+){0,3}", text))


def _cites(m: re.Match[str], start: int, end: int, narrative: bool) -> list[Citation]:
    authors = _authors(m.group("authors"))
    if not authors:
        return []
    et_al = bool(m.group("etal"))
    who = _shown(authors, et_al)
    out = []
    for date in _dates(m.group("dates")):
        out.append(
            Citation(
                start, end, f"{who} {date}", "", authors, et_al, names.date_key(date), narrative
            )
        )
    return out


def _authors(text: str) -> tuple[tuple[str, ...], ...]:
    """Each author's words, with words that are never names ("In", "June") left out; empty
    when the first author is left with no name."""
    out: list[tuple[str, ...]] = []
    for part in _AUTHOR_SPLIT.split(text):
        words = [re.sub(r"['’]s?$", "", w) for w in _WORDS.findall(part)]
        while words and names.fold(words[0]) in _LEADING:
            words.pop(0)
        if not words or any(names.fold(x) in _NEVER for w in words for x in w.split()):
            if not out:
                return ()
            continue
        out.append(tuple(words))
    return tuple(out)


def _shown(authors: tuple[tuple[str, ...], ...], et_al: bool) -> str:
    first = " ".join(authors[0])
    if et_al:
        return f"{first} et al."
    if len(authors) == 2:
        return f"{first} and {' '.join(authors[1])}"
    if len(authors) > 2:
        return ", ".join(" ".join(a) for a in authors[:-1]) + " and " + " ".join(authors[-1])
    return first


def _dates(text: str) -> list[str]:
    """ "2015a, b" → 2015a, 2015b; "2015, 2016" → both."""
    out: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if re.fullmatch(r"[a-h]", part) and out and out[-1][:1].isdigit():
            out.append(out[-1][:4] + part)
        elif part:
            out.append(part)
    return out


def readings(cite: Citation) -> Iterator[Citation]:
    """The citation, and for a narrative one the same with its leading names dropped: in
    "for Berlin, and van der Berg (n.d.)" the name list may start late."""
    yield cite
    if not cite.narrative:
        return
    for start in range(1, len(cite.names)):
        names_left = cite.names[start:]
        who = _shown(names_left, cite.et_al)
        yield dataclasses.replace(
            cite, names=names_left, shown=f"{who} {cite.shown.rsplit(' ', 1)[-1]}"
        )
