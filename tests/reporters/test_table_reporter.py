"""The terminal table: triage first, untrusted text prints literally, wrapping, views."""

from __future__ import annotations

import dataclasses

from reporters_sample import finding

from citecheck.findings import Severity
from citecheck.reporters import table
from citecheck.reporters.table import View

EVIL = "Title [bold red]x[/] \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ \x1b[2J end"


def _with(report, *extra):
    return dataclasses.replace(report, findings=report.findings + tuple(extra))


def test_escape_sequences_and_markup_print_literally(report):
    evil = finding("no-locator", 600, "70", EVIL)
    for color in (False, True):
        text = table.render(_with(report, evil), color=color)
        assert "[bold red]x[/]" in text
        assert "\x1b]8;;" not in text and "\x1b[2J" not in text


def test_plain_text_has_no_escape_codes_and_colour_marks_severity(report):
    plain, coloured = table.render(report), table.render(report, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31mdead-link" in coloured  # errors in bold red


def test_errors_then_warnings_then_notes_then_accepted(report):
    lines = table.render(report).splitlines()
    heads = [line.split(" (")[0] for line in lines if line and not line.startswith((" ", "c"))]
    assert heads[:4] == ["Errors", "Warnings", "Notes", "Accepted"]
    errors = lines[lines.index(next(x for x in lines if x.startswith("Errors"))) :]
    first_rules = [x.split()[0] for x in errors[1:6]]
    assert first_rules[0] == "marker-without-note"  # line 500 comes first: note order


def test_accepted_findings_and_suggestions_are_set_apart(report):
    lines = table.render(report).splitlines()
    accepted = lines.index(next(x for x in lines if x.startswith("Accepted (1)")))
    assert lines[accepted + 1].split()[0] == "homepage-only"
    assert any(line.strip().startswith("→ https://web.archive.org/") for line in lines)


def test_a_rule_on_many_notes_is_one_line_unless_verbose(report):
    many = tuple(
        finding("homepage-only", 700 + i, str(100 + i), f"note {100 + i}: home page only")
        for i in range(6)
    )
    text = table.render(_with(report, *many))
    assert "7 notes: 55, 100, 101, 102, 103, 104, 105" in text
    assert "note 103: home page only" not in text
    verbose = table.render(_with(report, *many), view=View(verbose=True))
    assert "note 103: home page only" in verbose


def test_quiet_shows_only_what_fails_and_min_severity_filters(report):
    quiet = table.render(report, view=View(quiet=True))
    assert "Warnings" not in quiet and "Notes (" not in quiet and "Errors (5)" in quiet
    shown = table.render(report, view=View(min_severity=Severity.WARNING))
    assert "Warnings (4)" in shown and "Notes (" not in shown


def test_summary_names_what_fails_the_run(report):
    tail = table.render(report).split("Failing: 5 at or above error")[1]
    assert "marker-without-note  marker 63, line 500" in tail
    assert "dead-link  note 64, line 512" in tail


def test_long_urls_wrap_at_slashes_never_mid_word(report):
    url = "https://www.example.org/" + "/".join(f"section{i}" for i in range(12)) + "/doc.pdf"
    long = finding("dead-link", 800, "90", f"note 90: dead (HTTP 404) {url}", url=url)
    for width in (60, 80, 160):
        lines = table.render(_with(report, long), width=width).splitlines()
        assert all(len(line) <= width for line in lines)
        words = {w for line in lines for w in line.replace("/", " ").split()}
        assert {f"section{i}" for i in range(12)} <= words  # no word cut in two
