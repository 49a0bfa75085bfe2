"""The terminal view: findings grouped by note, suggestions and accepted findings set apart,
and one summary line. `render(report)` is plain text; the CLI asks for colour on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from citecheck.findings import Finding, Report, Severity
from citecheck.reporters._common import findings_by_note, link_result, verdict
from citecheck.reporters.json import summary
from citecheck.reporters.safe import strip_controls

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
WIDTH = 100

if TYPE_CHECKING:
    from rich.text import Text


def render(report: Report, color: bool = False, width: int = WIDTH) -> str:
    """The findings as text; with `color`, ANSI styles for a terminal."""
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    console = Console(
        file=out,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    for text in _lines(report):
        console.print(text)
    return out.getvalue()


def _lines(report: Report) -> Iterator[Text]:
    from rich.text import Text

    yield Text(
        f"citecheck: {_clean(report.source)}"
        + (f" (as of {report.as_of.isoformat()})" if report.as_of else ""),
        style="bold",
    )
    grouped, orphans = findings_by_note(report)
    if orphans:
        yield Text("")
        yield Text("Report", style="bold")
        yield from _findings(report, orphans)
    for index, note in enumerate(report.notes):
        found = grouped.get(index)
        if not found:
            continue
        yield Text("")
        head = Text(f"Note {_clean(note.label)}", style="bold")
        head.append(f"  line {note.location.line}  ", style="dim")
        head.append(_clip(note.text, 70), style="dim")
        yield head
        yield from _findings(report, found)
    yield Text("")
    yield _summary(report)


def _findings(report: Report, findings: list[Finding]) -> Iterator[Text]:
    from rich.text import Text

    for f in findings:
        line = Text("  ")
        if f.accepted:
            line.append(f"{'accepted':<8} ", style="dim green")
        else:
            line.append(f"{f.severity.value:<8} ", style=_STYLE[f.severity])
        line.append(f"{f.rule:<22} ", style="dim" if f.accepted else "bold")
        if f.location:
            line.append(f"line {f.location.line:<5} ", style="dim")
        line.append(_clean(f.message), style="dim" if f.accepted else "")
        yield line
        if f.url:
            result = link_result(report, f.url)
            yield Text(
                f"      {_clean(f.url)}  [{verdict(result, report.link_rules(f.url))}]", style="dim"
            )
        if f.suggestion:
            yield Text(f"      → {_clean(f.suggestion)}", style="green")
        if f.accepted:
            yield Text(
                f"      accepted: {_clean(f.reason) or 'no reason given'}", style="dim green"
            )


def _summary(report: Report) -> Text:
    from rich.text import Text

    c = report.counts()
    accepted = sum(f.accepted for f in report.findings)
    s = summary(report)
    text = Text(f"{s['notes']} notes, {s['markers']} markers, {s['unique_urls']} unique URLs: ")
    text.append(f"{c['error']} errors", style=_STYLE[Severity.ERROR] if c["error"] else "")
    text.append(", ")
    text.append(f"{c['warning']} warnings", style=_STYLE[Severity.WARNING] if c["warning"] else "")
    text.append(f", {c['note']} notes, {accepted} accepted. ")
    failing = len(report.failing())
    if report.fail_on is None:
        text.append("Not failing (--fail-on never).")
    elif failing:
        text.append(f"Failing: {failing} at or above {report.fail_on.value}.", style="bold red")
    else:
        text.append(
            f"Passing: nothing open at or above {report.fail_on.value}.", style="bold green"
        )
    return text


def _clean(text: str | None) -> str:
    return strip_controls(text or "")


def _clip(text: str, width: int) -> str:
    text = " ".join(_clean(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
