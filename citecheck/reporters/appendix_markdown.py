"""The references appendix in Markdown: every note as numbered in the report, its links,
their verdict and the archived copy."""

from __future__ import annotations

from citecheck.findings import Report
from citecheck.reporters._common import LinkView, iso_date, links_of, md, md_link, verdict


def render(report: Report) -> str:
    """A `# References` section; one paragraph per note, a bullet per link."""
    parts = ["# References"]
    intro = f"Notes of {md(report.source)}"
    if report.as_of:
        intro += f", cited as of {report.as_of.isoformat()}"
    parts.append(intro + ". Archived copies are given where a web archive holds one.")
    for note in report.notes:
        # The label is bold and its dot escaped, so Markdown keeps the report's numbering.
        entry = f"**{md(note.label)}\\.** {md(note.text)}"
        if note.ibid_of:
            entry += f" (see note {md(note.ibid_of)})"
        bullets = [_link_line(v) for v in links_of(report, note)]
        parts.append("\n".join([entry] + (["", *bullets] if bullets else [])))
    return "\n\n".join(parts) + "\n"


def _link_line(view: LinkView) -> str:
    line = f"- {md_link(view.url, view.url)}: {md(verdict(view.result, view.rules))}"
    snap = view.snapshot
    if snap:
        line += f"; {md_link('archived ' + iso_date(snap), snap.url)} ({md(snap.archive)})"
        if view.prefer_capture:
            line += "; read the archived copy"
    return line
