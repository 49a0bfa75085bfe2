"""The references appendix in Markdown: every note as numbered in the report, its links,
what became of them in a reader's words, and the archived copy."""

from __future__ import annotations

from citecheck.findings import Report
from citecheck.models import Note
from citecheck.reporters._common import (
    LinkView,
    checked_sentence,
    duplicate_labels,
    links_of,
    long_date,
    md,
    md_link,
    reader_verdict,
)


def render(report: Report) -> str:
    """A `# References` section; one paragraph per note, a bullet per link."""
    parts = ["# References"]
    intro = f"Notes of {md(report.source)}"
    if report.as_of:
        intro += f", cited as of {report.as_of.isoformat()}"
    parts.append(
        f"{intro}. {_checked(report)}Archived copies are given where a web archive holds one."
    )
    dups = duplicate_labels(report)
    for note in report.notes:
        bullets = [_link_line(v) for v in links_of(report, note)]
        parts.append("\n".join([_entry(note, dups), *(["", *bullets] if bullets else [])]))
    return "\n\n".join(parts) + "\n"


def _entry(note: Note, dups: dict[str, list[int]]) -> str:
    # The label is bold and its dot escaped, so Markdown keeps the report's numbering.
    entry = f"**{md(note.label)}\\.** {md(note.text)}"
    if note.ibid_of:
        entry += f" (see note {md(note.ibid_of)})"
    if note.label in dups:
        others = ", ".join(str(n) for n in dups[note.label] if n != note.location.line)
        entry += f" **(label {md(note.label)} is used twice: also the note at line {others})**"
    return entry


def _link_line(view: LinkView) -> str:
    line = f"- {md_link(view.url, view.url)}: {md(reader_verdict(view, with_copy=False))}"
    snap = view.snapshot
    if snap:
        copy = f"archived copy of {long_date(snap.datetime.date())}"
        line += f"; {md_link(copy, snap.url)} ({md(snap.archive)})"
        if view.prefer_capture:
            line += ", which shows what was cited"
    return line


def _checked(report: Report) -> str:
    sentence = checked_sentence(report)
    return "" if not sentence else sentence + " "
