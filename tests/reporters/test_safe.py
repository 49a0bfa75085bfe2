"""Terminal safety: untrusted text prints literally through rich."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from citecheck.reporters.safe import safe_text, strip_controls


def _printed(markup: str) -> str:
    buf = io.StringIO()
    Console(
        file=buf, force_terminal=True, color_system="truecolor", width=300, highlight=False
    ).print(markup)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("[bold red]x", "[bold red]x"),
        ("[link=https://evil]click[/link]", "[link=https://evil]click[/link]"),
        ("a\x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\b", "aclickb"),  # OSC 8 hyperlink
        ("a\x1b]8;;https://evil\x07click\x1b]8;;\x07b", "aclickb"),  # BEL-terminated
        ("\x1b]0;new title\x07t", "t"),  # window title
        ("x\x1b[31mred\x1b[0m\x1b[2J", "xred"),  # colours, clear screen
        ("a\x9b31mb\x9d8;;u\x9cc", "abc"),  # 8-bit C1 forms
        ("bell\x07 nul\x00 bs\x08 del\x7f", "bell nul bs del"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("rtl \u202eevil\u202c", "rtl evil"),
        ("unterminated \x1b]8;;https://evil", "unterminated "),
    ],
)
def test_prints_literally(raw, plain):
    assert strip_controls(raw) == plain
    out = _printed(safe_text(raw))
    assert "\x1b" not in out  # highlight off, no style: any escape would be injected
    assert out == plain.expandtabs(8) + "\n"  # rich expands tabs


def test_markup_would_have_been_interpreted_without_it():
    assert _printed("[bold red]x") != "[bold red]x\n"


def test_empty_and_none():
    assert safe_text(None) == "" and safe_text("") == ""


def test_plain_text_unchanged():
    assert safe_text("Ibid, P.66-67 – ok") == "Ibid, P.66-67 – ok"
    assert Text.from_markup(safe_text("a [b] c")).plain == "a [b] c"
