"""The terminal view, triage first: errors, then warnings, then notes (each in note order),
accepted findings last; a rule that fires on many notes is one line with the count and the
labels (`verbose` lists each); the summary names what fails the run.

`render(report)` is plain text; the CLI asks for colour and the terminal's width."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citecheck.findings import RULES, Finding, Report, Severity
from citecheck.reporters._common import link_result, verdict
from citecheck.reporters.json import summary
from citecheck.reporters.safe import strip_controls
from citecheck.reporters.wrap import wrap

if TYPE_CHECKING:
    from rich.text import Text

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_TITLE = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}
WIDTH = 100
GROUP_AT = 5  # a rule firing on this many notes or more is one line (errors never are)
FAILING_LISTED = 10  # the summary names this many failing findings, then counts the rest
INDENT = "    "


@dataclass(frozen=True)
class View:
    """What to show: `quiet` only what fails the run, `min_severity` and up, `verbose`
    every finding of a grouped rule on its own line."""

    quiet: bool = False
    verbose: bool = False
    min_severity: Severity = Severity.NOTE


def render(
    report: Report, color: bool = False, width: int = WIDTH, view: View | None = None
) -> str:
    """The findings as text of at most `width` columns; with `color`, ANSI styles."""
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    console = Console(
        file=out,
        width=max(width, 40),
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,  # lines are wrapped here, at words and at "/" in URLs
    )
    for text in _lines(report, max(width, 40), view or View()):
        console.print(text)
    return out.getvalue()


def _lines(report: Report, width: int, view: View) -> Iterator[Text]:
    from rich.text import Text

    title = f"citecheck: {_clean(report.source)}" + (
        f" (as of {report.as_of.isoformat()})" if report.as_of else ""
    )
    for line in wrap(title, width):
        yield Text(line, style="bold")
    failing = {id(f) for f in report.failing()}
    shown = [f for f in _ordered(report) if _shown(f, view, failing)]
    for severity in Severity:
        mine = [f for f in shown if f.severity is severity and not f.accepted]
        if mine:
            yield Text("")
            yield _heading(f"{_TITLE[severity]} ({len(mine)})", _why(report, severity))
            yield from _group(report, mine, width, view, _STYLE[severity])
    accepted = [f for f in shown if f.accepted]
    if accepted:
        yield Text("")
        yield _heading(f"Accepted ({len(accepted)})", "shown, never fail the run")
        yield from _group(report, accepted, width, view, "dim green")
    yield Text("")
    yield from _summary(report, width)


def _ordered(report: Report) -> list[Finding]:
    """Findings in note order: by line, findings without a place first."""
    return sorted(report.findings, key=Finding.sort_key)


def _shown(f: Finding, view: View, failing: set[int]) -> bool:
    if view.quiet:
        return id(f) in failing
    return f.severity.rank >= view.min_severity.rank


def _why(report: Report, severity: Severity) -> str:
    fail_on = report.fail_on
    return "these fail the run" if fail_on and severity.rank >= fail_on.rank else ""


def _heading(title: str, why: str) -> Text:
    from rich.text import Text

    text = Text(title, style="bold")
    if why:
        text.append(f" – {why}", style="dim")
    return text


def _group(
    report: Report, findings: list[Finding], width: int, view: View, style: str
) -> Iterator[Text]:
    """Each finding, or one line for a rule on many notes (in the place of its first)."""
    by_rule: dict[tuple[str, bool], list[Finding]] = {}
    for f in findings:
        by_rule.setdefault((f.rule, f.accepted), []).append(f)
    done: set[tuple[str, bool]] = set()
    for f in findings:
        key = (f.rule, f.accepted)
        same = by_rule[key]
        if _grouped(same, view):
            if key not in done:
                done.add(key)
                yield from _rule_line(same, width, style)
            continue
        yield from _finding(report, f, width, style)


def _grouped(same: list[Finding], view: View) -> bool:
    return (
        not view.verbose
        and len(same) >= GROUP_AT
        and not (same[0].severity is Severity.ERROR and not same[0].accepted)
    )


def _rule_line(same: list[Finding], width: int, style: str) -> Iterator[Text]:
    labels = list(dict.fromkeys(f.label for f in same if f.label))
    elsewhere = sum(1 for f in same if not f.label)
    listing = f"{len(labels)} notes: {', '.join(_clean(x) for x in labels)}" if labels else ""
    if elsewhere:
        listing += f"{' and ' if listing else ''}{elsewhere} in the text"
    yield from _head(same[0].rule, listing, width, style)
    info = RULES.get(same[0].rule)
    text = (info.summary + " " if info else "") + "(--verbose lists each)"
    yield from _body(text, width, "dim")


def _finding(report: Report, f: Finding, width: int, style: str) -> Iterator[Text]:
    yield from _head(f.rule, _where(f), width, style)
    yield from _body(_clean(f.message), width, "dim" if f.accepted else "")
    if f.url:
        words = verdict(link_result(report, f.url), report.link_rules(f.url))
        said = words.split(" (")[0] in f.message
        yield from _body(_clean(f.url) + ("" if said else f"  [{words}]"), width, "dim")
    if f.suggestion:
        yield from _body("→ " + _clean(f.suggestion), width, "green")
    if f.accepted:
        yield from _body(f"accepted: {_clean(f.reason) or 'no reason given'}", width, "dim green")


def _where(f: Finding) -> str:
    parts = []
    if f.label:
        noun = "marker" if f.rule == "marker-without-note" else "note"
        parts.append(f"{noun} {_clean(f.label)}")
    if f.location:
        parts.append(f"{f.location.unit} {f.location.line}")
    return ", ".join(parts)


def _head(rule: str, where: str, width: int, style: str) -> Iterator[Text]:
    from rich.text import Text

    first = True
    for line in wrap(where, width - len(INDENT), width - 4 - len(rule)):
        text = Text("  ")
        if first:
            text.append(rule, style=style)
            text.append("  ")
        else:
            text = Text(INDENT)
        text.append(line)
        first = False
        yield text


def _body(text: str, width: int, style: str) -> Iterator[Text]:
    from rich.text import Text

    for line in wrap(text, width - len(INDENT)):
        yield Text(INDENT + line, style=style)


def _summary(report: Report, width: int) -> Iterator[Text]:
    from rich.text import Text

    c = report.counts()
    accepted = sum(f.accepted for f in report.findings)
    s = summary(report)
    counts = (
        f"{s['notes']} notes, {s['markers']} markers, {s['unique_urls']} unique URLs: "
        f"{c['error']} errors, {c['warning']} warnings, {c['note']} notes, "
        f"{accepted} accepted."
    )
    for line in wrap(counts, width):
        yield Text(line)
    failing = sorted(report.failing(), key=Finding.sort_key)
    if report.fail_on is None:
        yield Text("Not failing (--fail-on never).")
        return
    if not failing:
        yield Text(f"Passing: nothing open at or above {report.fail_on.value}.", style="bold green")
        return
    yield Text(
        f"Failing: {len(failing)} at or above {report.fail_on.value} (--fail-on):",
        style="bold red",
    )
    for f in failing[:FAILING_LISTED]:
        yield from _head(f.rule, _where(f), width, _STYLE[f.severity])
    if len(failing) > FAILING_LISTED:
        yield Text(f"  …and {len(failing) - FAILING_LISTED} more, listed above")


def _clean(text: str | None) -> str:
    return strip_controls(text or "")
