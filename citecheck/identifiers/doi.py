"""DOIs: bare `10.xxxx/...`, `doi:` cues and doi.org / dx.doi.org links (DOI Handbook §2)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from citecheck.identifiers import Identifier, Scheme, idutils_says, trim

CUE = r"doi|10\.\d"  # every DOI found here has one of these (a cheap first look)
_LINK = re.compile(r"https?://(?:dx\.)?doi\.org/(\S+)", re.IGNORECASE)
_CUE = re.compile(r"\bdoi\s*:\s*(\S+)", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w.])10\.\d{4,9}(?:\.\d+)*/[^\s\"<>]+")


def find(text: str) -> list[Identifier]:
    out: list[Identifier] = []
    spans: list[tuple[int, int]] = []
    for pattern in (_LINK, _CUE):
        for m in pattern.finditer(text):
            raw = trim(unquote(m.group(1)))
            spans.append(m.span())
            out.append(_identifier(raw, m.group(0)))
    for m in _BARE.finditer(text):
        if any(start <= m.start() < end for start, end in spans):
            continue
        raw = trim(m.group(0))
        out.append(_identifier(raw, raw))
    return out


def _identifier(value: str, raw: str) -> Identifier:
    problem = None if _valid(value) else "not a DOI (10.<registrant>/<suffix>)"
    return Identifier(Scheme.DOI, value.lower(), raw.strip(), problem)


def is_doi_link(url: str) -> str | None:
    """The DOI a doi.org link resolves, or None for any other URL."""
    m = _LINK.fullmatch(url.strip())
    if m is None:
        return None
    value = trim(unquote(m.group(1)))
    return value.lower() if _valid(value) else None


def _valid(value: str) -> bool:
    """DOI syntax: "10." + registrant code + "/" + a non-empty suffix (idutils)."""
    return bool(idutils_says("doi", value)) and value.startswith("10.")
