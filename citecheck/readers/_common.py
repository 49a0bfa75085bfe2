"""Helpers shared by the Markdown and HTML readers."""

from __future__ import annotations

import re
from dataclasses import replace

from citecheck.models import Heading, Location, Marker

_HEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", re.S)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text with runs of whitespace folded to one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def heading(text: str, location: Location) -> Heading:
    """A Heading with its leading section number ("3.2.1") split off, if it has one."""
    text = fold(text)
    m = _HEADING_NUMBER.match(text)
    return Heading(m.group(1), m.group(2), location) if m else Heading("", text, location)


def dedupe(urls: list[str]) -> tuple[str, ...]:
    """The URLs in first-seen order, each once."""
    return tuple(dict.fromkeys(urls))


def clamp_offsets(markers: list[Marker], start: int, length: int) -> None:
    """Markers from `start` on point at most at the end of their paragraph's text (a marker
    after the last word, past a space the text never got, would point one further)."""
    for i in range(start, len(markers)):
        offset = markers[i].offset
        if offset is not None and offset > length:
            markers[i] = replace(markers[i], offset=length)


class TextBuilder:
    """Accumulates block text with whitespace folded, so offsets stay valid as it grows."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space_pending = False

    def add(self, text: str) -> None:
        folded = _SPACE.sub(" ", text)
        core = folded.strip(" ")
        if folded[:1] == " ":
            self.space_pending = True
        if core:
            if self.space_pending and self.length:
                self._put(" ")
            self._put(core)
            self.space_pending = folded[-1] == " "

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def offset(self) -> int:
        """Where the next visible character will go (a pending space counts)."""
        return self.length + (1 if self.space_pending and self.length else 0)

    def text(self) -> str:
        return "".join(self.parts)
