"""ISBN-10 and ISBN-13 after an "ISBN" cue, with or without hyphens or spaces; bare
978/979 numbers only when hyphenated and valid (a bare digit run may be anything)."""

from __future__ import annotations

import re

from stdnum import isbn
from stdnum.exceptions import ValidationError

from citecheck.identifiers import Identifier, Scheme

CUE = r"isbn|97[89]-"  # every ISBN found here has one of these (a cheap first look)
_CUE = re.compile(
    r"\bISBN(?:-1[03])?\s*(?:\((?:pbk|hbk|print|online|e-?book)\.?\)\s*)?[:#]?\s*"
    r"((?:97[89][\s-]?)?(?:\d[\s-]?){8,9}[\dXx])(?![\d-])",
    re.IGNORECASE,
)
_BARE = re.compile(r"(?<![\d-])97[89]-\d{1,5}-\d{1,7}-\d{1,7}-\d(?![\d-])")


def find(text: str) -> list[Identifier]:
    out: list[Identifier] = []
    spans = []
    for m in _CUE.finditer(text):
        spans.append(m.span(1))
        out.append(_identifier(m.group(1), m.group(0)))
    for m in _BARE.finditer(text):
        if not any(s <= m.start() < e for s, e in spans) and isbn.is_valid(m.group(0)):
            out.append(_identifier(m.group(0), m.group(0)))
    return out


def _identifier(number: str, raw: str) -> Identifier:
    compact = isbn.compact(number)
    try:
        isbn.validate(number)
        problem = None
    except ValidationError as exc:
        problem = _why(compact, exc)
    return Identifier(Scheme.ISBN, compact.upper(), raw.strip(), problem)


def _why(compact: str, exc: ValidationError) -> str:
    if len(compact) not in (10, 13):
        return f"an ISBN has 10 or 13 digits, this one {len(compact)}"
    name = type(exc).__name__
    if name == "InvalidChecksum":
        return "the check digit is wrong"
    return str(exc).rstrip(".").lower() or "not a valid ISBN"
