"""Word wrapping for the terminal: words stay whole, long URLs break after a `/` (or before
`?`, `&`, `#`), never inside a word unless one piece alone is wider than the line."""

from __future__ import annotations

import re

# Where a URL may break: after a run of "/", or before "?", "&" or "#".
_BREAK = re.compile(r"(?<=/)(?=[^/])|(?=[?&#])")


def wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """`text` in lines of at most `width` characters (the first line `first`, when given)."""
    lines: list[str] = []
    line = ""
    room = first if first is not None else width
    for word in text.split():
        pieces = _pieces(word) if len(word) > width // 2 else [word]
        for i, piece in enumerate(pieces):
            glue = "" if i > 0 or not line else " "
            if len(line) + len(glue) + len(piece) <= room:
                line += glue + piece
                continue
            if line:
                lines.append(line)
                room = width
            while len(piece) > room:  # one piece wider than a line: the last resort
                lines.append(piece[:room])
                piece = piece[room:]
                room = width
            line = piece
    if line or not lines:
        lines.append(line)
    return lines


def _pieces(word: str) -> list[str]:
    if "/" not in word and "?" not in word:
        return [word]
    pieces = [p for p in _BREAK.split(word) if p]
    if len(pieces) > 1 and pieces[0].endswith("://"):  # keep "https://host/" together
        pieces[:2] = [pieces[0] + pieces[1]]
    return pieces
