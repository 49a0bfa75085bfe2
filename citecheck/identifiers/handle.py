"""Handles (RFC 3650): `hdl:PREFIX/SUFFIX` cues and hdl.handle.net links. DOIs are handles
too, but are found by the DOI module (prefix 10.)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from citecheck.identifiers import Identifier, Scheme, idutils_says, trim

CUE = r"hdl"  # every handle found here has it (a cheap first look)
_CUE = re.compile(r"\bhdl\s*:\s*(\S+)", re.IGNORECASE)
_LINK = re.compile(r"https?://hdl\.handle\.net/(\S+)", re.IGNORECASE)


def find(text: str) -> list[Identifier]:
    out = []
    for pattern in (_CUE, _LINK):
        for m in pattern.finditer(text):
            value = trim(unquote(m.group(1))).split("?")[0]
            if value.startswith("10."):
                continue  # a DOI: the DOI module judges it
            problem = None if idutils_says("handle", value) else "not a handle (PREFIX/SUFFIX)"
            out.append(Identifier(Scheme.HANDLE, value, m.group(0).strip(), problem))
    return out
