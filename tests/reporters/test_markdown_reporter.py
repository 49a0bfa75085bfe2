"""Markdown summary: counts, findings table, collapsed details, escaping."""

from __future__ import annotations

import dataclasses

from markdown_it import MarkdownIt

from citecheck.reporters import markdown
from citecheck.reporters._common import md, md_link


def _html(text: str) -> str:
    # commonmark passes raw HTML through, like GitHub (before its sanitiser)
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def test_counts_status_and_sections(report):
    text = markdown.render(report)
    assert "**Result: failing**: 5 finding(s) at or above error." in text
    assert "| 5 | 4 | 3 | 1 | 9 | 2015-10-01 |" in text
    assert "<summary>Accepted findings (1)</summary>" in text
    assert "<summary>Notes without problems (2)</summary>" in text


def test_findings_table_is_one_table_with_a_row_per_open_finding(report):
    html = _html(markdown.render(report))
    tables = html.split("<table>")
    findings_table = tables[2]  # after the counts table
    rows = findings_table.split("</table>")[0].count("<tr>") - 1
    assert rows == sum(1 for f in report.findings if not f.accepted)
    # every row has 7 cells: the escaped | in the hostile message did not add one
    body = findings_table.split("<tbody>")[1].split("</tbody>")[0]
    assert all(row.count("<td") == 7 for row in body.split("</tr>")[:-1])


def test_hostile_text_is_inert(report):
    html = _html(markdown.render(report))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "[red]x[/red]" in html


def test_verdict_and_archived_suggestion(report):
    text = markdown.render(report)
    row = next(line for line in text.splitlines() if "`dead-link`" in line)
    assert "dead (HTTP 404)" in row
    assert "[archived 2014-12-01](https://web.archive.org/web/20141201000000/" in row


def test_passing_and_empty(report):
    text = markdown.render(dataclasses.replace(report, findings=()))
    assert "**Result: passing**" in text and "No open findings." in text
    assert "Notes without problems (9)" in text


def test_md_escaping_helpers():
    assert md("a|b *c* <i>&") == "a\\|b \\*c\\* &lt;i&gt;&amp;"
    assert md("line\nbreak") == "line break"
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("x", "https://e.org/a b(c)|d") == "[x](https://e.org/a%20b%28c%29%7Cd)"
    rendered = _html(md_link("x", "https://e.org/a b(c)|d"))
    assert 'href="https://e.org/a%20b%28c%29%7Cd"' in rendered


def _big_report(report, n=10_000):
    """A report of `n` notes, each with a warning and a note, every tenth an error."""
    from reporters_sample import finding, note

    notes = tuple(note(str(i), 1000 + i, f"Note {i} <https://e.org/p_{i}>") for i in range(n))
    made = []
    for i in range(n):
        url = f"https://example.org/a_long/path_{i}/new_page_v2.html"
        made.append(finding("homepage-only", 1000 + i, str(i), f"note {i}: only a home page"))
        made.append(finding("insecure-link", 1000 + i, str(i), f"note {i}: http", url=url))
        if i % 10 == 0:
            made.append(finding("dead-link", 1000 + i, str(i), f"note {i}: dead", url=url))
    return dataclasses.replace(report, notes=notes, findings=tuple(made))


def test_10000_notes_fit_a_pr_comment_and_a_step_summary(report):
    # GitHub: a comment body holds at most 65,536 characters; a job summary at most 1 MiB
    # per step (docs.github.com, "Workflow commands for GitHub Actions", step isolation and
    # limits), and a larger summary is dropped whole.
    big = _big_report(report)
    comment = markdown.render(big)
    summary = markdown.render_summary(big)
    assert len(comment) < 65_536
    assert len(summary.encode("utf-8")) < 1024 * 1024
    order = ("error", "warning", "note")
    for text in (comment, summary):
        findings = text.split("### Findings")[1].split("more not shown here")[0]
        rows = [line for line in findings.splitlines() if line.startswith("| ")][2:]
        severities = [row.split(" | ")[0][2:] for row in rows]
        assert severities == sorted(severities, key=order.index)  # errors first
        assert severities[0] == "error" and len(rows) > 100
        assert "more not shown here" in text  # what was left out is said


def test_urls_are_autolinks_without_backslashes_and_malformed_ones_never_links(report):
    from reporters_sample import finding

    good = "https://example.org/new_page_v2"
    bad = "http://example.org:99999/x_y"
    made = (
        finding("dead-link", 10, "1", f"note 1: dead; moved to {good}", url=good),
        finding("malformed-url", 11, "2", f"note 2: {bad} cannot be followed", url=bad),
    )
    text = markdown.render(dataclasses.replace(report, findings=made))
    assert "new\\_page" not in text and f"<{good}>" in text
    html = _html(text)
    assert f'href="{good}"' in html
    assert "99999" in html and 'href="http://example.org:99999' not in html
