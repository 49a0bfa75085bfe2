"""A Markdown summary for a pull-request comment or a GitHub job summary."""

from __future__ import annotations

import re

from citecheck.findings import Finding, Report
from citecheck.models import LinkResult
from citecheck.reporters._common import (
    findings_by_note,
    iso_date,
    link_result,
    links_of,
    md,
    md_link,
    verdict,
)

# A PR comment holds 65,536 characters: long tables are cut, the full list is in SARIF/JSON.
MAX_ROWS = 150
_HEAD = (
    "| Severity | Note | Line | Finding | URL | Verdict | Suggestion |\n"
    "|---|---|---:|---|---|---|---|"
)


def render(report: Report) -> str:
    """Counts, a table of open findings, and collapsed sections for the rest."""
    findings = sorted(report.findings, key=Finding.sort_key)
    open_ = [f for f in findings if not f.accepted]
    accepted = [f for f in findings if f.accepted]
    parts = [f"## citecheck: {md(report.source)}", _status(report), _counts(report, accepted)]
    if open_:
        parts.append("### Findings\n\n" + _table(report, open_))
    else:
        parts.append("No open findings.")
    if accepted:
        parts.append(
            _details(
                f"Accepted findings ({len(accepted)})", _table(report, accepted, with_reason=True)
            )
        )
    clean = _clean_notes(report)
    if clean:
        parts.append(_details(f"Notes without problems ({len(clean)})", "\n".join(clean)))
    return "\n\n".join(parts) + "\n"


def _status(report: Report) -> str:
    failing = len(report.failing())
    if report.fail_on is None:
        return "**Result: not failing** (`--fail-on never`)."
    level = report.fail_on.value
    if failing:
        return f"**Result: failing**: {failing} finding(s) at or above {level}."
    return f"**Result: passing**: no open finding at or above {level}."


def _counts(report: Report, accepted: list[Finding]) -> str:
    c = report.counts()
    as_of = report.as_of.isoformat() if report.as_of else "not set"
    return (
        "| Errors | Warnings | Notes | Accepted | Footnotes | As of |\n"
        "|---:|---:|---:|---:|---:|---|\n"
        f"| {c['error']} | {c['warning']} | {c['note']} | {len(accepted)} "
        f"| {len(report.notes)} | {as_of} |"
    )


def _table(report: Report, findings: list[Finding], with_reason: bool = False) -> str:
    head = (
        _HEAD
        if not with_reason
        else _HEAD.replace(" Suggestion |\n", " Suggestion | Reason |\n") + "---|"
    )
    rows = [head]
    for f in findings[:MAX_ROWS]:
        result = link_result(report, f.url)
        cells = [
            f.severity.value,
            md(f.label) or "–",
            str(f.location.line) if f.location else "–",
            f"{md(f.message)}<br>{_rule(f.rule)}",
            md_link(f.url, f.url) if f.url else "–",
            md(verdict(result, report.link_rules(f.url))) if f.url else "–",
            _suggestion(f, result),
        ]
        if with_reason:
            cells.append(md(f.reason) or "–")
        rows.append("| " + " | ".join(cells) + " |")
    more = len(findings) - MAX_ROWS
    tail = (
        f"\n\n…and {more} more; see the full result (`--format sarif` or `json`)."
        if more > 0
        else ""
    )
    return "\n".join(rows) + tail


def _rule(name: str) -> str:
    return f"`{name}`" if re.fullmatch(r"[a-z0-9-]+", name) else md(name)


def _suggestion(f: Finding, result: LinkResult | None) -> str:
    out = []
    snap = result.snapshot if result else None
    if f.suggestion and not (snap and f.suggestion == snap.url):
        out.append(md_link(f.suggestion, f.suggestion))
    if snap:
        out.append(md_link(f"archived {iso_date(snap)}", snap.url))
    return "<br>".join(out) or "–"


def _clean_notes(report: Report) -> list[str]:
    grouped, _ = findings_by_note(report)
    lines = []
    for i, note in enumerate(report.notes):
        if grouped.get(i):
            continue
        links = [
            f"{md_link(v.url, v.url)}: {md(verdict(v.result, v.rules))}"
            + (
                f", {md_link('archived ' + iso_date(v.snapshot), v.snapshot.url)}"
                if v.snapshot
                else ""
            )
            for v in links_of(report, note)
        ]
        tail = " – " + "; ".join(links) if links else ""
        if note.ibid_of:
            tail += f" (ibid, see note {md(note.ibid_of)})"
        lines.append(f"- Note {md(note.label)} (line {note.location.line}){tail}")
    return lines


def _details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
