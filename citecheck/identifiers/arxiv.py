"""arXiv identifiers: new style `YYMM.NNNNN[vN]` (since 2007; 4-digit numbers until 2014)
and old style `archive[.SC]/YYMMNNN[vN]`, after an `arXiv:` cue or in arxiv.org links
(arXiv help: "Understanding the arXiv identifier")."""

from __future__ import annotations

import re

from citecheck.identifiers import Identifier, Scheme, idutils_says, trim

CUE = r"arxiv"  # every arXiv id found here has it (a cheap first look)
_CUE = re.compile(r"\barXiv\s*:\s*(\S+)", re.IGNORECASE)
_LINK = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(\S+)", re.IGNORECASE)
_NEW = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})(v\d+)?$")
_OLD = re.compile(r"^[a-z][a-z-]*(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(v\d+)?$")


def find(text: str) -> list[Identifier]:
    out = []
    for pattern in (_CUE, _LINK):
        for m in pattern.finditer(text):
            value = trim(m.group(1)).removesuffix(".pdf")
            out.append(Identifier(Scheme.ARXIV, value, m.group(0).strip(), _problem(value)))
    return out


def _problem(value: str) -> str | None:
    if not idutils_says("arxiv", value):
        return "not an arXiv identifier (YYMM.NNNNN or archive/YYMMNNN)"
    new = _NEW.match(value)
    if new:
        year, month, number = int(new.group(1)), int(new.group(2)), new.group(3)
        if not 1 <= month <= 12:
            return f"month {month:02d} does not exist"
        if year < 7 or (year, month) < (7, 4):
            return "new-style arXiv identifiers begin in April 2007"
        if len(number) == 5 and (year, month) < (15, 1):
            return "five-digit arXiv numbers begin in January 2015"
        return None
    old = _OLD.match(value)
    if old:
        month = int(old.group(2))
        return None if 1 <= month <= 12 else f"month {month:02d} does not exist"
    return "not an arXiv identifier (YYMM.NNNNN or archive/YYMMNNN)"
