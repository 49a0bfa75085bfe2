"""The terminal table: untrusted text prints literally, with or without colour."""

from __future__ import annotations

import dataclasses

from reporters_sample import note

from citecheck.models import NoteKind
from citecheck.reporters import table

EVIL = "Title [bold red]x[/] \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ \x1b[2J end"


def _with_evil_note(report):
    evil = note("70", 600, EVIL, ["https://example.org/report?a=1&b=2"], NoteKind.CITATION)
    notes = tuple(evil if n.label == "70" else n for n in report.notes)
    return dataclasses.replace(report, notes=notes)


def test_escape_sequences_and_markup_print_literally(report):
    for color in (False, True):
        text = table.render(_with_evil_note(report), color=color)
        assert "[bold red]x[/]" in text
        assert "\x1b]8;;" not in text and "\x1b[2J" not in text


def test_plain_text_has_no_escape_codes_and_colour_marks_severity(report):
    plain, coloured = table.render(report), table.render(report, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31merror" in coloured  # errors in bold red


def test_accepted_findings_and_suggestions_are_set_apart(report):
    lines = table.render(report).splitlines()
    accepted = next(i for i, line in enumerate(lines) if line.startswith("  accepted"))
    assert "homepage-only" in lines[accepted]
    assert any(line.strip().startswith("→ https://web.archive.org/") for line in lines)
