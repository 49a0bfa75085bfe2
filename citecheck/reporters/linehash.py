"""The line hash GitHub code scanning matches alerts by (`primaryLocationLineHash`).

Computed as the upload-sarif action does when a SARIF file lacks it (github/codeql-action,
src/fingerprints.ts): for every line, a polynomial rolling hash (base 37, modulo 2**64) of
the first 100 characters from the start of that line, spaces and tabs skipped, line ends
normalised to LF, the end of the file marked by 65535 and padded with zeros; written in hex
with ":N", N counting earlier lines of the same hash.
"""

from __future__ import annotations

import hashlib

BLOCK = 100
_MASK = (1 << 64) - 1
_EOF = 65535


def line_hashes(text: str) -> dict[int, str]:
    """1-based line number -> `primaryLocationLineHash` of that line of `text`."""
    codes, starts, at_line_start = _normalised(text)
    if at_line_start:  # the end-of-file mark starts a line of its own (as upload-sarif has it)
        starts.append(len(codes))
    codes += [_EOF] + [0] * BLOCK
    powers = [pow(37, BLOCK - 1 - k, 1 << 64) for k in range(BLOCK)]
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for line, start in enumerate(starts, 1):
        window = codes[start : start + BLOCK]
        value = sum(c * p for c, p in zip(window, powers, strict=False)) & _MASK
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[line] = f"{key}:{seen[key]}"
    return out


def _normalised(text: str) -> tuple[list[int], list[int], bool]:
    """The UTF-16 code units the hash reads (JavaScript strings are UTF-16), where each
    line's first one is, and whether the text ends at the start of a line."""
    codes: list[int] = []
    starts: list[int] = []
    line_start, prev_cr = True, False
    for ch in _utf16_units(text):
        c = ord(ch)
        if ch in " \t" or (prev_cr and ch == "\n"):
            prev_cr = False
            continue
        prev_cr = ch == "\r"
        if prev_cr:
            c = 10
        if line_start:
            starts.append(len(codes))
            line_start = False
        if c == 10:
            line_start = True
        codes.append(c)
    return codes, starts, line_start


def _utf16_units(text: str) -> str:
    """`text` with characters beyond the BMP as two surrogate "characters"."""
    if text.isascii() or all(ord(ch) <= 0xFFFF for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def stable_hash(*parts: str | None) -> str:
    """A hash of `parts` for results with no line to hash (DOCX paragraphs, PDF pages)."""
    key = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
