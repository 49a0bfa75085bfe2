"""The line hash GitHub code scanning matches alerts by (`primaryLocationLineHash`).

Computed as the upload-sarif action does when a SARIF file lacks it (github/codeql-action,
src/fingerprints.ts): for every line, a polynomial rolling hash (base 37, modulo 2**64) of
the first 100 characters from the start of that line, spaces and tabs skipped, line ends
normalised to LF, the end of the file marked by 65535 and padded with zeros; written in hex
with ":N", N counting earlier lines of the same hash.
"""

from __future__ import annotations

import hashlib
from array import array
from operator import mul

BLOCK = 100
_MASK = (1 << 64) - 1
_EOF = 65535


def line_hashes(text: str) -> dict[int, str]:
    """1-based line number -> `primaryLocationLineHash` of that line of `text`."""
    codes, starts = _normalised(text)
    codes.extend([_EOF] + [0] * BLOCK)
    powers = [pow(37, BLOCK - 1 - k, 1 << 64) for k in range(BLOCK)]
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for line, start in enumerate(starts, 1):
        value = sum(map(mul, codes[start : start + BLOCK], powers)) & _MASK
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[line] = f"{key}:{seen[key]}"
    return out


def _normalised(text: str) -> tuple[array[int], list[int]]:
    """The code units the hash reads (spaces and tabs left out, each line end one LF), and
    where each line's first one is (the end of the text too, when it ends a line)."""
    # CR LF, then a lone CR, is one line end; spaces and tabs go only after that (a CR, a
    # space, an LF are two line ends)
    units = _utf16_units(text).replace("\r\n", "\n").replace("\r", "\n").translate(_BLANKS)
    codes = array(_UINT32, units.encode(_UTF32, "surrogatepass"))  # one per character
    starts = [0]
    at = units.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = units.find("\n", at + 1)
    return codes, starts


_BLANKS = str.maketrans("", "", " \t")
_UINT32 = "I" if array("I").itemsize == 4 else "L"
_UTF32 = "utf-32-le" if array(_UINT32, [1]).tobytes()[0] else "utf-32-be"  # the machine's order


def _utf16_units(text: str) -> str:
    """`text` with characters beyond the BMP as two surrogate "characters"."""
    if text.isascii() or all(ord(ch) <= 0xFFFF for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def stable_hash(*parts: str | None) -> str:
    """A hash of `parts` for results with no line to hash (DOCX paragraphs, PDF pages)."""
    key = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
