"""ISSNs after an "ISSN"/"eISSN"/"e-ISSN"/"p-ISSN" cue (ISO 3297: 7 digits and a check
character, printed NNNN-NNNC)."""

from __future__ import annotations

import re

from stdnum import issn
from stdnum.exceptions import InvalidChecksum, ValidationError

from citecheck.identifiers import Identifier, Scheme

CUE = r"issn"  # every ISSN found here has it (a cheap first look)
_CUE = re.compile(r"\b(?:[ep]-?)?ISSN\s*[:#]?\s*(\d{4}[\s-]?\d{3}[\dXx])(?![\d-])", re.IGNORECASE)


def find(text: str) -> list[Identifier]:
    return [_identifier(m.group(1), m.group(0)) for m in _CUE.finditer(text)]


def _identifier(number: str, raw: str) -> Identifier:
    compact = issn.format(number).upper()
    try:
        issn.validate(number)
        problem = None
    except InvalidChecksum:
        problem = "the check digit is wrong"
    except ValidationError as exc:
        problem = str(exc).rstrip(".").lower() or "not a valid ISSN"
    return Identifier(Scheme.ISSN, compact, raw.strip(), problem)
