"""Identifiers in note text (DOI, ISBN, ISSN, arXiv, PMID/PMCID, handles): found, normalised
and checked offline (syntax and check digits) by one module per scheme family.

Adding a scheme is one module with a `find(text) -> list[Identifier]` function (and a `CUE`,
a case-insensitive pattern every identifier it finds contains) and one line in `SCHEMES`.
The online part (DOI handle API, Crossref, DataCite) is `identifiers.lookup`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import Protocol

from citecheck.models import Identifier, Scheme

__all__ = ["SCHEMES", "Identifier", "Scheme", "find"]


class SchemeFinder(Protocol):
    """A scheme module: every identifier of its family in `text`, valid or not."""

    def __call__(self, text: str) -> list[Identifier]: ...


# Scheme family -> module under citecheck.identifiers with a `find` function.
SCHEMES: dict[str, str] = {
    "doi": "doi",
    "isbn": "isbn",
    "issn": "issn",
    "arxiv": "arxiv",
    "pubmed": "pubmed",
    "handle": "handle",
}


def finders() -> list[SchemeFinder]:
    return [m.find for m in _modules()]


@lru_cache(maxsize=1)
def _modules() -> tuple[ModuleType, ...]:
    return tuple(import_module(f"citecheck.identifiers.{m}") for m in SCHEMES.values())


@lru_cache(maxsize=1)
def _cues() -> re.Pattern[str] | None:
    """One pattern for every scheme's `CUE`: a text it does not match holds no identifier
    (most notes: their finders are not run). None if a scheme has no cue."""
    cues = [getattr(m, "CUE", None) for m in _modules()]
    if any(c is None for c in cues):
        return None
    return re.compile("|".join(f"(?:{c})" for c in cues), re.IGNORECASE)


def find(text: str) -> tuple[Identifier, ...]:
    """Every identifier in `text`, in order of appearance per scheme, each once."""
    cues = _cues()
    if cues is not None and cues.search(text) is None:
        return ()
    out: dict[tuple[Scheme, str], Identifier] = {}
    for finder in finders():
        for ident in finder(text):
            out.setdefault((ident.scheme, ident.value), ident)
    return tuple(out.values())


def trim(token: str) -> str:
    """`token` without the sentence punctuation that follows it in prose (a closing bracket
    only when it has no opening partner inside the token)."""
    while token and token[-1] in ".,;:'\"”’>":
        token = token[:-1]
    for opening, closing in ("()", "[]", "{}"):
        while token.endswith(closing) and token.count(closing) > token.count(opening):
            token = token[:-1]
            while token and token[-1] in ".,;:":
                token = token[:-1]
    return token


def idutils_says(check: str, value: str) -> bool:
    """idutils' `is_<check>(value)`, imported on first use: idutils takes 0.3 s to import,
    more than a warm run may spend, and most reports cite no identifier."""
    import idutils  # type: ignore[import-untyped]

    return bool(getattr(idutils, f"is_{check}")(value))
