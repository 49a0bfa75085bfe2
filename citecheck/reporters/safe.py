"""Make untrusted text (note texts, page titles, URLs) safe to print on a terminal.

Text from the report or from a web page could carry escape sequences (colours, cursor moves,
OSC 8 hyperlinks, title changes) or rich markup (`[bold red]`); both must print literally.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL or ST,
# and two-character escapes. Their 8-bit C1 forms (\x9b CSI, \x9d OSC, ...) likewise.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                 # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])           # OSC, DCS, SOS, PM, APC ...
    .*?(?:\x07|\x1b\\|\x9c|$)                         # ... up to BEL or ST (or the end)
  | \x1b[ -/]*[0-~]?                                  # other ESC sequences (and a lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
# Remaining C0 (except tab and newline), DEL and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Unicode bidi overrides can reorder what a reader sees (Trojan Source).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without escape sequences, control characters (tab and newline kept) or bidi
    overrides."""
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    return _BIDI.sub("", text)


def safe_text(text: str | None) -> str:
    """`text` safe to print through rich: controls stripped and rich markup escaped, so that
    `[bold red]x` prints as written."""
    if not text:
        return ""
    from rich.markup import escape  # lazy: rich is heavy

    return escape(strip_controls(text))
