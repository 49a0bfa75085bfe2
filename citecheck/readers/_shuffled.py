"""Footnote labels printed out of their place: plain `pdftotext` (no `-layout`) reads a raised
label by its baseline, so a note's label may come out after the last note of the page (or
above the first) rather than before its text. The labels of the page's note area are then a
shuffled run of consecutive numbers, and the note whose label moved has its text run into
the note before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# a line that ends a note: its last sentence closed
_CLOSED = re.compile(r"[.;)\]”’\"]\s*$")


Starts = Sequence[tuple[int, "re.Match[str]"]]


def shuffled_run(starts: Starts, last: int) -> list[tuple[int, re.Match[str]]] | None:
    """The note starts at the foot of a column whose numbers are each of `last` + 1 ... `last`
    + k once, not in order; None when there is no such run, or it is in order (then the
    ordinary rules decide), or labels with their text on the line are out of order. The run
    is the longest such tail of `starts`."""
    # a note line that begins with a number out of the page's range ("2018) (transcript)")
    # is note text, not a label
    starts = [
        (i, m)
        for i, m in starts
        if m.group(0).strip() == m.group(1) or last < int(m.group(1)) <= last + len(starts)
    ]
    # a label printed twice on adjacent lines (a blacked-out note's) counts once
    starts = [
        (i, m)
        for k, (i, m) in enumerate(starts)
        if not (
            k
            and starts[k - 1][0] == i - 1
            and starts[k - 1][1].group(0).strip() == m.group(0).strip() == m.group(1)
        )
    ]
    seen: set[int] = set()
    best = None
    for k in range(len(starts) - 1, -1, -1):
        n = int(starts[k][1].group(1))
        if n in seen:
            break
        seen.add(n)
        if min(seen) == last + 1 and max(seen) == last + len(seen):
            best = k
    if best is None or len(starts) - best < 2:
        return None
    run = list(starts[best:])
    numbers = [int(m.group(1)) for _, m in run]
    # only a label alone on its line moves (a raised label read apart from its text)
    with_text = [int(m.group(1)) for _, m in run if m.group(0).strip() != m.group(1)]
    if numbers == sorted(numbers) or with_text != sorted(with_text):
        return None
    return run


def reorder(notes: list[tuple[str, int, list[str]]]) -> list[tuple[str, int, list[str]]]:
    """(label, line, text lines) of a shuffled run in the page's order, put in label order.
    A label that moved (it has no text, and the notes printed before and after it are the
    labels either side of it) takes the text of the note before it from its first closed
    line on: that text ran on from where the label should have been."""
    by_label = {int(label): k for k, (label, _, _) in enumerate(notes)}
    # the second print of a label printed twice is not the note's text
    out = [
        (label, line, [ln for ln in lines if ln.strip() != label]) for label, line, lines in notes
    ]
    for k, (label, _, lines) in enumerate(out):
        n = int(label)
        if any(ln.strip() for ln in lines) or n - 1 not in by_label:
            continue
        before = by_label[n - 1]
        after = by_label.get(n + 1)
        if after is None or after != before + 1 or before == k - 1:
            continue  # not taken out from between its neighbours
        text = out[before][2]
        cut = next((j + 1 for j, ln in enumerate(text[:-1]) if _CLOSED.search(ln)), None)
        if cut is not None:
            out[k] = (label, out[k][1], text[cut:])
            out[before] = (out[before][0], out[before][1], text[:cut])
    return sorted(out, key=lambda note: int(note[0]))


_GLUED_TAIL = re.compile(r"(?<=[^\W\d_])(\d{1,4})\s*$")


def glued_last_label(lines: Sequence[str], labels: Sequence[int]) -> tuple[int, int] | None:
    """Where a label sits glued to the end of the column's last line ("specifica296"): plain
    pdftotext may set a moved label there rather than on a line of its own. It counts only
    when it fills a gap of the column's labels (`labels`: the numbers of its note starts,
    295 and 297 there, 296 not): (index of the line, offset of the label), else None."""
    last = next((k for k in range(len(lines) - 1, -1, -1) if lines[k].strip()), None)
    m = _GLUED_TAIL.search(lines[last]) if last is not None else None
    if m is None or last is None:
        return None
    n = int(m.group(1))
    have = set(labels)
    return (last, m.start(1)) if n - 1 in have and n + 1 in have and n not in have else None
