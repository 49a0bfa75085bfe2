"""A new references.yaml written from a template, in the layout the round-trip writer keeps.

A new file has no comments or edits to keep, so it does not need the round-trip dumper
(about 0.7 ms an entry: 7 s for 10,000 notes). A string is written plain, as the round-trip
writer would, only when no YAML reader (1.1 or 1.2) could take it for anything else;
otherwise it is double-quoted with YAML's escapes (`yes`, `1.0`, `null`, `: `, ` #`, a
leading indicator, quotes, control characters). Later updates go through the round-trip
writer, which keeps each scalar's style.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

# Printable in YAML 1.2 (§5.1) and not a line break to a YAML 1.1 reader; anything else is
# escaped inside double quotes.
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\t": "\\t",
    "\n": "\\n",
    "\r": "\\r",
    "\0": "\\0",
}


def _printable(code: int) -> bool:
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    ) and code not in (0x2028, 0x2029)


def quote(text: str) -> str:
    """`text` as a double-quoted YAML scalar that any YAML reader loads back unchanged."""
    out = []
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _printable(code):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# A plain scalar must not start with an indicator or a character that begins a number,
# date or special value (digits, sign, dot, `~`, `=`, `<<`), and must not hold `: `, ` #`
# or a tab; YAML 1.1's booleans and nulls are words.
_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`~=+.0123456789 ")
_WORDS = re.compile(r"(?i:y|n|yes|no|true|false|on|off|null|nan|inf)$")


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that is unambiguous, else double-quoted."""
    if (
        text
        and text[0] not in _UNSAFE_START
        and not text[-1].isspace()
        and not text.endswith(":")
        and ": " not in text
        and " #" not in text
        and not text.startswith("<<")
        and not _WORDS.match(text)
        and all(_printable(ord(c)) for c in text)
    ):
        return text
    return quote(text)


def _flow(items: Iterable[object]) -> str:
    return "[" + ", ".join(quote(i) if isinstance(i, str) else str(i) for i in items) + "]"


def entry(fields: Mapping[str, object]) -> str:
    """One `references` item, with the extracted fields in manifest order."""
    lines = [f"  - label: {quote(str(fields['label']))}"]
    if fields.get("kind") is not None:
        lines.append(f"    kind: {fields['kind']}")
    lines.append(f"    line: {int(fields['line'])}")  # type: ignore[call-overload]
    lines.append(f"    markers: {_flow(fields['markers'])}")  # type: ignore[arg-type]
    lines.append(f"    text: {scalar(str(fields['text']))}")
    lines.append(f"    urls: {_flow(fields['urls'])}")  # type: ignore[arg-type]
    if fields.get("identifiers"):
        lines.append(f"    identifiers: {_flow(fields['identifiers'])}")  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def new_manifest(
    header: str,
    source: str | None,
    as_of: dt.date | None,
    entries: Iterable[Mapping[str, object]],
) -> str:
    """The text of a new manifest: header comment, top-level keys, one item per entry
    (no `source` when the report came from standard input)."""
    head = [header.rstrip("\n"), "version: 1"]
    if source is not None:
        head.append(f"source: {scalar(source)}")
    if as_of is not None:
        head.append(f"as_of: {as_of.isoformat()}")
    items = "".join(entry(e) for e in entries)
    return "\n".join(head) + "\n" + ("references:\n" + items if items else "references: []\n")
