"""Deciding which digit runs in a page's body are note markers, with the page's notes in view
(PDF and pdftotext text, where a marker is just digits: raised, or glued to a word)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


class MarkerSequence:
    """Reads digit runs in document order and says which labels each one calls.

    A part of a run ("2,3" has two) is a marker when it is the next label of the sequence or
    the label of a note on this page not yet called; "23" may be two consecutive labels run
    together. So "2015", "10⁶" and "m²" are not markers unless the notes say they are.
    """

    def __init__(self, on_page_only: bool = False) -> None:
        self.last = 0
        self.available: Counter[str] = Counter()
        self.near: frozenset[str] = frozenset()
        # Footnotes sit on their marker's page: with this set, the next label of the sequence
        # is no marker unless its note is on the page (or `near` it: see page())
        self.on_page_only = on_page_only

    @property
    def expected(self) -> int:
        return self.last + 1

    def page(self, labels: Iterable[str], near: Iterable[str] = ()) -> None:
        """Start a page whose notes carry `labels`; `near` are the labels of notes on the
        pages around it, which only the next label of the sequence may call."""
        self.available = Counter(labels)
        self.near = frozenset(near)

    def labels(self, run: str, strict: bool = False) -> list[str]:
        """The labels `run` calls ([] if it is not a marker), recorded as called. A `strict`
        run (one that looks like part of the text) must be the label of a note on this page."""
        available, last = self.available.copy(), self.last
        got: list[str] = []
        for part in (p.strip() for p in run.split(",")):
            split = self._part(part, available, strict)
            if not split:
                self.last = last
                return []
            got += split
        self.available = available
        return got

    def _part(self, part: str, available: Counter, strict: bool) -> list[str]:
        if not part.isdecimal() or part.startswith("0"):
            return []
        if strict:
            return self._take([part], available) if available[part] > 0 else []
        # a note here not yet called (numbering may restart, per chapter); once the real
        # marker 2 has called note 2, a later "m²" is a unit, not a second call
        anywhere = not self.on_page_only
        if available[part] > 0 or (part == str(self.expected) and (anywhere or part in self.near)):
            return self._take([part], available)
        split = consecutive(part, self.expected)
        if not anywhere and any(available[n] <= 0 and n not in self.near for n in split):
            return []
        return self._take(split, available)

    def _take(self, labels: list[str], available: Counter) -> list[str]:
        for label in labels:
            available[label] -= 1
            self.last = int(label)
        return labels


def could_call(run: str, label: str) -> bool:
    """Whether digit run `run` could be the marker of note `label`: the label itself, or
    run together with the labels after it ("45" for 4)."""
    return any(
        p.strip() == label or consecutive(p.strip(), int(label))[:1] == [label]
        for p in run.split(",")
    )


def consecutive(part: str, start: int) -> list[str]:
    """`part` read as two or more consecutive labels run together from `start` ("23" from 2
    gives 2, 3), or []."""
    got, rest, n = [], part, start
    while rest and rest.startswith(str(n)):
        got.append(str(n))
        rest, n = rest[len(str(n)) :], n + 1
    return got if not rest and len(got) > 1 else []
