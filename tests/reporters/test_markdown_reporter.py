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


def test_long_tables_are_cut(report):
    many = tuple(
        dataclasses.replace(report.findings[-1], message=f"finding {i}")
        for i in range(markdown.MAX_ROWS + 7)
    )
    text = markdown.render(dataclasses.replace(report, findings=many))
    assert text.count("`no-archived-copy`") == markdown.MAX_ROWS
    assert "…and 7 more; see the full result" in text
    assert len(text) < 65536
