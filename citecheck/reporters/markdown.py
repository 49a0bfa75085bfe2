"""A Markdown summary for a pull-request comment or a GitHub job summary."""

from __future__ import annotations

import re

from citecheck.findings import Finding, Report, Severity
from citecheck.models import LinkResult, Note
from citecheck.reporters._common import (
    findings_by_note,
    iso_date,
    link_result,
    links_of,
    md,
    md_link,
    verdict,
)

# A pull-request comment holds 65,536 characters and a job summary 1 MiB (GitHub drops a
# larger one whole): lists are cut to fit, errors first, and a line says what was left out.
PR_COMMENT_LIMIT = 65_536
STEP_SUMMARY_LIMIT = 1_000_000  # under 1 MiB, with room for what other steps append
_RESERVE = 600  # room kept for the closing lines that say what was left out
_HEAD = (
    "| Severity | Note | Line | Finding | URL | Verdict | Suggestion |\n"
    "|---|---|---:|---|---|---|---|"
)


def render(report: Report) -> str:
    """The summary sized for a pull-request comment (`--format markdown`)."""
    return render_within(report, PR_COMMENT_LIMIT)


def render_summary(report: Report) -> str:
    """The summary sized for a GitHub job summary (`--summary`, $GITHUB_STEP_SUMMARY)."""
    return render_within(report, STEP_SUMMARY_LIMIT)


def render_within(report: Report, limit: int) -> str:
    """Counts, a table of open findings (errors first), and collapsed sections for the
    rest, in at most `limit` UTF-8 bytes."""
    findings = sorted(report.findings, key=Finding.sort_key)
    open_ = sorted((f for f in findings if not f.accepted), key=lambda f: -f.severity.rank)
    accepted = [f for f in findings if f.accepted]
    head = [f"## citecheck: {md(report.source)}", _status(report), _counts(report, accepted)]
    budget = _Budget(limit - _RESERVE - _size("\n\n".join(head)))
    parts = list(head)
    if open_:
        parts.append("### Findings\n\n" + _table(report, open_, budget))
    else:
        parts.append("No open findings.")
    if accepted:
        title = f"Accepted findings ({len(accepted)})"
        parts.append(_details(title, _table(report, accepted, budget, with_reason=True)))
    clean = _clean_notes(report, budget)
    if clean:
        parts.append(_details(f"Notes without problems ({_count_clean(report)})", clean))
    return "\n\n".join(parts) + "\n"


class _Budget:
    """Bytes left for rows and list items."""

    def __init__(self, room: int) -> None:
        self.room = room

    def take(self, text: str) -> bool:
        size = _size(text) + 1
        if size > self.room:
            self.room = 0
            return False
        self.room -= size
        return True


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


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


def _table(
    report: Report, findings: list[Finding], budget: _Budget, with_reason: bool = False
) -> str:
    head = (
        _HEAD
        if not with_reason
        else _HEAD.replace(" Suggestion |\n", " Suggestion | Reason |\n") + "---|"
    )
    rows = [head]
    for f in findings:
        row = _row(report, f, with_reason)
        if not budget.take(row):
            break
        rows.append(row)
    left = findings[len(rows) - 1 :]
    tail = f"\n\n{_left_out(left)}" if left else ""
    return "\n".join(rows) + tail


def _row(report: Report, f: Finding, with_reason: bool) -> str:
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
    return "| " + " | ".join(cells) + " |"


def _left_out(left: list[Finding]) -> str:
    by = {s: sum(1 for f in left if f.severity is s) for s in Severity}
    counts = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in by.items() if n)
    return (
        f"…and {len(left)} more not shown here ({counts}), to keep this summary within "
        "GitHub's size limit; the full list is in `--format json` or `--format sarif`."
    )


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


def _clean_notes(report: Report, budget: _Budget) -> str:
    grouped, _ = findings_by_note(report)
    lines = []
    clean = [note for i, note in enumerate(report.notes) if not grouped.get(i)]
    for note in clean:
        line = _clean_line(report, note)
        if not budget.take(line):
            break
        lines.append(line)
    if len(lines) < len(clean):
        lines.append(f"\n…and {len(clean) - len(lines)} more notes without problems.")
    return "\n".join(lines)


def _count_clean(report: Report) -> int:
    grouped, _ = findings_by_note(report)
    return sum(1 for i in range(len(report.notes)) if not grouped.get(i))


def _clean_line(report: Report, note: Note) -> str:
    links = [
        f"{md_link(v.url, v.url)}: {md(verdict(v.result, v.rules))}"
        + (f", {md_link('archived ' + iso_date(v.snapshot), v.snapshot.url)}" if v.snapshot else "")
        for v in links_of(report, note)
    ]
    tail = " – " + "; ".join(links) if links else ""
    if note.ibid_of:
        tail += f" (ibid, see note {md(note.ibid_of)})"
    return f"- Note {md(note.label)} (line {note.location.line}){tail}"


def _details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
