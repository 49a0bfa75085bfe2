"""Joining the lines of a note back into one text, mending URLs broken across lines."""

from __future__ import annotations

import re

_URL_TAIL = re.compile(r"<?https?://\S*$", re.IGNORECASE)
# the rest of a URL on the next line, then perhaps the closing quote or bracket around it
_URL_CONT = re.compile(r"^[\w\-./?=&%#~+:;@!$*,()]+>?[”’\"'»\]]?[.,;:]?$")
_BREAK_AFTER = "/-_.?=&#%~"
_URL_START = re.compile(r"^<?(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)


def join_lines(lines: list[str]) -> str:
    """One text from wrapped lines; a URL split at a line end is put back together."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif continues_url(text, line):
            text += line
        else:
            text += " " + line
    return text


def continues_url(text: str, line: str) -> bool:
    """Whether `line` goes on with the URL that `text` ends with (broken at a line end)."""
    tail = _URL_TAIL.search(text)
    if not tail or tail.group(0).endswith(">"):
        return False
    first = line.split()[0]
    if _URL_START.match(first):
        return False  # a second URL on the next line, not the rest of this one
    if not _URL_CONT.match(first):
        return False
    if first[0].isupper() and first[1:2].islower() and not any(c in first for c in "/#=&?_"):
        return False  # a capitalised word ("Accessed"), not a path ("English#Aunt/Uncle")
    return tail.group(0)[-1] in _BREAK_AFTER or any(c in first for c in "/=&?_.")
