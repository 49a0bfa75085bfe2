"""PubMed ids after a "PMID" cue (1 to 8 digits) and PubMed Central ids `PMC` + digits."""

from __future__ import annotations

import re

from citecheck.identifiers import Identifier, Scheme

CUE = r"pmid|pmc"  # every PMID/PMCID found here has one of these (a cheap first look)
_PMID = re.compile(r"\bPMID\s*[:#]?\s*(\S+)", re.IGNORECASE)
_PMCID = re.compile(r"\b(?:PMCID\s*[:#]?\s*)?(PMC\d+)\b|\bPMCID\s*[:#]?\s*(\S+)", re.IGNORECASE)


def find(text: str) -> list[Identifier]:
    out = []
    for m in _PMID.finditer(text):
        value = m.group(1).rstrip(".,;:)]")
        problem = None if re.fullmatch(r"[1-9]\d{0,8}", value) else "a PMID is 1 to 9 digits"
        out.append(Identifier(Scheme.PMID, value, m.group(0).strip(), problem))
    for m in _PMCID.finditer(text):
        value = (m.group(1) or m.group(2)).rstrip(".,;:)]").upper()
        problem = None if re.fullmatch(r"PMC[1-9]\d{0,9}", value) else "a PMCID is PMC + digits"
        out.append(Identifier(Scheme.PMCID, value, m.group(0).strip(), problem))
    return out
