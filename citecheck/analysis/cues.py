"""Case-insensitive patterns looked for only where one of their words is.

A pattern such as "unpublished source" cues is searched in every note and paragraph; most
hold none of its words. On ASCII text a case-insensitive match of an ASCII word is a match of
the lowered word in the lowered text, which a case-sensitive search finds five times faster:
`Cued` runs the pattern only where that search finds one of the words every match holds.
Text with other characters is searched by the pattern alone (Unicode case folding matches
more than lowering does: "ſ" is an "s").
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Cued:
    """`pattern` (case-insensitive), every match of which holds one of `words` (lower case)."""

    def __init__(self, pattern: str, words: tuple[str, ...]) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self._words = re.compile("|".join(re.escape(w) for w in words))

    def absent(self, text: str) -> bool:
        """Surely no match in `text` (none of the words)."""
        return text.isascii() and self._words.search(text.lower()) is None

    def search(self, text: str) -> re.Match[str] | None:
        return None if self.absent(text) else self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return iter(()) if self.absent(text) else self.pattern.finditer(text)
