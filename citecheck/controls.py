"""Terminal control characters in untrusted text (report notes, references.yaml, web pages).

A note that carries ESC sequences (colours, cursor moves, OSC 8 hyperlinks whose hidden
target looks like a citation) or BEL must not reach a terminal, a Markdown or HTML appendix,
nor the URL finder: `strip_escapes` removes them where text enters citecheck. Line structure
is kept (newline, carriage return, tab and form feed stay) so that source lines still count.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL or
# ST, two-character escapes; their 8-bit C1 forms likewise. An unterminated string ends at
# the end of its line (never swallows the rest of a document).
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)
  | \x1b[ -/]*[0-~]?
    """,
    re.VERBOSE,
)
# Other C0 controls (tab, newline, form feed and carriage return kept), DEL and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def has_controls(text: str) -> bool:
    """Whether `text` holds anything `strip_escapes` removes."""
    return _CONTROLS.search(text) is not None


def strip_escapes(text: str) -> str:
    """`text` without terminal escape sequences and control characters (line breaks,
    tabs and form feeds kept)."""
    if not has_controls(text):
        return text  # the common case: one scan, no copy
    return _CONTROLS.sub("", _ESCAPES.sub("", text))
